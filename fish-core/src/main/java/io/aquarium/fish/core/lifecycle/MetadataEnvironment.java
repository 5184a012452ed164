package io.aquarium.fish.core.lifecycle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.core.model.RawJson;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Metadata as environment variables, the way the Meta API's text formats show it: nested keys
 * joined with {@code _} (array items by index), keys reduced to {@code [A-Za-z0-9_]}, scalars as
 * their text, null as "". A key that reduces to nothing is dropped; when two keys reduce to the same
 * name, the later one in the document wins.
 */
public final class MetadataEnvironment {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NOT_KEY = Pattern.compile("[^A-Za-z0-9_]");

    private MetadataEnvironment() {
    }

    /** The variables of {@code metadata} (empty when it is not a JSON object), sorted by name. */
    public static SortedMap<String, String> of(RawJson metadata) {
        JsonNode root;
        try {
            root = metadata == null ? null : JSON.readTree(metadata.json());
        } catch (JacksonException e) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, String> out = new TreeMap<>();
        if (root != null && root.isObject()) {
            flatten("", root, out);
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** {@code key} reduced to the characters an environment variable name may safely use. */
    public static String sanitizeKey(String key) {
        return NOT_KEY.matcher(key).replaceAll("");
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(join(prefix, e.getKey()), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(join(prefix, Integer.toString(i)), node.get(i), out);
            }
        } else {
            String key = sanitizeKey(prefix);
            if (!key.isEmpty()) {
                // A NUL cannot be passed in an environment: it would end the value early anyway.
                out.put(key, (node.isNull() ? "" : node.asText()).replace("\0", ""));
            }
        }
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "_" + key;
    }
}
