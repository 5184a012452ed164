package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of an application's life; appended, never edited. The newest is the current one.
 *
 * <p>{@code nodeUid} is the node the step concerns: for ELECTED, the elected node (the holder is
 * found by UID, never by the name in the description, which is there for clients); null otherwise.
 */
public record ApplicationState(UUID uid, Instant createdAt, UUID applicationUid,
                               ApplicationStatus status, String description, UUID nodeUid) {
    public ApplicationState {
        description = description == null ? "" : description;
    }

    /** A step that concerns no particular node. */
    public ApplicationState(UUID uid, Instant createdAt, UUID applicationUid, ApplicationStatus status,
                            String description) {
        this(uid, createdAt, applicationUid, status, description, null);
    }
}
