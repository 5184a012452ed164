package io.aquarium.fish.core.metadata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Streams JSON into {@link MetadataValue}s, keeping each number token's own characters. */
final class MetadataValueReader {
    private static final JsonFactory JSON = new JsonFactory();

    private MetadataValueReader() {
    }

    static MetadataValue read(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty JSON document");
            }
            MetadataValue value = read(p, first);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON document");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        }
    }

    private static MetadataValue read(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, MetadataValue> fields = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    fields.put(name, read(p, p.nextToken()));
                }
                yield new MetadataValue.Obj(fields);
            }
            case START_ARRAY -> {
                List<MetadataValue> items = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    items.add(read(p, t));
                }
                yield new MetadataValue.Arr(items);
            }
            case VALUE_STRING -> new MetadataValue.Str(p.getText());
            // getText() of a number token is the token's own characters, not a re-rendering.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new MetadataValue.Num(p.getText());
            case VALUE_TRUE -> new MetadataValue.Bool(true);
            case VALUE_FALSE -> new MetadataValue.Bool(false);
            case VALUE_NULL -> MetadataValue.Null.INSTANCE;
            default -> throw new IOException("unexpected JSON token " + token);
        };
    }
}
