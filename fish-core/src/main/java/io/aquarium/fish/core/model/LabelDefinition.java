package io.aquarium.fish.core.model;

import java.util.Objects;

/** One way to serve a label: a driver (or driver/instance), its resources and options. */
public record LabelDefinition(String driver, Resources resources, RawJson options, Authentication authentication) {
    public LabelDefinition {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(resources, "resources");
        options = options == null ? RawJson.EMPTY_OBJECT : options;
    }

    /** This definition without its credentials. */
    public LabelDefinition withoutAuthentication() {
        return authentication == null ? this : new LabelDefinition(driver, resources, options, null);
    }
}
