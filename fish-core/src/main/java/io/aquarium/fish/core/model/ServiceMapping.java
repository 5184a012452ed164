package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A redirect for an external service, per location and optionally per application.
 * {@link #ANY_APPLICATION} (the nil UUID) means cluster-wide.
 */
public record ServiceMapping(UUID uid, Instant createdAt, String service, String redirect,
                             String locationName, UUID applicationUid) {
    public static final UUID ANY_APPLICATION = new UUID(0, 0);

    public ServiceMapping {
        locationName = locationName == null ? "" : locationName;
        applicationUid = applicationUid == null ? ANY_APPLICATION : applicationUid;
    }
}
