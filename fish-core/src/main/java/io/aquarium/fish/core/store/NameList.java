package io.aquarium.fish.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * A list of names (a label's {@code visible_for}) as one JSON array text, for backends that keep it in
 * a single column; null and "" read as the empty list (rows written before the column existed).
 */
public final class NameList {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private NameList() {
    }

    public static String encode(List<String> names) {
        try {
            return MAPPER.writeValueAsString(names);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unable to encode names", e);
        }
    }

    public static List<String> decode(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return List.copyOf(MAPPER.readValue(json, NAMES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored name list is not a JSON array of strings", e);
        }
    }
}
