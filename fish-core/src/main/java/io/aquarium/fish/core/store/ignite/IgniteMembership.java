package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.cluster.BaselinePlan;
import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.cluster.QuorumRule;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.transactions.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.ignite.transactions.TransactionConcurrency.PESSIMISTIC;
import static org.apache.ignite.transactions.TransactionIsolation.REPEATABLE_READ;

/**
 * This node's membership of the Ignite cluster: takes snapshots of the topology, asks the pure
 * rules of {@code core.cluster} and applies their answers. It keeps the state and the term across
 * restarts of the store's Ignite node, logs every change of state, and (on the oldest server node,
 * while it has quorum) grows the baseline and writes the membership epoch.
 *
 * <p>The epoch counts the majority's topology changes. It is written only with quorum, so a node that
 * was cut off keeps the epoch of the moment it left, and a probe can tell which side holds newer data.
 */
final class IgniteMembership {
    private static final Logger LOG = LoggerFactory.getLogger(IgniteMembership.class);
    static final String EPOCH_KEY = "epoch";

    private final String self;
    private final QuorumRule rule;
    private Ignite ignite;
    private MembershipState state = MembershipState.JOINING;
    private boolean ready;
    private long term;
    private long lastEpoch;
    private Set<String> lastBaseline = Set.of();
    /** The server nodes the epoch was last moved on for: it moves on only when they change. */
    private Set<String> epochServers = Set.of();

    IgniteMembership(String self, QuorumRule rule) {
        this.self = self;
        this.rule = rule;
    }

    QuorumRule rule() {
        return rule;
    }

    String self() {
        return self;
    }

    /** A new Ignite node of this store has started: JOINING until {@link #ready()}. */
    synchronized void attach(Ignite node) {
        this.ignite = node;
        this.ready = false;
        move(MembershipState.JOINING, "store started, joining the cluster");
    }

    /** The node holds a full copy of the data: from now on MEMBER or MINORITY by quorum. */
    synchronized void ready() {
        ready = true;
        refresh();
    }

    /** The store's Ignite node is gone ({@code why}: SEGMENTED or HEALING); a new term starts. */
    synchronized void detach(MembershipState why, String reason) {
        refreshEpoch();
        this.ignite = null;
        this.ready = false;
        move(why, reason);
    }

    /**
     * Ignite found this node cut off from the ring and is stopping it, which takes it up to a
     * connection-recovery timeout more: from now on the view says SEGMENTED, without quorum.
     */
    synchronized void segmented() {
        ready = false;
        move(MembershipState.SEGMENTED, "Ignite found this node cut off from the ring and is stopping it: "
                + "refusing writes, not voting or allocating");
    }

    synchronized MembershipState state() {
        return state;
    }

    /** The membership epoch of this node's copy of the data (the last one read if the store is down). */
    synchronized long epoch() {
        refreshEpoch();
        return lastEpoch;
    }

    synchronized Set<String> baseline() {
        if (ignite != null) {
            lastBaseline = baselineOf(ignite);
        }
        return lastBaseline;
    }

    /** The current view; also notices quorum changes (the term moves on when quorum is lost). */
    synchronized MembershipView view() {
        refresh();
        if (ignite == null) {
            return offlineView();
        }
        Collection<ClusterNode> servers = ignite.cluster().forServers().nodes();
        Set<String> baseline = baselineOf(ignite);
        List<String> present = consistentIds(servers);
        List<String> members = servers.stream().map(IgniteMembership::memberName).sorted().toList();
        int expected = Math.max(1, baseline.size());
        return new MembershipView(state, state.writable(), term, QuorumRule.presentMembers(baseline, present),
                expected, rule.needed(expected), members);
    }

    /** The view without a running Ignite node: no quorum, the last expected members known. */
    synchronized MembershipView offlineView() {
        int expected = Math.max(1, lastBaseline.size());
        return new MembershipView(state, false, term, 0, expected, rule.needed(expected), List.of());
    }

    /**
     * After a topology change: MEMBER or MINORITY by quorum and, on the oldest server node with quorum,
     * the baseline grown to the servers present and the epoch moved on. Returns the new view. The
     * cluster-wide operations run outside this object's lock: they wait for Ignite's exchanges, and
     * requests reading the view must not wait with them.
     */
    MembershipView onTopologyChange() {
        Ignite node;
        Set<String> baseline;
        Set<String> present;
        synchronized (this) {
            refresh();
            if (ignite == null || state != MembershipState.MEMBER || !isOldestServer()) {
                return view();
            }
            node = ignite;
            baseline = baselineOf(node);
            present = new TreeSet<>(consistentIds(node.cluster().forServers().nodes()));
        }
        Optional<Set<String>> grown = BaselinePlan.next(baseline, present, rule);
        if (grown.isPresent()) {
            List<BaselineNode> nodes = new ArrayList<>(node.cluster().currentBaselineTopology());
            node.cluster().forServers().nodes().stream()
                    .filter(n -> !baseline.contains(String.valueOf(n.consistentId()))).forEach(nodes::add);
            LOG.info("Cluster: expected members {} -> {} (node(s) joined)", baseline, grown.get());
            node.cluster().setBaselineTopology(nodes);
        }
        boolean moved;
        synchronized (this) {
            moved = !present.equals(epochServers);
        }
        if (moved) {
            bumpEpoch(node, present);
        }
        return view();
    }

    private void refresh() {
        if (ignite == null) {
            return;
        }
        Set<String> baseline = baselineOf(ignite);
        lastBaseline = baseline;
        if (!ready) {
            return;
        }
        List<String> present = consistentIds(ignite.cluster().forServers().nodes());
        boolean quorum = rule.holds(baseline, present);
        if (quorum && state != MembershipState.MEMBER) {
            move(MembershipState.MEMBER, QuorumRule.presentMembers(baseline, present) + " of " + baseline.size()
                    + " expected members present, " + rule.needed(baseline.size()) + " needed: writing and allocating");
        } else if (!quorum && state != MembershipState.MINORITY) {
            move(MembershipState.MINORITY, QuorumRule.presentMembers(baseline, present) + " of " + baseline.size()
                    + " expected members present, " + rule.needed(baseline.size()) + " needed: refusing writes, "
                    + "not voting or allocating (running resources continue)");
        }
    }

    private void move(MembershipState next, String why) {
        if (next == state) {
            return;
        }
        if (state == MembershipState.MEMBER || next == MembershipState.HEALING || next == MembershipState.SEGMENTED) {
            term++; // leaving MEMBER, or a store restart: what was decided before must not be acted on
        }
        LOG.warn("Cluster membership: {} -> {} (term {}): {}", state, next, term, why);
        state = next;
    }

    private boolean isOldestServer() {
        ClusterNode oldest = ignite.cluster().forServers().forOldest().node();
        return oldest != null && oldest.isLocal();
    }

    /** Written only with quorum (the validator refuses it otherwise); a failure is retried at the next change. */
    private void bumpEpoch(Ignite node, Set<String> present) {
        IgniteCache<String, Long> cache = node.cache(IgniteNodeConfiguration.MEMBERSHIP_CACHE);
        try (Transaction tx = node.transactions().txStart(PESSIMISTIC, REPEATABLE_READ,
                IgniteNodeConfiguration.TX_TIMEOUT_MS, 0)) {
            Long current = cache.get(EPOCH_KEY);
            long next = (current == null ? 0 : current) + 1;
            cache.put(EPOCH_KEY, next);
            tx.commit();
            synchronized (this) {
                lastEpoch = next;
                epochServers = Set.copyOf(present);
            }
            LOG.info("Cluster: membership epoch {} with {}", next, present);
        } catch (RuntimeException e) {
            LOG.warn("Cluster: the membership epoch could not be written ({})", e.toString());
        }
    }

    private void refreshEpoch() {
        if (ignite == null) {
            return;
        }
        try {
            // This node's own copy (the cache is REPLICATED): a peek never waits on the cluster, and
            // callers hold this object's lock.
            IgniteCache<String, Long> cache = ignite.cache(IgniteNodeConfiguration.MEMBERSHIP_CACHE);
            Long epoch = cache == null ? null : cache.localPeek(EPOCH_KEY, CachePeekMode.PRIMARY, CachePeekMode.BACKUP);
            if (epoch != null) {
                lastEpoch = epoch;
            }
        } catch (RuntimeException e) {
            LOG.debug("Reading the membership epoch failed: {}", e.toString());
        }
    }

    static Set<String> baselineOf(Ignite ignite) {
        Collection<BaselineNode> baseline = ignite.cluster().currentBaselineTopology();
        return baseline == null ? Set.of()
                : baseline.stream().map(n -> String.valueOf(n.consistentId())).collect(Collectors.toSet());
    }

    static List<String> consistentIds(Collection<ClusterNode> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.consistentId())).toList();
    }

    /** The fish node UID the node published, else its consistent ID. */
    private static String memberName(ClusterNode node) {
        Object uid = node.attribute(IgniteNodeConfiguration.NODE_UID_ATTRIBUTE);
        return uid != null ? uid.toString() : String.valueOf(node.consistentId());
    }
}
