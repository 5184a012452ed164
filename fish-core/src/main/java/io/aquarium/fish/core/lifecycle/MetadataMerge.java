package io.aquarium.fish.core.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquarium.fish.core.model.RawJson;

/** The metadata a resource sees: the application's, overlaid by the label's (the label wins). */
public final class MetadataMerge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetadataMerge() {
    }

    public static RawJson merge(RawJson application, RawJson label) {
        try {
            ObjectNode merged = JSON.createObjectNode();
            JsonNode app = JSON.readTree(application.json());
            JsonNode lab = JSON.readTree(label.json());
            if (app instanceof ObjectNode a) {
                merged.setAll(a);
            }
            if (lab instanceof ObjectNode l) {
                merged.setAll(l);
            }
            return new RawJson(JSON.writeValueAsString(merged));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not JSON", e);
        }
    }
}
