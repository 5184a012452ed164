package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/** A user's request for a resource of a label. Its life cycle is in {@link ApplicationState} rows. */
public record Application(UUID uid, Instant createdAt, String ownerName, UUID labelUid, RawJson metadata) {
    public Application {
        metadata = metadata == null ? RawJson.EMPTY_OBJECT : metadata;
    }
}
