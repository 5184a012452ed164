package io.aquarium.fish.core.cluster;

import java.util.List;

/**
 * A snapshot of a node's membership, as the election, the API and the fence see it.
 *
 * @param state       where the node stands
 * @param hasQuorum   whether the node may write (its state is writable)
 * @param term        changes every time the node loses quorum or its store restarts: a decision taken
 *                    in one term must not be acted on in another (see {@link Fence})
 * @param present     expected members present in the node's topology (itself included)
 * @param expected    expected members (the baseline), or 1 for a standalone node
 * @param needed      members needed for quorum
 * @param members     names (consistent IDs) of the server nodes in the node's topology
 */
public record MembershipView(MembershipState state, boolean hasQuorum, long term, int present, int expected,
                             int needed, List<String> members) {
    public MembershipView {
        members = List.copyOf(members);
    }

    /** The embedded single-node store's view: always a quorum of one, in one everlasting term. */
    public static MembershipView standalone(String self) {
        return new MembershipView(MembershipState.STANDALONE, true, 0, 1, 1, 1, List.of(self));
    }
}
