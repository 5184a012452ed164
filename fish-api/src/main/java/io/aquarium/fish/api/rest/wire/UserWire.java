package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.User;

/** A User on the wire. The hash is always zeroed: responses never carry real hash material. */
public record UserWire(@JsonProperty("name") String name,
                       @JsonProperty("created_at") String createdAt,
                       @JsonProperty("updated_at") String updatedAt,
                       @JsonProperty("hash") HashWire hash) {

    public static UserWire of(User user) {
        return new UserWire(user.name(), Times.format(user.createdAt()), Times.format(user.updatedAt()), HashWire.ZEROED);
    }

    /** The original's crypt.Hash shape, zeroed. */
    public record HashWire(@JsonProperty("algo") String algo,
                           @JsonProperty("prop") PropWire prop,
                           @JsonProperty("salt") byte[] salt,
                           @JsonProperty("hash") byte[] hash) {
        static final HashWire ZEROED = new HashWire("", new PropWire(0, 0, 0), null, null);
    }

    public record PropWire(@JsonProperty("memory") int memory,
                           @JsonProperty("iterations") int iterations,
                           @JsonProperty("threads") int threads) {
    }
}
