package io.aquarium.fish.core.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a label's definitions as one JSON text (snake_case keys, like the wire format), for
 * backends that keep them in a single column.
 *
 * <p>The driver {@code options} are user JSON the API must echo byte for byte, so they are embedded
 * raw and cut back out of the text on decode, never re-serialised. Options that are not exactly one
 * JSON value without surrounding whitespace (which could not be embedded raw) are kept as a JSON
 * string under {@value #OPTIONS_TEXT} instead.
 */
public final class DefinitionsCodec {
    private static final String OPTIONS = "options";
    private static final String OPTIONS_TEXT = "options_text";

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory factory = mapper.getFactory();

    public String encode(List<LabelDefinition> definitions) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartArray();
            for (LabelDefinition d : definitions) {
                writeDefinition(g, d);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to encode label definitions", e);
        }
        return out.toString();
    }

    public List<LabelDefinition> decode(String json) {
        try (JsonParser p = factory.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            List<LabelDefinition> definitions = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                definitions.add(readDefinition(p, json));
            }
            expect(p.currentToken(), JsonToken.END_ARRAY);
            return definitions;
        } catch (IOException e) {
            throw new IllegalArgumentException("Stored label definitions are not valid JSON", e);
        }
    }

    private void writeDefinition(JsonGenerator g, LabelDefinition d) throws IOException {
        g.writeStartObject();
        g.writeStringField("driver", d.driver());
        writeResources(g, d.resources());
        String options = d.options().json();
        if (isSingleJsonValue(options)) {
            g.writeFieldName(OPTIONS);
            g.writeRawValue(options);
        } else {
            g.writeStringField(OPTIONS_TEXT, options);
        }
        if (d.authentication() != null) {
            Authentication a = d.authentication();
            g.writeObjectFieldStart("authentication");
            g.writeStringField("username", a.username());
            g.writeStringField("password", a.password());
            g.writeStringField("key", a.key());
            g.writeNumberField("port", a.port());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeResources(JsonGenerator g, Resources r) throws IOException {
        g.writeObjectFieldStart("resources");
        g.writeNumberField("cpu", r.cpu());
        g.writeNumberField("ram", r.ram());
        g.writeObjectFieldStart("disks");
        for (Map.Entry<String, ResourcesDisk> e : r.disks().entrySet()) {
            ResourcesDisk disk = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            g.writeStringField("type", disk.type());
            g.writeStringField("label", disk.label());
            g.writeNumberField("size", disk.size());
            g.writeBooleanField("reuse", disk.reuse());
            g.writeStringField("clone", disk.cloneOf());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeStringField("network", r.network());
        g.writeArrayFieldStart("node_filter");
        for (String f : r.nodeFilter()) {
            g.writeString(f);
        }
        g.writeEndArray();
        g.writeBooleanField("multitenancy", r.multitenancy());
        g.writeBooleanField("cpu_overbook", r.cpuOverbook());
        g.writeBooleanField("ram_overbook", r.ramOverbook());
        g.writeStringField("lifetime", r.lifetime());
        g.writeEndObject();
    }

    /** Reads one definition object; the parser is on its START_OBJECT and ends on its END_OBJECT. */
    private LabelDefinition readDefinition(JsonParser p, String source) throws IOException {
        ObjectNode fields = mapper.createObjectNode();
        String options = RawJson.EMPTY_OBJECT.json();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (OPTIONS.equals(name)) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    p.getText(); // strings are read lazily: finish it so the location is past its closing quote
                }
                int end = (int) p.currentLocation().getCharOffset();
                options = source.substring(start, end);
            } else if (OPTIONS_TEXT.equals(name)) {
                options = p.getValueAsString();
            } else {
                fields.set(name, mapper.readTree(p));
            }
        }
        JsonNode auth = fields.get("authentication");
        return new LabelDefinition(
                fields.path("driver").asText(),
                readResources(fields.path("resources")),
                new RawJson(options),
                auth == null || auth.isNull() ? null : new Authentication(auth.path("username").asText(),
                        auth.path("password").asText(), auth.path("key").asText(), auth.path("port").asInt()));
    }

    private static Resources readResources(JsonNode r) {
        Map<String, ResourcesDisk> disks = new LinkedHashMap<>();
        r.path("disks").fields().forEachRemaining(e -> {
            JsonNode d = e.getValue();
            disks.put(e.getKey(), new ResourcesDisk(d.path("type").asText(), d.path("label").asText(),
                    d.path("size").asInt(), d.path("reuse").asBoolean(), d.path("clone").asText()));
        });
        List<String> nodeFilter = new ArrayList<>();
        r.path("node_filter").forEach(f -> nodeFilter.add(f.asText()));
        return new Resources(r.path("cpu").asInt(), r.path("ram").asInt(), disks, r.path("network").asText(),
                nodeFilter, r.path("multitenancy").asBoolean(), r.path("cpu_overbook").asBoolean(),
                r.path("ram_overbook").asBoolean(), r.path("lifetime").asText());
    }

    /** True when the text is exactly one well-formed JSON value, so embedding it raw keeps the document valid. */
    private boolean isSingleJsonValue(String json) {
        if (json.isEmpty() || json.strip().length() != json.length()) {
            return false;
        }
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("Stored label definitions: expected " + expected + ", got " + actual);
        }
    }
}
