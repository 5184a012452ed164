package io.aquarium.fish.core.cluster;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the expected members (Ignite's baseline topology) change. Ignite's own auto-adjust is off: it
 * would let a node cut off from the others make itself the whole baseline, and so a quorum of one.
 * Instead the baseline only grows, and only from a topology that holds a quorum of the current
 * baseline: a node that joined is added so that it gets a full copy of the data.
 *
 * <p>It never shrinks by itself: a node that is gone stays expected (a 3-node cluster keeps working
 * with 2), so a network split can never shrink the majority the other side needs.
 */
public final class BaselinePlan {
    private BaselinePlan() {
    }

    /**
     * The new baseline, or empty when it should stay: {@code present} are the server nodes in the
     * topology, {@code baseline} the current expected members (empty: the cluster was never activated).
     */
    public static Optional<Set<String>> next(Set<String> baseline, Set<String> present, QuorumRule rule) {
        if (baseline.isEmpty() || baseline.containsAll(present) || !rule.holds(baseline, present)) {
            return Optional.empty();
        }
        Set<String> grown = new TreeSet<>(baseline);
        grown.addAll(present);
        return Optional.of(grown);
    }
}
