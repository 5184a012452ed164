package io.aquarium.fish.core.node;

import java.util.UUID;

/**
 * The node refuses to start: another live node already uses its {@code node_name}. The operator
 * must choose another name (the process exits with code 2, like a configuration error).
 */
public final class NodeNameTakenException extends RuntimeException {
    private final UUID holderUid;

    public NodeNameTakenException(String name, UUID holderUid, String holderAddress) {
        super("Node name \"" + name + "\" is already used by live node " + holderUid
                + (holderAddress.isEmpty() ? "" : " at " + holderAddress) + "; choose another node_name");
        this.holderUid = holderUid;
    }

    /** The live node that holds the name. */
    public UUID holderUid() {
        return holderUid;
    }
}
