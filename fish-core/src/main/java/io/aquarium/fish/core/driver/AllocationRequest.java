package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;

import java.util.Objects;
import java.util.UUID;

/**
 * What a driver is asked to allocate: the definition to serve, the merged application+label
 * metadata the resource sees, and the application it is for (drivers tag what they create with it,
 * so leftovers can be traced back to their owner).
 */
public record AllocationRequest(UUID applicationUid, LabelDefinition definition, RawJson metadata) {
    public AllocationRequest {
        Objects.requireNonNull(applicationUid, "applicationUid");
        Objects.requireNonNull(definition, "definition");
        metadata = metadata == null ? RawJson.EMPTY_OBJECT : metadata;
    }
}
