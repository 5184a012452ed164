package io.aquarium.fish.meta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Streams JSON into {@link MetaValue}s, keeping each number token's own characters. */
final class MetaValueReader {
    private static final JsonFactory JSON = new JsonFactory();

    private MetaValueReader() {
    }

    static MetaValue read(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty JSON document");
            }
            MetaValue value = read(p, first);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON document");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        }
    }

    private static MetaValue read(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, MetaValue> fields = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    fields.put(name, read(p, p.nextToken()));
                }
                yield new MetaValue.Obj(fields);
            }
            case START_ARRAY -> {
                List<MetaValue> items = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    items.add(read(p, t));
                }
                yield new MetaValue.Arr(items);
            }
            case VALUE_STRING -> new MetaValue.Str(p.getText());
            // getText() of a number token is the token's own characters, not a re-rendering.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new MetaValue.Num(p.getText());
            case VALUE_TRUE -> new MetaValue.Bool(true);
            case VALUE_FALSE -> new MetaValue.Bool(false);
            case VALUE_NULL -> MetaValue.Null.INSTANCE;
            default -> throw new IOException("unexpected JSON token " + token);
        };
    }
}
