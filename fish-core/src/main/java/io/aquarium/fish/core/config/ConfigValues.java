package io.aquarium.fish.core.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one reader of config values: the node's own keys ({@link ConfigLoader}, through the static
 * methods) and every driver's {@code cfg} (through an instance). Values from YAML arrive as
 * SnakeYAML scalars. The node's overrides from the command line arrive as strings, so the node's
 * keys also take numeric and boolean text; a driver's {@code cfg} comes from YAML only and takes
 * typed values alone. A wrong value names its key and echoes the value, cut short.
 */
public final class ConfigValues {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigValues.class);
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,10}");
    private static final int MAX_ECHO_LENGTH = 80;

    private final String subject;
    private final Map<String, Object> values;
    private final Function<String, ? extends RuntimeException> error;
    private final ConfigProblems problems;

    /**
     * A reader of one driver's {@code cfg} for a node that runs it: missing or null keys take their
     * defaults, a wrong value throws, unknown keys are logged and ignored (the node's start checked
     * the config with {@link #ConfigValues(String, Map, Set, Set, Function, ConfigProblems)} before).
     *
     * @param subject   the driver's name for messages ("docker driver")
     * @param knownKeys the keys the driver reads
     * @param error     makes the exception for a message {@code <subject> config '<key>': <reason>}
     */
    public ConfigValues(String subject, Map<String, Object> cfg, Set<String> knownKeys,
                        Function<String, ? extends RuntimeException> error) {
        this(subject, cfg, knownKeys, Set.of(), error, null);
    }

    /**
     * A reader of one driver's {@code cfg} that, given {@code problems}, reports instead of throwing:
     * an unknown key is an error with a suggestion, a key of {@code ignoredKeys} (the original Fish's
     * driver keys this driver does without) a warning, and a wrong value an error, the key then taking
     * its default so the rest can be read. Values a driver checks itself still throw {@link #invalid}.
     *
     * @param problems where problems go, null to throw and log as a running node does
     */
    public ConfigValues(String subject, Map<String, Object> cfg, Set<String> knownKeys, Set<String> ignoredKeys,
                        Function<String, ? extends RuntimeException> error, ConfigProblems problems) {
        this.subject = subject;
        this.values = cfg == null ? Map.of() : cfg;
        this.error = error;
        this.problems = problems;
        for (String key : values.keySet()) {
            if (knownKeys.contains(key)) {
                continue;
            }
            if (ignoredKeys.contains(key)) {
                if (problems != null) {
                    problems.warning(key, subject + " config: key '" + key + "' of the original Fish is not supported"
                            + " by this driver and is ignored");
                }
            } else if (problems != null) {
                Suggestions.reportUnknown(problems, key, subject + " config: unknown key", key, knownKeys);
            } else {
                LOG.warn("{} config: unknown key '{}' ignored", subject, cut(key));
            }
        }
    }

    // ---- the node's own keys (ConfigLoader): lenient about text from the command line ----

    static String string(String key, Object value) {
        if (value instanceof String s) {
            return s;
        }
        // YAML turns `node_name: 42` into a number; Go's decoder would take it as the string "42".
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Boolean) {
            return value.toString();
        }
        throw ConfigException.invalid(key, "expected a string", value);
    }

    static int integer(String key, Object value) {
        Long n = wholeNumber(value, true);
        if (n != null && n == n.intValue()) {
            return n.intValue();
        }
        throw ConfigException.invalid(key, "expected an integer", value);
    }

    static boolean bool(String key, Object value) {
        Boolean b = truth(value, true);
        if (b != null) {
            return b;
        }
        throw ConfigException.invalid(key, "expected true or false", value);
    }

    static Duration duration(String key, Object value) {
        if (value instanceof Duration d) {
            return d;
        }
        if (value instanceof Integer i && i == 0) {
            return Duration.ZERO;
        }
        if (value instanceof String s) {
            try {
                return GoDuration.parse(s);
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalid(key, e.getMessage());
            }
        }
        throw ConfigException.invalid(key, "expected a duration like '30s', '2h' or '1d'", value);
    }

    static Path path(String key, Object value) {
        if (value instanceof Path p) {
            return p;
        }
        String text = string(key, value);
        if (text.isBlank()) {
            throw ConfigException.invalid(key, "must not be empty");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(key, "not a valid path: " + e.getReason(), text);
        }
    }

    static List<String> stringList(String key, Object value) {
        if (!(value instanceof List<?> list)) {
            throw ConfigException.invalid(key, "expected a list of strings", value);
        }
        List<String> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item == null) {
                throw ConfigException.invalid(key, "item " + i + " must not be empty");
            }
            try {
                result.add(string(key, item));
            } catch (ConfigException e) {
                throw ConfigException.invalid(key, "item " + i + " is not a string", item);
            }
        }
        return result;
    }

    // ---- a driver's cfg: typed YAML values only ----

    /** A whole number from {@code min} to {@code max}. */
    public int integer(String key, int defaultValue, int min, int max) {
        return integer(key, defaultValue, min, max, "expected an integer from " + min + " to " + max);
    }

    /** A whole number from {@code min} to {@code max}; {@code expected} says so when it is not. */
    public int integer(String key, int defaultValue, int min, int max, String expected) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        Long n = wholeNumber(value, false);
        if (n == null || n < min || n > max) {
            return reject(key, expected, value, defaultValue);
        }
        return n.intValue();
    }

    public boolean bool(String key, boolean defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        Boolean b = truth(value, false);
        if (b == null) {
            return reject(key, "expected true or false", value, defaultValue);
        }
        return b;
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
        return reject(key, "expected a non-empty string", value, defaultValue);
    }

    /** A directory, absolute or relative to {@code base}; normalised and absolute. */
    public Path path(String key, String defaultValue, Path base) {
        Object value = values.get(key);
        String text = defaultValue;
        if (value instanceof String s && !s.isBlank()) {
            text = s;
        } else if (value != null) {
            reject(key, "expected a directory path", value, null);
        }
        try {
            return (base == null ? Path.of("") : base).toAbsolutePath().resolve(text).normalize();
        } catch (InvalidPathException e) {
            reject(key, "not a valid path", value, null);
            return (base == null ? Path.of("") : base).toAbsolutePath().resolve(defaultValue).normalize();
        }
    }

    /** Throws {@link #invalid}, or when collecting problems reports it and gives {@code fallback}. */
    private <T> T reject(String key, String expected, Object got, T fallback) {
        RuntimeException e = invalid(key, expected, got);
        if (problems == null) {
            throw e;
        }
        problems.error(key, e.getMessage());
        return fallback;
    }

    /** The exception for a value of {@code key} that is not {@code expected}. */
    public RuntimeException invalid(String key, String expected, Object got) {
        return error.apply(subject + " config '" + key + "': " + expected + " (got " + describe(got) + ")");
    }

    // ---- shared ----

    /** A short, safe rendering of a user value for messages: strings quoted, long values cut. */
    public static String describe(Object value) {
        if (value instanceof CharSequence s) {
            return cut("'" + s + "'");
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof Collection<?>) {
            return "a list";
        }
        return cut(String.valueOf(value));
    }

    private static String cut(String text) {
        return text.length() > MAX_ECHO_LENGTH ? text.substring(0, MAX_ECHO_LENGTH) + "..." : text;
    }

    /** A whole number of any integral type, or (with {@code text}) written as one; else null. */
    private static Long wholeNumber(Object value, boolean text) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 63) {
            return big.longValue();
        }
        if (text && value instanceof String s && INTEGER.matcher(s.strip()).matches()) {
            return Long.parseLong(s.strip());
        }
        return null;
    }

    /** A boolean, or (with {@code text}) "true"/"false" in any case; else null. */
    private static Boolean truth(Object value, boolean text) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (text && value instanceof String s) {
            if (s.strip().equalsIgnoreCase("true")) {
                return true;
            }
            if (s.strip().equalsIgnoreCase("false")) {
                return false;
            }
        }
        return null;
    }
}
