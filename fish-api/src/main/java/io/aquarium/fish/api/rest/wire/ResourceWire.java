package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.aquarium.fish.core.model.Resource;

public record ResourceWire(@JsonProperty("UID") String uid,
                           @JsonProperty("created_at") String createdAt,
                           @JsonProperty("updated_at") String updatedAt,
                           @JsonProperty("application_UID") String applicationUid,
                           @JsonProperty("node_UID") String nodeUid,
                           @JsonProperty("label_UID") String labelUid,
                           @JsonProperty("definition_index") int definitionIndex,
                           @JsonProperty("identifier") String identifier,
                           @JsonProperty("ip_addr") String ipAddr,
                           @JsonProperty("hw_addr") String hwAddr,
                           @JsonProperty("metadata") @JsonRawValue String metadata,
                           @JsonProperty("authentication") @JsonInclude(JsonInclude.Include.NON_NULL)
                           AuthenticationWire authentication) {

    public static ResourceWire of(Resource r) {
        return new ResourceWire(r.uid().toString(), Times.format(r.createdAt()), Times.format(r.updatedAt()),
                r.applicationUid().toString(), r.nodeUid().toString(), r.labelUid().toString(), r.definitionIndex(),
                r.identifier(), r.ipAddr(), r.hwAddr(), r.metadata().json(),
                AuthenticationWire.ofNullable(r.authentication()));
    }
}
