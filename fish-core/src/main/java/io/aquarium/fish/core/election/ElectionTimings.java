package io.aquarium.fish.core.election;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a round waits for silent nodes, how long a winner gets to claim, and when a node whose
 * heartbeat is older counts as dead.
 */
public record ElectionTimings(Duration roundTimeout, Duration claimTimeout, Duration nodeStaleAfter) {
    public static ElectionTimings forInterval(Duration electionInterval) {
        return new ElectionTimings(electionInterval, electionInterval.multipliedBy(2), electionInterval.multipliedBy(3));
    }

    /** Whether a node whose last heartbeat was at {@code heartbeat} counts as live at {@code now}; no heartbeat is dead. */
    public boolean isLive(Instant heartbeat, Instant now) {
        return heartbeat != null && !heartbeat.isBefore(now.minus(nodeStaleAfter));
    }
}
