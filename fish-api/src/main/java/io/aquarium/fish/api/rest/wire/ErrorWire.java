package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Every error body: {@code {"message": ...}}. */
public record ErrorWire(@JsonProperty("message") String message) {
}
