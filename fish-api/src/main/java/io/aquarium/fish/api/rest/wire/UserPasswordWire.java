package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.User;

/** The answer to create-or-update user: the generated password, or "" when the client chose it. */
public record UserPasswordWire(@JsonProperty("name") String name,
                               @JsonProperty("created_at") String createdAt,
                               @JsonProperty("updated_at") String updatedAt,
                               @JsonProperty("password") String password) {

    public static UserPasswordWire of(User user, String password) {
        return new UserPasswordWire(user.name(), Times.format(user.createdAt()), Times.format(user.updatedAt()),
                password == null ? "" : password);
    }
}
