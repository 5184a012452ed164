package io.aquarium.fish.core.config;

/**
 * The node configuration is unusable. The message names the offending key (or file) so an operator
 * can fix it without reading a stack trace.
 */
public class ConfigException extends RuntimeException {
    private static final int MAX_ECHO_LENGTH = 80;

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
        return invalid(key, reason + " (got " + echo(got) + ")");
    }

    /** Renders a value for a message: strings quoted, long values cut so a stray blob cannot flood the log. */
    static String echo(Object value) {
        String text;
        if (value == null) {
            text = "null";
        } else if (value instanceof CharSequence s) {
            text = "'" + s + "'";
        } else if (value instanceof java.util.Map<?, ?>) {
            text = "a mapping";
        } else if (value instanceof java.util.Collection<?>) {
            text = "a list";
        } else {
            text = String.valueOf(value);
        }
        return text.length() > MAX_ECHO_LENGTH ? text.substring(0, MAX_ECHO_LENGTH) + "..." : text;
    }
}
