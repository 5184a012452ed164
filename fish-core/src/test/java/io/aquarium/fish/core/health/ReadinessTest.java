package io.aquarium.fish.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static final MembershipView MEMBER =
            new MembershipView(MembershipState.MEMBER, true, 1, 3, 3, 2, List.of("a", "b", "c"));
    private static final MembershipView MINORITY =
            new MembershipView(MembershipState.MINORITY, false, 2, 1, 3, 2, List.of("a"));

    @Test
    void aStandaloneNodeWithADriverIsReady() {
        Readiness.Report r = Readiness.decide(
                new Readiness.Snapshot(true, MembershipView.standalone("embedded"), List.of("test")));
        assertTrue(r.up());
        assertEquals("UP", r.status());
        assertEquals(Map.of("store", "UP", "quorum", "UP", "drivers", "UP"), r.checks());
        assertEquals(List.of("store", "quorum", "drivers"), List.copyOf(r.checks().keySet()));
    }

    @Test
    void aClusterMemberWithQuorumIsReady() {
        assertTrue(Readiness.decide(new Readiness.Snapshot(true, MEMBER, List.of("docker"))).up());
    }

    @Test
    void losingQuorumSaysHowManyAreVisibleAndNeeded() {
        Readiness.Report r = Readiness.decide(new Readiness.Snapshot(true, MINORITY, List.of("test")));
        assertFalse(r.up());
        assertEquals("DOWN", r.status());
        assertEquals("UP", r.checks().get("store"));
        assertEquals("DOWN: 1 of 3 nodes visible, 2 needed", r.checks().get("quorum"));
        assertEquals("UP", r.checks().get("drivers"));
    }

    @Test
    void aSegmentedNodeNamesItsState() {
        MembershipView segmented = new MembershipView(MembershipState.SEGMENTED, false, 3, 1, 2, 2, List.of("a"));
        assertEquals("DOWN: 1 of 2 nodes visible, 2 needed (segmented)",
                Readiness.decide(new Readiness.Snapshot(true, segmented, List.of("test"))).checks().get("quorum"));
    }

    @Test
    void noDriverOrAClosedStoreIsNotReady() {
        Readiness.Report noDriver = Readiness.decide(
                new Readiness.Snapshot(true, MembershipView.standalone("embedded"), List.of()));
        assertFalse(noDriver.up());
        assertEquals("DOWN: no driver is available", noDriver.checks().get("drivers"));

        Readiness.Report closed = Readiness.decide(
                new Readiness.Snapshot(false, MembershipView.standalone("embedded"), List.of("test")));
        assertFalse(closed.up());
        assertEquals("DOWN: the store is closed", closed.checks().get("store"));
    }
}
