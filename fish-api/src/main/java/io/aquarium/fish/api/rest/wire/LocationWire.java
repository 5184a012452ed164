package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.Location;

public record LocationWire(@JsonProperty("name") String name,
                           @JsonProperty("created_at") String createdAt,
                           @JsonProperty("description") String description) {

    public static LocationWire of(Location l) {
        return new LocationWire(l.name(), Times.format(l.createdAt()), l.description());
    }
}
