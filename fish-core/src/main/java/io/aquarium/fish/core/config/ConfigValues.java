package io.aquarium.fish.core.config;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Converts one parsed YAML (or override) value to the type its key needs. Values from YAML arrive
 * as SnakeYAML scalars; overrides from the command line arrive as strings, so numeric and boolean
 * strings are accepted too.
 */
final class ConfigValues {
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,10}");

    private ConfigValues() {
    }

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
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        if (value instanceof String s && INTEGER.matcher(s.strip()).matches()) {
            long parsed = Long.parseLong(s.strip());
            if (parsed == (int) parsed) {
                return (int) parsed;
            }
        }
        throw ConfigException.invalid(key, "expected an integer", value);
    }

    static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            if (s.strip().equalsIgnoreCase("true")) {
                return true;
            }
            if (s.strip().equalsIgnoreCase("false")) {
                return false;
            }
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
}
