package io.aquarium.fish.core.metadata;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A metadata JSON value with numbers kept as the text the user wrote ({@code 1000000}, {@code 1.10},
 * {@code 123456789012345678901234567890}), which a double or even a Jackson tree would not keep.
 */
public sealed interface MetadataValue {
    /** An object; keys in document order, a repeated key keeps its last value. */
    record Obj(Map<String, MetadataValue> fields) implements MetadataValue {
        public Obj {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    record Arr(List<MetadataValue> items) implements MetadataValue {
        public Arr {
            items = List.copyOf(items);
        }
    }

    record Str(String value) implements MetadataValue {
    }

    /** A number exactly as written in the JSON text. */
    record Num(String text) implements MetadataValue {
        /** The longest plain form an exponent is expanded to. */
        public static final int MAX_PLAIN_NUMBER = 64;

        /**
         * The number as text formats, environments and YAML show it: as written ({@code 1000000},
         * {@code 1.10}), but an exponent form ({@code 1e6}) as plain digits when that takes at most
         * {@value #MAX_PLAIN_NUMBER} characters.
         */
        public String plainText() {
            if (text.indexOf('e') < 0 && text.indexOf('E') < 0) {
                return text;
            }
            BigDecimal number;
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException e) {
                return text; // an exponent beyond int range: leave it as written
            }
            // Estimated before building it: "1e999999999" must not become a billion zeros.
            long digits = number.precision();
            long scale = number.scale();
            long plainLength = scale <= 0 ? digits - scale : Math.max(digits, scale + 1) + 1;
            return plainLength + 1 <= MAX_PLAIN_NUMBER ? number.toPlainString() : text;
        }
    }

    record Bool(boolean value) implements MetadataValue {
    }

    enum Null implements MetadataValue { INSTANCE }

    Obj EMPTY = new Obj(Map.of());

    /** Parses one JSON document; {@link IllegalArgumentException} when it is not valid JSON. */
    static MetadataValue parse(String json) {
        return MetadataValueReader.read(json);
    }

    /**
     * A scalar as text formats and environments show it: strings as they are, numbers by
     * {@link Num#plainText()}, booleans {@code true}/{@code false}, null (and a container) as "".
     */
    static String scalarText(MetadataValue value) {
        if (value instanceof Str s) {
            return s.value();
        }
        if (value instanceof Num n) {
            return n.plainText();
        }
        if (value instanceof Bool b) {
            return Boolean.toString(b.value());
        }
        return "";
    }

    /**
     * The value at {@code path}: object keys, or decimal indexes into arrays. Empty path = this value.
     */
    default Optional<MetadataValue> at(List<String> path) {
        MetadataValue current = this;
        for (String segment : path) {
            if (current instanceof Obj o) {
                current = o.fields().get(segment);
            } else if (current instanceof Arr a && isIndex(segment) && Integer.parseInt(segment) < a.items().size()) {
                current = a.items().get(Integer.parseInt(segment));
            } else {
                current = null;
            }
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    private static boolean isIndex(String segment) {
        // Canonical decimal only ("01" is not index 1), short enough for an int.
        return !segment.isEmpty() && segment.length() <= 9 && segment.chars().allMatch(c -> c >= '0' && c <= '9')
                && (segment.length() == 1 || segment.charAt(0) != '0');
    }
}
