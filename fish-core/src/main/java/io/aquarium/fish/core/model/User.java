package io.aquarium.fish.core.model;

import java.time.Instant;

public record User(String name, Instant createdAt, Instant updatedAt, PasswordHash hash) {
    public static final String ADMIN = "admin";

    public boolean isAdmin() {
        return ADMIN.equals(name);
    }
}
