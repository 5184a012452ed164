package io.aquarium.fish.core.cluster;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BaselinePlanTest {
    private static final QuorumRule MAJORITY = QuorumRule.majority();

    @Test
    void aJoinerIsAddedByATopologyWithQuorum() {
        assertEquals(Optional.of(Set.of("n1", "n2")), BaselinePlan.next(Set.of("n1"), Set.of("n1", "n2"), MAJORITY));
        assertEquals(Optional.of(Set.of("n1", "n2", "n3", "n4")),
                BaselinePlan.next(Set.of("n1", "n2", "n3"), Set.of("n1", "n2", "n4"), MAJORITY),
                "a missing member stays expected");
    }

    @Test
    void aMinorityCannotChangeTheBaseline() {
        // Node 3 cut off, a fresh node beside it: 1 of 3 expected members, no quorum, no change.
        assertEquals(Optional.empty(), BaselinePlan.next(Set.of("n1", "n2", "n3"), Set.of("n3", "x"), MAJORITY));
    }

    @Test
    void theBaselineNeverShrinksByItself() {
        assertEquals(Optional.empty(), BaselinePlan.next(Set.of("n1", "n2", "n3"), Set.of("n1", "n2"), MAJORITY));
        assertEquals(Optional.empty(), BaselinePlan.next(Set.of(), Set.of("n1"), MAJORITY), "never activated");
    }
}
