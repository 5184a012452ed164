package io.aquarium.fish.drivers.common;

import io.aquarium.fish.core.driver.DriverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads one driver's {@code cfg} (parsed YAML): missing or null keys take their defaults, unknown
 * keys are logged and ignored (like unknown node config keys), a wrong value names its key.
 */
public final class ConfigValues {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigValues.class);
    private static final int MAX_ECHO = 60;

    private final String driver;
    private final Map<String, Object> values;

    /** @param driver the driver's name for messages ("docker driver") */
    public ConfigValues(String driver, Map<String, Object> cfg, Set<String> knownKeys) {
        this.driver = driver;
        this.values = cfg == null ? Map.of() : cfg;
        for (String key : values.keySet()) {
            if (!knownKeys.contains(key)) {
                LOG.warn("{} config: unknown key '{}' ignored", driver, echo(key));
            }
        }
    }

    /** A whole number from {@code min} to {@code max}. */
    public int integer(String key, int defaultValue, int min, int max) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        long n;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            n = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() < 63) {
            n = big.longValue();
        } else {
            throw invalid(key, "expected an integer from " + min + " to " + max, value);
        }
        if (n < min || n > max) {
            throw invalid(key, "expected an integer from " + min + " to " + max, value);
        }
        return (int) n;
    }

    public boolean bool(String key, boolean defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw invalid(key, "expected true or false", value);
    }

    /** A non-blank string. */
    public String string(String key, String defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw invalid(key, "expected a non-empty string", value);
    }

    /** A directory, absolute or relative to {@code base}; normalised and absolute. */
    public Path path(String key, String defaultValue, Path base) {
        Object value = values.get(key);
        String text = value == null ? defaultValue : null;
        if (value instanceof String s && !s.isBlank()) {
            text = s;
        } else if (value != null) {
            throw invalid(key, "expected a directory path", value);
        }
        try {
            return (base == null ? Path.of("") : base).toAbsolutePath().resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw invalid(key, "not a valid path", value);
        }
    }

    private DriverException invalid(String key, String expected, Object got) {
        return new DriverException(driver + " config '" + key + "': " + expected + " (got " + describe(got) + ")");
    }

    /** A short, safe rendering of a user value for messages. */
    public static String describe(Object value) {
        if (value instanceof CharSequence s) {
            return "'" + echo(s.toString()) + "'";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof Iterable<?>) {
            return "a list";
        }
        return echo(String.valueOf(value));
    }

    private static String echo(String text) {
        return text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
    }
}
