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

/**
 * Metadata as environment variables, the way the Meta API's text formats show it: nested keys
 * joined with {@code _} (array items by index), keys reduced to {@code [A-Za-z0-9_]}, scalars as
 * their text, null as "". A key that reduces to nothing is dropped; when two keys reduce to the same
 * name, the later one in the document wins.
 */
public final class MetadataEnvironment {
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();

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
            flatten(null, root, out);
        }
        return Collections.unmodifiableSortedMap(out);
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

    /** {@code path} is null at the root, so an empty top-level key still makes a variable ({@code _}). */
    private static void flatten(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(join(path, e.getKey()), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(join(path, Integer.toString(i)), node.get(i), out);
            }
        } else if (path != null) {
            // Numbers as the user wrote them (1.10 stays 1.10, 1e6 becomes 1000000), as the Meta API prints them.
            String text = node.isNull() ? "" : node.isBigDecimal() ? node.decimalValue().toPlainString() : node.asText();
            // A NUL cannot be passed in an environment: it would end the value early anyway.
            out.put(sanitizeKey(path), text.replace("\0", ""));
        }
    }

    private static String join(String path, String key) {
        return path == null ? key : path + "_" + key;
    }
}
