package io.aquarium.fish.core.config;

/**
 * The node configuration is unusable. The message names the offending key (or file) so an operator
 * can fix it without reading a stack trace.
 */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String message) {
        this(null, message, null);
    }

    public ConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The YAML key the problem is about, or null when it concerns the file as a whole. */
    public String key() {
        return key;
    }

    /** {@code invalid value for '<key>': <reason>}. */
    public static ConfigException invalid(String key, String reason) {
        return new ConfigException(key, "invalid value for '" + key + "': " + reason, null);
    }

    /** {@code invalid value for '<key>': <reason> (got <value>)}. */
    public static ConfigException invalid(String key, String reason, Object got) {
        return invalid(key, reason + " (got " + ConfigValues.describe(got) + ")");
    }
}
