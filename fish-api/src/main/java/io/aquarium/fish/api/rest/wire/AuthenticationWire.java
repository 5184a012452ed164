package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.Authentication;

public record AuthenticationWire(@JsonProperty("username") String username,
                                 @JsonProperty("password") String password,
                                 @JsonProperty("key") String key,
                                 @JsonProperty("port") int port) {

    static AuthenticationWire ofNullable(Authentication a) {
        return a == null ? null : new AuthenticationWire(a.username(), a.password(), a.key(), a.port());
    }

    public Authentication toModel() {
        return new Authentication(username, password, key, port);
    }
}
