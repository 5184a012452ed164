package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.ApplicationState;

public record ApplicationStateWire(@JsonProperty("UID") String uid,
                                   @JsonProperty("created_at") String createdAt,
                                   @JsonProperty("application_UID") String applicationUid,
                                   @JsonProperty("status") String status,
                                   @JsonProperty("description") String description) {

    public static ApplicationStateWire of(ApplicationState s) {
        return new ApplicationStateWire(s.uid().toString(), Times.format(s.createdAt()), s.applicationUid().toString(),
                s.status().name(), s.description());
    }
}
