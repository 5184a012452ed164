package io.aquarium.fish.core.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether this node sees enough of the cluster to vote and allocate. The expected size is the last
 * stable topology (the live node count once it stayed unchanged for {@code stableAfter}); a node
 * needs a majority of it, or the operator's fixed {@code cluster_quorum}. The expected size may only
 * shrink while the node has quorum, so a minority side of a network split can never talk itself
 * into a quorum of its own.
 */
public final class QuorumTracker {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumTracker.class);

    /** What a client can read about this node's view of the cluster. */
    public record Status(boolean hasQuorum, int visibleNodes, int quorum, int stableTopology) {
    }

    private final Integer fixedQuorum;
    private final Duration stableAfter;
    private int stableSize = 1;
    private int lastSeen = 1;
    private Instant seenSince = Instant.EPOCH;
    private boolean hadQuorum = true;

    public QuorumTracker(Integer fixedQuorum, Duration stableAfter) {
        this.fixedQuorum = fixedQuorum;
        this.stableAfter = stableAfter;
    }

    /** Records the number of live nodes this node sees now (itself included). */
    public synchronized Status observe(int visibleNodes, Instant now) {
        if (visibleNodes != lastSeen) {
            lastSeen = visibleNodes;
            seenSince = now;
        }
        if (visibleNodes > stableSize) {
            stableSize = visibleNodes;
        } else if (visibleNodes < stableSize && !now.isBefore(seenSince.plus(stableAfter))
                && visibleNodes >= quorum()) {
            LOG.info("Cluster topology settled at {} node(s) (was {})", visibleNodes, stableSize);
            stableSize = visibleNodes;
        }
        Status status = status();
        if (status.hasQuorum() != hadQuorum) {
            hadQuorum = status.hasQuorum();
            if (hadQuorum) {
                LOG.warn("Quorum regained: {} of {} node(s) visible, {} needed; voting and allocating again",
                        visibleNodes, stableSize, quorum());
            } else {
                LOG.warn("Quorum lost: {} of {} node(s) visible, {} needed; not voting or allocating until it is "
                        + "back (running resources continue)", visibleNodes, stableSize, quorum());
            }
        }
        return status;
    }

    public synchronized Status status() {
        return new Status(lastSeen >= quorum(), lastSeen, quorum(), stableSize);
    }

    private int quorum() {
        return fixedQuorum != null ? fixedQuorum : stableSize / 2 + 1;
    }
}
