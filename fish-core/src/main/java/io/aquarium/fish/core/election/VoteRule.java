package io.aquarium.fish.core.election;

import io.aquarium.fish.core.model.Vote;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Who wins a round, computed identically on every node from the same votes: the best-ranked
 * definition (lowest index after rotating by {@code firstIndex}, so retries try the next
 * definition first), then the earliest vote, then the lowest random number, then the node UID.
 */
public final class VoteRule {
    private VoteRule() {
    }

    public static Optional<Vote> winner(Collection<Vote> votes, int firstIndex, int definitionCount) {
        Comparator<Vote> order = Comparator.<Vote>comparingInt(v -> rank(v.available(), firstIndex, definitionCount))
                .thenComparing(Vote::createdAt)
                .thenComparingLong(Vote::rand)
                .thenComparing(Vote::nodeUid);
        return votes.stream().filter(v -> v.available() >= 0).min(order);
    }

    /** The position of definition {@code index} in the order a retry prefers. */
    public static int rank(int index, int firstIndex, int definitionCount) {
        if (definitionCount <= 0) {
            return index;
        }
        return Math.floorMod(index - firstIndex, definitionCount);
    }
}
