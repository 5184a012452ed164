package io.aquarium.fish.drivers.test;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.store.DefinitionsCodec;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The content of a resource's marker file: {@code {"definition":{...},"metadata":{...}}}, so a
 * person (or a test) can see what was allocated, and deallocation can find the definition's
 * options again. The definition's authentication is left out: the file is not a place for secrets.
 */
final class ResourceMarker {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ResourceMarker() {
    }

    static String encode(LabelDefinition definition, RawJson metadata) {
        LabelDefinition withoutSecrets =
                new LabelDefinition(definition.driver(), definition.resources(), definition.options(), null);
        String array = new DefinitionsCodec().encode(List.of(withoutSecrets));
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("definition");
            // The codec writes "[<definition>]" compactly; its one element is embedded as it is.
            g.writeRawValue(array.substring(1, array.length() - 1));
            JsonNode parsed = parseOrNull(metadata == null ? "{}" : metadata.json());
            if (parsed != null) {
                g.writeFieldName("metadata");
                g.writeTree(parsed);
            } else {
                g.writeStringField("metadata_text", metadata.json());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("unable to encode the resource marker", e);
        }
        return out.toString();
    }

    /** The definition options stored in a marker, empty when the marker is not one this driver wrote. */
    static Optional<RawJson> options(String marker) {
        JsonNode definition = Optional.ofNullable(parseOrNull(marker)).map(n -> n.path("definition"))
                .orElse(null);
        if (definition == null || !definition.isObject()) {
            return Optional.empty();
        }
        JsonNode options = definition.get("options");
        if (options != null) {
            return Optional.of(new RawJson(options.toString()));
        }
        JsonNode text = definition.get("options_text");
        return text != null && text.isTextual() ? Optional.of(new RawJson(text.asText())) : Optional.empty();
    }

    private static JsonNode parseOrNull(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JacksonException e) {
            return null;
        }
    }
}
