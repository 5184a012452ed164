package io.aquarium.fish.core.cluster;

/**
 * Where a node stands in its cluster. The store may be written only in {@link #MEMBER}.
 *
 * <pre>
 *   STANDALONE (single node, embedded store: always writable)
 *   JOINING ──in the baseline, data rebalanced──► MEMBER ◄──quorum regained── MINORITY
 *                                                   │ ──quorum lost─────────────► │
 *   SEGMENTED (cut off: Ignite stops the store) ──► HEALING ◄── (majority seen again) ─┘
 *   HEALING ──store restarted, joined, rebalanced──► MEMBER
 * </pre>
 */
public enum MembershipState {
    /** The embedded single-node store: there is no cluster to lose. */
    STANDALONE,
    /** Starting: not yet holding a full copy of the data. */
    JOINING,
    /** In a topology that holds a quorum: reads and writes. */
    MEMBER,
    /** In a topology without quorum: reads from its own copy, refuses writes. */
    MINORITY,
    /** The store's cluster node was stopped because the cluster cut it off. */
    SEGMENTED,
    /** Restarting the store to rejoin the majority. */
    HEALING;

    public boolean writable() {
        return this == STANDALONE || this == MEMBER;
    }
}
