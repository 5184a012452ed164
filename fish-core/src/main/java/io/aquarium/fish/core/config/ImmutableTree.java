package io.aquarium.fish.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of YAML-shaped data (maps with string keys, lists, scalars). Null values
 * are kept because YAML allows them ({@code key: ~}); order is kept so logs match the file.
 */
final class ImmutableTree {
    private ImmutableTree() {
    }

    /** @throws IllegalArgumentException on a non-string key or a value that is not YAML-shaped */
    static Map<String, Object> copyMap(Map<?, ?> source, String path) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("key " + ConfigValues.describe(entry.getKey()) + " in " + path
                        + " is not a string");
            }
            copy.put(key, copy(entry.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
    }

    static Object copy(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof BigInteger
                || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map, path);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copy(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("unsupported value of type " + value.getClass().getSimpleName()
                + " at " + path);
    }
}
