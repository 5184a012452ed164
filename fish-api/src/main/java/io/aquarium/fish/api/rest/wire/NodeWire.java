package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.aquarium.fish.core.model.Node;

public record NodeWire(@JsonProperty("UID") String uid,
                       @JsonProperty("created_at") String createdAt,
                       @JsonProperty("updated_at") String updatedAt,
                       @JsonProperty("name") String name,
                       @JsonProperty("definition") @JsonRawValue String definition,
                       @JsonProperty("location_name") String locationName,
                       @JsonProperty("address") String address,
                       @JsonProperty("pubkey") @JsonInclude(JsonInclude.Include.NON_NULL) String pubkey) {

    public static NodeWire of(Node n) {
        return new NodeWire(n.uid().toString(), Times.format(n.createdAt()), Times.format(n.updatedAt()), n.name(),
                n.definition().json(), n.locationName(), n.address(), n.pubkey());
    }
}
