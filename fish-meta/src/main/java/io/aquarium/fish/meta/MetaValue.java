package io.aquarium.fish.meta;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A metadata JSON value with numbers kept as the text the user wrote ({@code 1000000}, {@code 1.10},
 * {@code 123456789012345678901234567890}), which a double or even a Jackson tree would not keep.
 */
public sealed interface MetaValue {
    /** An object; keys in document order, a repeated key keeps its last value. */
    record Obj(Map<String, MetaValue> fields) implements MetaValue {
        public Obj {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    record Arr(List<MetaValue> items) implements MetaValue {
        public Arr {
            items = List.copyOf(items);
        }
    }

    record Str(String value) implements MetaValue {
    }

    /** A number exactly as written in the JSON text. */
    record Num(String text) implements MetaValue {
    }

    record Bool(boolean value) implements MetaValue {
    }

    enum Null implements MetaValue { INSTANCE }

    Obj EMPTY = new Obj(Map.of());

    /** Parses one JSON document; {@link IllegalArgumentException} when it is not valid JSON. */
    static MetaValue parse(String json) {
        return MetaValueReader.read(json);
    }

    /**
     * The value at {@code path}: object keys, or decimal indexes into arrays. Empty path = this value.
     */
    default Optional<MetaValue> at(List<String> path) {
        MetaValue current = this;
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
