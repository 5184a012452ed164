package io.aquarium.fish.core.node;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuorumTrackerTest {
    private static final Duration STABLE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void singleNodeAlwaysHasQuorum() {
        QuorumTracker q = new QuorumTracker(null, STABLE);
        assertTrue(q.status().hasQuorum(), "before any observation");
        assertTrue(q.observe(1, T0).hasQuorum());
        assertTrue(q.observe(1, T0.plusSeconds(3600)).hasQuorum());
    }

    @Test
    void threeNodesLosingOneKeepQuorumLosingTwoDoNot() {
        QuorumTracker q = new QuorumTracker(null, STABLE);
        q.observe(3, T0);
        QuorumTracker.Status two = q.observe(2, T0.plusSeconds(1));
        assertTrue(two.hasQuorum());
        assertEquals(2, two.quorum());
        assertFalse(q.observe(1, T0.plusSeconds(2)).hasQuorum());
    }

    @Test
    void majoritySideSettlesAfterTheStablePeriodAndThenToleratesAnotherLoss() {
        QuorumTracker q = new QuorumTracker(null, STABLE);
        q.observe(5, T0);
        q.observe(3, T0.plusSeconds(1));
        assertEquals(5, q.observe(3, T0.plusSeconds(20)).stableTopology(), "not stable yet");
        QuorumTracker.Status settled = q.observe(3, T0.plusSeconds(31));
        assertEquals(3, settled.stableTopology());
        assertEquals(2, settled.quorum());
        assertTrue(q.observe(2, T0.plusSeconds(40)).hasQuorum(), "2 of a settled 3");
    }

    @Test
    void minoritySideNeverTalksItselfIntoQuorum() {
        QuorumTracker q = new QuorumTracker(null, STABLE);
        q.observe(3, T0);
        assertFalse(q.observe(1, T0.plusSeconds(1)).hasQuorum());
        QuorumTracker.Status later = q.observe(1, T0.plusSeconds(3600));
        assertFalse(later.hasQuorum(), "an hour alone is still a minority");
        assertEquals(3, later.stableTopology());
        assertTrue(q.observe(3, T0.plusSeconds(3601)).hasQuorum(), "back when the others are");
    }

    @Test
    void operatorQuorumWins() {
        QuorumTracker q = new QuorumTracker(1, STABLE);
        q.observe(3, T0);
        assertTrue(q.observe(1, T0.plusSeconds(1)).hasQuorum());
        QuorumTracker strict = new QuorumTracker(3, STABLE);
        assertFalse(strict.observe(2, T0).hasQuorum());
    }
}
