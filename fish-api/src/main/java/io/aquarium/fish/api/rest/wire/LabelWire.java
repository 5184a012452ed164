package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;

import java.util.List;

public record LabelWire(@JsonProperty("UID") String uid,
                        @JsonProperty("created_at") String createdAt,
                        @JsonProperty("name") String name,
                        @JsonProperty("version") int version,
                        @JsonProperty("definitions") List<DefinitionWire> definitions,
                        @JsonProperty("metadata") @JsonRawValue String metadata) {

    public static LabelWire of(Label l) {
        return new LabelWire(l.uid().toString(), Times.format(l.createdAt()), l.name(), l.version(),
                l.definitions().stream().map(DefinitionWire::of).toList(), l.metadata().json());
    }

    public record DefinitionWire(@JsonProperty("driver") String driver,
                                 @JsonProperty("resources") ResourcesWire resources,
                                 @JsonProperty("options") @JsonRawValue String options,
                                 @JsonProperty("authentication") @JsonInclude(JsonInclude.Include.NON_NULL)
                                 AuthenticationWire authentication) {
        static DefinitionWire of(LabelDefinition d) {
            return new DefinitionWire(d.driver(), ResourcesWire.of(d.resources()), d.options().json(),
                    AuthenticationWire.ofNullable(d.authentication()));
        }
    }
}
