package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;

import java.util.Objects;
import java.util.UUID;

/**
 * What a driver is asked to allocate: the definition to serve, the merged application+label
 * metadata the resource sees, and the application it is for (drivers tag what they create with it,
 * so leftovers can be traced back to their owner). {@code metaToken} is the resource's Meta API
 * token ({@code io.aquarium.fish.core.auth.MetaTokens}, "" when none): a driver whose workloads
 * share the node's address gives it to the workload as {@code FISH_META_TOKEN}, the only way such a
 * workload can read its metadata from the Meta API. It is a secret: never logged.
 */
public record AllocationRequest(UUID applicationUid, LabelDefinition definition, RawJson metadata, String metaToken) {
    public AllocationRequest {
        Objects.requireNonNull(applicationUid, "applicationUid");
        Objects.requireNonNull(definition, "definition");
        metadata = metadata == null ? RawJson.EMPTY_OBJECT : metadata;
        metaToken = metaToken == null ? "" : metaToken;
    }

    /** A request without a Meta API token. */
    public AllocationRequest(UUID applicationUid, LabelDefinition definition, RawJson metadata) {
        this(applicationUid, definition, metadata, "");
    }

    /** Without the token (and without the metadata, which may carry secrets too). */
    @Override
    public String toString() {
        return "AllocationRequest[applicationUid=" + applicationUid + ", driver=" + definition.driver() + "]";
    }
}
