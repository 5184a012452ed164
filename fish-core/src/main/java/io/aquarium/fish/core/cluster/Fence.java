package io.aquarium.fish.core.cluster;

/**
 * The fence between a claim and its driver call. A node claims an application (NEW → ELECTED) only
 * while it has quorum, and the claim commits only in a topology holding one (the store refuses the
 * write otherwise). Between that commit and the driver call the node may lose quorum (a cut detected
 * a moment later) or restart its store: then the majority may already be electing the application
 * elsewhere, so the claim must be released, never acted on.
 */
public final class Fence {
    private Fence() {
    }

    /** True if a claim made with the view {@code atClaim} may be acted on now, with the view {@code now}. */
    public static boolean allows(MembershipView atClaim, MembershipView now) {
        return atClaim.hasQuorum() && now.hasQuorum() && atClaim.term() == now.term();
    }
}
