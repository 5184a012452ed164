package io.aquarium.fish.core.election;

import java.time.Duration;

/**
 * How long a round waits for silent nodes, how long a winner gets to claim, and when a node whose
 * heartbeat is older counts as dead.
 */
public record ElectionTimings(Duration roundTimeout, Duration claimTimeout, Duration nodeStaleAfter) {
    public static ElectionTimings forInterval(Duration electionInterval) {
        return new ElectionTimings(electionInterval, electionInterval.multipliedBy(2), electionInterval.multipliedBy(3));
    }
}
