package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.election.ElectionTimings;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.NodeNameTakenException;
import io.aquarium.fish.core.store.FishStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code node_name} is unique in the cluster. A starting node, once its store is open and before it
 * announces itself, looks for node rows with its name but another UID: one whose heartbeat is live
 * (the election's staleness window) refuses the start; a stale one (a machine replaced, its data
 * directory lost) does not, it is only reported. The node's own row (same UID, a restart) never counts.
 *
 * <p>The check reads the store like any other decision that is not a compare-and-set: two nodes
 * starting with the same name at the same moment can both pass it.
 */
final class UniqueNodeName {
    private static final Logger LOG = LoggerFactory.getLogger(UniqueNodeName.class);

    private UniqueNodeName() {
    }

    /** What the node rows say about a starting node's name: the live namesake (if any) and the stale ones. */
    record Verdict(Optional<Node> liveHolder, List<Node> staleHolders) {
        Verdict {
            staleHolders = List.copyOf(staleHolders);
        }
    }

    /** Judges {@code me}'s name against {@code nodes} at {@code now}; the freshest live namesake holds it. */
    static Verdict judge(List<Node> nodes, NodeIdentity me, Instant now, ElectionTimings timings) {
        List<Node> namesakes = nodes.stream()
                .filter(n -> n.name().equals(me.name()) && !n.uid().equals(me.uid())).toList();
        Optional<Node> live = namesakes.stream().filter(n -> timings.isLive(n.updatedAt(), now))
                .max(Comparator.comparing(Node::updatedAt));
        List<Node> stale = namesakes.stream().filter(n -> !timings.isLive(n.updatedAt(), now)).toList();
        return new Verdict(live, stale);
    }

    /** Throws {@link NodeNameTakenException} when a live node with another UID uses {@code me}'s name. */
    static void ensure(FishStore store, NodeIdentity me, Instant now, ElectionTimings timings) {
        Verdict verdict = judge(store.nodes(Filter.eq("name", me.name())), me, now, timings);
        if (verdict.liveHolder().isPresent()) {
            Node holder = verdict.liveHolder().get();
            throw new NodeNameTakenException(me.name(), holder.uid(), holder.address());
        }
        for (Node stale : verdict.staleHolders()) {
            LOG.warn("Node name \"{}\" was used by node {} (address {}, last heartbeat {}), silent for longer than {}:"
                            + " taking the name over", me.name(), stale.uid(), stale.address(), stale.updatedAt(),
                    timings.nodeStaleAfter());
        }
    }
}
