package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/** An action on an application's resource (snapshot, image...), run when the app reaches {@code when}. */
public record ApplicationTask(UUID uid, Instant createdAt, Instant updatedAt, UUID applicationUid,
                              String task, ApplicationStatus when, RawJson options, RawJson result) {
    public ApplicationTask {
        options = options == null ? RawJson.EMPTY_OBJECT : options;
        result = result == null ? RawJson.EMPTY_OBJECT : result;
    }

    public boolean isDone() {
        return !result.isEmptyObject();
    }
}
