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

    /** Every error of a config, one message per line; the key is the first error's. */
    public static ConfigException of(java.util.List<ConfigProblem> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        String key = errors.get(0).key();
        if (key != null) {
            // The top-level key: drivers[0].cfg.cpu_limit is about 'drivers'.
            key = key.split("[.\\[]", 2)[0];
        }
        return new ConfigException(key,
                String.join("\n", errors.stream().map(ConfigProblem::message).toList()), null);
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
