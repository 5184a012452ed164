package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.aquarium.fish.core.model.Application;

public record ApplicationWire(@JsonProperty("UID") String uid,
                              @JsonProperty("created_at") String createdAt,
                              @JsonProperty("owner_name") String ownerName,
                              @JsonProperty("label_UID") String labelUid,
                              @JsonProperty("metadata") @JsonRawValue String metadata) {

    public static ApplicationWire of(Application a) {
        return new ApplicationWire(a.uid().toString(), Times.format(a.createdAt()), a.ownerName(),
                a.labelUid().toString(), a.metadata().json());
    }
}
