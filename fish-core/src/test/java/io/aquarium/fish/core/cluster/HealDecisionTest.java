package io.aquarium.fish.core.cluster;

import io.aquarium.fish.core.cluster.HealDecision.Probe;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.aquarium.fish.core.cluster.HealDecision.Action.REJOIN;
import static io.aquarium.fish.core.cluster.HealDecision.Action.STAY;
import static io.aquarium.fish.core.cluster.HealDecision.Action.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HealDecisionTest {
    private static final Set<String> THREE = Set.of("n1", "n2", "n3");
    private static final QuorumRule MAJORITY = QuorumRule.majority();

    @Test
    void nobodyReachableMeansWait() {
        assertEquals(WAIT, HealDecision.decide("n3", 7, THREE, Probe.nobody(), MAJORITY));
    }

    @Test
    void aCutOffNodeRejoinsTheMajority() {
        assertEquals(REJOIN, HealDecision.decide("n3", 7, THREE, new Probe(Set.of("n1", "n2"), THREE, 8, true), MAJORITY));
        // Even if its own epoch looks newer: the side with quorum kept writing.
        assertEquals(REJOIN, HealDecision.decide("n3", 9, THREE, new Probe(Set.of("n1", "n2"), THREE, 8, true), MAJORITY));
    }

    @Test
    void twoMinoritiesMergeTowardsTheNewestData() {
        // n3 was cut off at epoch 7; the majority {n1, n2} wrote epoch 8, then n1 was killed.
        assertEquals(REJOIN, HealDecision.decide("n3", 7, THREE, new Probe(Set.of("n2"), THREE, 8, true), MAJORITY));
        assertEquals(STAY, HealDecision.decide("n2", 8, THREE, new Probe(Set.of("n3"), THREE, 7, true), MAJORITY));
    }

    @Test
    void onATieTheLowerNameStays() {
        assertEquals(STAY, HealDecision.decide("n1", 7, THREE, new Probe(Set.of("n2"), THREE, 7, true), MAJORITY));
        assertEquals(REJOIN, HealDecision.decide("n2", 7, THREE, new Probe(Set.of("n1"), THREE, 7, true), MAJORITY));
    }

    @Test
    void joiningANodeThatStillWouldNotMakeAQuorumWaits() {
        Set<String> five = Set.of("n1", "n2", "n3", "n4", "n5");
        assertEquals(WAIT, HealDecision.decide("n5", 3, five, new Probe(Set.of("n4"), five, 4, true), MAJORITY));
    }

    @Test
    void aMajorityWithAMemberThisNodeCannotReachIsNotJoined() {
        // 1-2 cut, 3 sees both: node 1 reaches the cluster {2, 3} through 3 but cannot reach 2.
        assertEquals(WAIT, HealDecision.decide("n1", 7, THREE, new Probe(Set.of("n2", "n3"), THREE, 8, false),
                MAJORITY));
    }

    @Test
    void aProbeThatReachedThisNodesOwnClusterIsNoNews() {
        assertEquals(WAIT, HealDecision.decide("n3", 7, THREE, new Probe(Set.of("n3", "n1"), THREE, 7, true), MAJORITY));
    }
}
