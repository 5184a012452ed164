package io.aquarium.fish.core.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of {@code drivers:}. {@code name} is {@code <driver>} or {@code <driver>/<instance>};
 * {@code cfg} is the driver's own settings, handed to it as parsed YAML (deep-immutable).
 */
public record DriverConfig(String name, Map<String, Object> cfg) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?");

    public DriverConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("driver name must look like <driver> or <driver>/<instance> (got "
                    + ConfigValues.describe(name) + ")");
        }
        cfg = cfg == null ? Map.of() : ImmutableTree.copyMap(cfg, name + ".cfg");
    }

    public DriverConfig(String name) {
        this(name, Map.of());
    }

    /** The driver part of the name, before any '/'. */
    public String driver() {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }

    /** The instance part after '/', or "" for the driver's default instance. */
    public String instance() {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(slash + 1);
    }
}
