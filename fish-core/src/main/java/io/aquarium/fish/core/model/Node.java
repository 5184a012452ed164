package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A fish node. {@code updatedAt} is its heartbeat. {@code definition} is the node's technical
 * description (host, memory, cpu, disks, nets) as JSON.
 */
public record Node(UUID uid, Instant createdAt, Instant updatedAt, String name, RawJson definition,
                   String locationName, String address, String pubkey) {
    public Node {
        definition = definition == null ? RawJson.EMPTY_OBJECT : definition;
        locationName = locationName == null ? "" : locationName;
        address = address == null ? "" : address;
    }
}
