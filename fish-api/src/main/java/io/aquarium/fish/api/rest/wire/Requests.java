package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Request bodies as clients send them (snake_case; unknown keys ignored, as the original does). */
public final class Requests {
    private Requests() {
    }

    public record UserRequest(@JsonProperty("name") String name,
                              @JsonProperty("password") String password) {
        @Override
        public String toString() {
            return "UserRequest[" + name + "]";
        }
    }

    public record LabelRequest(@JsonProperty("name") String name,
                               @JsonProperty("version") Integer version,
                               @JsonProperty("definitions") List<DefinitionRequest> definitions,
                               @JsonProperty("metadata") JsonNode metadata) {
    }

    public record DefinitionRequest(@JsonProperty("driver") String driver,
                                    @JsonProperty("resources") ResourcesWire resources,
                                    @JsonProperty("options") JsonNode options,
                                    @JsonProperty("authentication") AuthenticationWire authentication) {
    }

    public record ApplicationRequest(@JsonProperty("label_UID") String labelUid,
                                     @JsonProperty("metadata") JsonNode metadata) {
    }

    public record TaskRequest(@JsonProperty("task") String task,
                              @JsonProperty("when") String when,
                              @JsonProperty("options") JsonNode options) {
    }

    public record LocationRequest(@JsonProperty("name") String name,
                                  @JsonProperty("description") String description) {
    }

    public record ServiceMappingRequest(@JsonProperty("service") String service,
                                        @JsonProperty("redirect") String redirect,
                                        @JsonProperty("location_name") String locationName,
                                        @JsonProperty("application_UID") String applicationUid) {
    }
}
