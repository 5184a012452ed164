package io.aquarium.fish.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An application whose status is final (RECALLED, DEALLOCATED, ERROR), with the time it finished: the
 * created_at of its final state. What history retention reads to decide what to delete.
 */
public record FinishedApplication(UUID applicationUid, Instant finishedAt) {
    public FinishedApplication {
        Objects.requireNonNull(applicationUid, "applicationUid");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }
}
