package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.Vote;

public record VoteWire(@JsonProperty("UID") String uid,
                       @JsonProperty("created_at") String createdAt,
                       @JsonProperty("application_UID") String applicationUid,
                       @JsonProperty("node_UID") String nodeUid,
                       @JsonProperty("round") int round,
                       @JsonProperty("available") int available,
                       @JsonProperty("rand") long rand) {

    public static VoteWire of(Vote v) {
        return new VoteWire(v.uid().toString(), Times.format(v.createdAt()), v.applicationUid().toString(),
                v.nodeUid().toString(), v.round(), v.available(), v.rand());
    }
}
