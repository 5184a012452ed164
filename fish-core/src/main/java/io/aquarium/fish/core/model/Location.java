package io.aquarium.fish.core.model;

import java.time.Instant;

public record Location(String name, Instant createdAt, String description) {
    public Location {
        description = description == null ? "" : description;
    }
}
