package io.aquarium.fish.core.lifecycle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.core.model.RawJson;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Metadata as environment variables, the way the Meta API's text formats show it: nested keys
 * joined with {@code _} (array items by index), keys reduced to {@code [A-Za-z0-9_]}, scalars as
 * their text, null as "". A key that reduces to nothing is dropped. When two paths reduce to the
 * same name, the path that sorts last ({@link #CLASH_ORDER}) wins, whatever the document order: the
 * Meta API decides such clashes the same way, so a VM and a container see the same value. (A clash
 * between the application's and the label's metadata never gets here: {@link MetadataMerge} lets
 * the label win it.)
 */
public final class MetadataEnvironment {
    /**
     * Which of two paths that sanitise to the same name wins: the one that sorts last, segment by
     * segment (by UTF-16 code unit), a shorter path before its extensions.
     */
    public static final Comparator<List<String>> CLASH_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();

    private MetadataEnvironment() {
    }

    /** One variable and the metadata path it came from. */
    private record Variable(List<String> path, String value) {
    }

    /** The variables of {@code metadata} (empty when it is not a JSON object), sorted by name. */
    public static SortedMap<String, String> of(RawJson metadata) {
        JsonNode root = parse(metadata == null ? null : metadata.json());
        SortedMap<String, Variable> found = new TreeMap<>();
        if (root != null && root.isObject()) {
            flatten(List.of(), root, found);
        }
        SortedMap<String, String> out = new TreeMap<>();
        found.forEach((name, v) -> out.put(name, v.value()));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * The variable names one top-level field makes: {@code key} with its value {@code rawValue}
     * (JSON text). Empty when the value is an empty object or array, or not JSON.
     */
    public static Set<String> names(String key, String rawValue) {
        JsonNode value = parse(rawValue);
        if (value == null) {
            return Set.of();
        }
        SortedMap<String, Variable> found = new TreeMap<>();
        flatten(List.of(key), value, found);
        return Collections.unmodifiableSet(found.keySet());
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * {@code key} as a variable name: every character outside {@code [A-Za-z0-9_]} becomes {@code _},
     * and a name that would be empty or start with a digit gets a leading {@code _}. The Meta API's
     * text formats use the same rule, so a VM and a container see the same names.
     */
    public static String sanitizeKey(String key) {
        StringBuilder out = new StringBuilder(key.length() + 1);
        key.codePoints().forEach(c -> out.append(
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? (char) c : '_'));
        if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }

    /** {@code path} is empty at the root, so an empty top-level key still makes a variable ({@code _}). */
    private static void flatten(List<String> path, JsonNode node, Map<String, Variable> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(append(path, e.getKey()), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(append(path, Integer.toString(i)), node.get(i), out);
            }
        } else if (!path.isEmpty()) {
            // Numbers as the user wrote them (1.10 stays 1.10, 1e6 becomes 1000000), as the Meta API prints them.
            String text = node.isNull() ? "" : node.isBigDecimal() ? node.decimalValue().toPlainString() : node.asText();
            // A NUL cannot be passed in an environment: it would end the value early anyway.
            out.merge(sanitizeKey(String.join("_", path)), new Variable(path, text.replace("\0", "")),
                    (old, now) -> CLASH_ORDER.compare(old.path(), now.path()) >= 0 ? old : now);
        }
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> next = new ArrayList<>(path.size() + 1);
        next.addAll(path);
        next.add(segment);
        return next;
    }
}
