package io.aquarium.fish.core.election;

import java.time.Instant;
import java.util.UUID;

/**
 * One thing an election pass decided to do for one application; {@link ElectionApply} performs it with
 * the store's compare-and-sets. Decisions for one application are performed in order, and the rest of
 * them are dropped once one fails (a vote the store refused is never followed by a claim).
 */
public sealed interface Decision {
    UUID application();

    /** Vote {@code available} (a definition index, or -1) in {@code round}; {@code createdAt} and {@code rand} as decided. */
    record CastVote(UUID application, int round, int available, Instant createdAt, long rand) implements Decision {
    }

    /** This node won: NEW → ELECTED (with quorum at claim time), then the allocator with that membership as its fence. */
    record Claim(UUID application, int definition) implements Decision {
    }

    /** NEW → ERROR: the application cannot be elected at all (its label is gone). */
    record Fail(UUID application, String reason) implements Decision {
    }

    /** ELECTED for this node, which holds its resource row but no job: it restarted after recording it. */
    record Resume(UUID application) implements Decision {
    }

    /** ELECTED for this node, which holds neither job nor row: it restarted before allocating; elect again. */
    record Reelect(UUID application) implements Decision {
    }

    /** ELECTED for a node that stopped responding or was dropped: delete its votes and row, ELECTED → NEW. */
    record TakeOver(UUID application, UUID holder, String holderName) implements Decision {
    }

    /**
     * Delete a finished election's votes. {@code recheck}: the application was not in the snapshot (it may
     * have been created since, with an election under way), so look at its state again first.
     */
    record DeleteVotes(UUID application, boolean recheck) implements Decision {
    }
}
