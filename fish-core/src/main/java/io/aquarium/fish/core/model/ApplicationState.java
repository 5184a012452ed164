package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/** One step of an application's life; appended, never edited. The newest is the current one. */
public record ApplicationState(UUID uid, Instant createdAt, UUID applicationUid,
                               ApplicationStatus status, String description) {
    public ApplicationState {
        description = description == null ? "" : description;
    }
}
