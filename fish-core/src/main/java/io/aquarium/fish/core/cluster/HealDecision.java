package io.aquarium.fish.core.cluster;

import java.util.Set;

/**
 * What a node without quorum does when it can see other nodes again. Ignite 2 never merges two
 * clusters by itself, so a node cut off from the majority stays a cluster of its own (or is stopped,
 * "segmented") until it restarts its store and joins the others.
 *
 * <p>Its own copy of the data must not win: partition update counters cannot tell a stale copy from
 * a newer one, so a node that rejoins the cluster that kept writing first drops its copy and takes
 * that cluster's (it refused writes while it lacked quorum, so nothing acknowledged is lost). When
 * neither side has quorum (the majority lost a node while the other was cut off), the side that held
 * quorum last ({@link Probe#epoch}: the membership epoch the majority writes at each topology change)
 * has the newest data and the other joins it; on a tie the lower member name stays.
 */
public final class HealDecision {
    /** What to do. */
    public enum Action {
        /** Nothing to join (nobody reachable, or the reachable nodes are no better off). */
        WAIT,
        /** Drop this node's copy, restart the store and join the probed cluster. */
        REJOIN,
        /** Stay: the probed nodes should join this one. */
        STAY
    }

    /**
     * What a probe of the other nodes found: the server nodes of the cluster it reached (this node not
     * among them), that cluster's expected members, its membership epoch, and whether this node can
     * reach every one of those servers itself (joining a cluster with a member this node cannot reach,
     * as when only the link to one node is cut, would only get it cut off again).
     */
    public record Probe(Set<String> servers, Set<String> baseline, long epoch, boolean allReachable) {
        public Probe {
            servers = Set.copyOf(servers);
            baseline = Set.copyOf(baseline);
        }

        /** Nobody answered. */
        public static Probe nobody() {
            return new Probe(Set.of(), Set.of(), 0, false);
        }
    }

    private HealDecision() {
    }

    public static Action decide(String self, long ownEpoch, Set<String> ownBaseline, Probe probe, QuorumRule rule) {
        if (probe.servers().isEmpty() || probe.servers().contains(self) || !probe.allReachable()) {
            return Action.WAIT;
        }
        Set<String> expected = probe.baseline().isEmpty() ? ownBaseline : probe.baseline();
        if (rule.holds(expected, probe.servers())) {
            return Action.REJOIN;
        }
        Set<String> together = new java.util.HashSet<>(probe.servers());
        together.add(self);
        if (!rule.holds(expected, together)) {
            return Action.WAIT;
        }
        if (probe.epoch() != ownEpoch) {
            return probe.epoch() > ownEpoch ? Action.REJOIN : Action.STAY;
        }
        String lowest = probe.servers().stream().min(String::compareTo).orElseThrow();
        return lowest.compareTo(self) < 0 ? Action.REJOIN : Action.STAY;
    }
}
