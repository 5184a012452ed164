package io.aquarium.fish.core.cluster;

import java.util.Collection;
import java.util.Set;

/**
 * Whether a set of present nodes may write: a majority of the expected members (the baseline), or
 * the operator's fixed {@code cluster_quorum}. Members are named by their Ignite consistent IDs.
 *
 * <p>Only the expected members count: a node that is present but not (yet) a member adds nothing,
 * so a minority cannot outvote the majority by starting fresh nodes.
 *
 * @param fixedQuorum {@code cluster_quorum}, or null for a majority of the expected members
 */
public record QuorumRule(Integer fixedQuorum) {
    public QuorumRule {
        if (fixedQuorum != null && fixedQuorum < 1) {
            throw new IllegalArgumentException("cluster_quorum must be at least 1");
        }
    }

    public static QuorumRule majority() {
        return new QuorumRule(null);
    }

    /** How many expected members must be present. */
    public int needed(int expectedMembers) {
        return fixedQuorum != null ? fixedQuorum : expectedMembers / 2 + 1;
    }

    /** How many of {@code present} are expected members. */
    public static int presentMembers(Set<String> expected, Collection<String> present) {
        return (int) present.stream().distinct().filter(expected::contains).count();
    }

    /** True if {@code present} holds a quorum of {@code expected}; an empty expectation never does. */
    public boolean holds(Set<String> expected, Collection<String> present) {
        return !expected.isEmpty() && presentMembers(expected, present) >= needed(expected.size());
    }
}
