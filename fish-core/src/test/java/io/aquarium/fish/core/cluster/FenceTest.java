package io.aquarium.fish.core.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fence with a fake topology: views as the Ignite store would report them. */
class FenceTest {
    private static MembershipView view(MembershipState state, long term, String... members) {
        boolean quorum = state.writable();
        return new MembershipView(state, quorum, term, members.length, 3, 2, List.of(members));
    }

    @Test
    void aClaimIsActedOnWhileTheSameQuorumHolds() {
        MembershipView claim = view(MembershipState.MEMBER, 4, "n1", "n2", "n3");
        assertTrue(Fence.allows(claim, claim));
        // Another node leaving does not matter while this node keeps its quorum (same term).
        assertTrue(Fence.allows(claim, view(MembershipState.MEMBER, 4, "n1", "n2")));
    }

    @Test
    void aClaimIsReleasedWhenQuorumWasLostMeanwhile() {
        MembershipView claim = view(MembershipState.MEMBER, 4, "n1", "n2", "n3");
        assertFalse(Fence.allows(claim, view(MembershipState.MINORITY, 5, "n3")), "cut off after the claim");
        assertFalse(Fence.allows(claim, view(MembershipState.SEGMENTED, 5)), "the store stopped");
    }

    @Test
    void aClaimIsReleasedWhenQuorumCameBackInAnotherTerm() {
        // Lost and regained between claim and driver call: the majority may have re-elected it meanwhile.
        MembershipView claim = view(MembershipState.MEMBER, 4, "n1", "n2", "n3");
        assertFalse(Fence.allows(claim, view(MembershipState.MEMBER, 6, "n1", "n2", "n3")));
    }

    @Test
    void nothingClaimedWithoutQuorumIsActedOn() {
        MembershipView claim = view(MembershipState.MINORITY, 4, "n3");
        assertFalse(Fence.allows(claim, view(MembershipState.MEMBER, 4, "n1", "n2", "n3")));
    }

    @Test
    void aStandaloneNodeIsAlwaysFenced() {
        MembershipView alone = MembershipView.standalone("fish-1");
        assertTrue(Fence.allows(alone, alone));
    }
}
