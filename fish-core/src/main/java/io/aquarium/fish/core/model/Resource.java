package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/** A resource a node allocated for an application. Written before the application is ALLOCATED. */
public record Resource(UUID uid, Instant createdAt, Instant updatedAt, UUID applicationUid, UUID nodeUid,
                       UUID labelUid, int definitionIndex, String identifier, String ipAddr, String hwAddr,
                       RawJson metadata, Authentication authentication) {
    public Resource {
        identifier = identifier == null ? "" : identifier;
        ipAddr = ipAddr == null ? "" : ipAddr;
        hwAddr = hwAddr == null ? "" : hwAddr;
        metadata = metadata == null ? RawJson.EMPTY_OBJECT : metadata;
    }
}
