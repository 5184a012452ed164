package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.aquarium.fish.core.model.ApplicationTask;

public record ApplicationTaskWire(@JsonProperty("UID") String uid,
                                  @JsonProperty("created_at") String createdAt,
                                  @JsonProperty("updated_at") String updatedAt,
                                  @JsonProperty("application_UID") String applicationUid,
                                  @JsonProperty("task") String task,
                                  @JsonProperty("when") String when,
                                  @JsonProperty("options") @JsonRawValue String options,
                                  @JsonProperty("result") @JsonRawValue String result) {

    public static ApplicationTaskWire of(ApplicationTask t) {
        return new ApplicationTaskWire(t.uid().toString(), Times.format(t.createdAt()), Times.format(t.updatedAt()),
                t.applicationUid().toString(), t.task(), t.when().name(), t.options().json(), t.result().json());
    }
}
