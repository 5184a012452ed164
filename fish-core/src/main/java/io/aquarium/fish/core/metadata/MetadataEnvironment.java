package io.aquarium.fish.core.metadata;

import io.aquarium.fish.core.model.RawJson;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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

    private MetadataEnvironment() {
    }

    /** One variable and the metadata path it came from. */
    private record Variable(List<String> path, String value) {
    }

    /** The variables of {@code metadata} (empty when it is not a JSON object), sorted by name. */
    public static SortedMap<String, String> of(RawJson metadata) {
        MetadataValue root = parse(metadata == null ? null : metadata.json());
        if (!(root instanceof MetadataValue.Obj)) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, String> out = new TreeMap<>();
        // A NUL cannot be passed in an environment: it would end the value early anyway.
        variables(root, List.of()).forEach((name, value) -> out.put(name, value.replace("\0", "")));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * The variable names one top-level field makes: {@code key} with its value {@code rawValue}
     * (JSON text). Empty when the value is an empty object or array, or not JSON.
     */
    public static Set<String> names(String key, String rawValue) {
        MetadataValue value = parse(rawValue);
        return value == null ? Set.of() : Collections.unmodifiableSet(variables(value, List.of(key)).keySet());
    }

    /**
     * The variables {@code value} makes when it sits at {@code path}: one per scalar, named by
     * {@link #sanitizeKey} of its path joined with {@code _} (array items by index), valued by
     * {@link MetadataValue#scalarText}; a clash goes to the path that sorts last ({@link #CLASH_ORDER}).
     * The Meta API's text formats and the drivers' environments both come from here.
     */
    public static SortedMap<String, String> variables(MetadataValue value, List<String> path) {
        SortedMap<String, Variable> found = new TreeMap<>();
        flatten(path, value, found);
        SortedMap<String, String> out = new TreeMap<>();
        found.forEach((name, v) -> out.put(name, v.value()));
        return out;
    }

    private static MetadataValue parse(String json) {
        try {
            return json == null ? null : MetadataValue.parse(json);
        } catch (IllegalArgumentException e) {
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

    private static void flatten(List<String> path, MetadataValue node, Map<String, Variable> out) {
        if (node instanceof MetadataValue.Obj o) {
            o.fields().forEach((key, value) -> flatten(append(path, key), value, out));
        } else if (node instanceof MetadataValue.Arr a) {
            for (int i = 0; i < a.items().size(); i++) {
                flatten(append(path, Integer.toString(i)), a.items().get(i), out);
            }
        } else {
            out.merge(sanitizeKey(String.join("_", path)), new Variable(path, MetadataValue.scalarText(node)),
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
