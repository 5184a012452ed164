package io.aquarium.fish.core.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuorumRuleTest {
    private static final Set<String> THREE = Set.of("n1", "n2", "n3");

    @Test
    void aMajorityOfTheExpectedMembersHoldsQuorum() {
        QuorumRule rule = QuorumRule.majority();
        assertTrue(rule.holds(THREE, List.of("n1", "n2", "n3")));
        assertTrue(rule.holds(THREE, List.of("n1", "n2")));
        assertFalse(rule.holds(THREE, List.of("n3")), "one cut off from two");
        assertEquals(2, rule.needed(3));
        assertEquals(3, rule.needed(4), "half of four is not a majority");
        assertFalse(rule.holds(Set.of("n1", "n2", "n3", "n4"), List.of("n1", "n2")));
    }

    @Test
    void nodesThatAreNotExpectedMembersDoNotCount() {
        // A minority cannot outvote the majority by starting fresh nodes beside it.
        assertFalse(QuorumRule.majority().holds(THREE, List.of("n3", "x1", "x2")));
        assertEquals(1, QuorumRule.presentMembers(THREE, List.of("n3", "n3", "x1")));
    }

    @Test
    void aFixedQuorumReplacesTheMajority() {
        QuorumRule one = new QuorumRule(1);
        assertTrue(one.holds(THREE, List.of("n3")), "cluster_quorum: 1 lets both sides of a split write");
        assertFalse(new QuorumRule(3).holds(THREE, List.of("n1", "n2")));
        assertThrows(IllegalArgumentException.class, () -> new QuorumRule(0));
    }

    @Test
    void noExpectationNoQuorum() {
        assertFalse(QuorumRule.majority().holds(Set.of(), List.of("n1")));
    }
}
