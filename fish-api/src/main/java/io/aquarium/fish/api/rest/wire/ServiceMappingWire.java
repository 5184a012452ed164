package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.ServiceMapping;

public record ServiceMappingWire(@JsonProperty("UID") String uid,
                                 @JsonProperty("created_at") String createdAt,
                                 @JsonProperty("service") String service,
                                 @JsonProperty("redirect") String redirect,
                                 @JsonProperty("location_name") String locationName,
                                 @JsonProperty("application_UID") String applicationUid) {

    public static ServiceMappingWire of(ServiceMapping m) {
        return new ServiceMappingWire(m.uid().toString(), Times.format(m.createdAt()), m.service(), m.redirect(),
                m.locationName(), m.applicationUid().toString());
    }
}
