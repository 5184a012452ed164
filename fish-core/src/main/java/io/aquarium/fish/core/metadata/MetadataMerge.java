package io.aquarium.fish.core.metadata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.aquarium.fish.core.model.RawJson;

import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The metadata a resource sees: the application's, overlaid by the label's (the label wins, key by
 * key at the top level). Each value is copied as the user wrote it: re-encoding through a JSON tree
 * would turn {@code 1.10} into {@code 1.1} and long decimals into {@code 1.2345678901234567E19},
 * and the Meta API must print values as written. Key order: the application's keys, then the
 * label's new ones; a key the label overrides keeps its place.
 *
 * <p>The label also wins after keys are sanitised into variable names ({@link MetadataEnvironment}):
 * an application key that would make a variable one of the label's keys makes (application
 * {@code JENKINS~URL} against label {@code JENKINS_URL}, or {@code a: {b: 1}} against {@code a_b}) is
 * left out. This is the one place that rule lives: the resource's recorded metadata, the Meta API
 * in every format and every driver's environment all start from this merge.
 */
public final class MetadataMerge {
    private static final JsonFactory JSON = new JsonFactory();

    private MetadataMerge() {
    }

    public static RawJson merge(RawJson application, RawJson label) {
        Map<String, String> fromApplication = new LinkedHashMap<>();
        copyTopLevel(application.json(), fromApplication);
        Map<String, String> fromLabel = new LinkedHashMap<>();
        copyTopLevel(label.json(), fromLabel);
        Set<String> labelNames = new HashSet<>();
        fromLabel.forEach((key, raw) -> labelNames.addAll(MetadataEnvironment.names(key, raw)));
        Map<String, String> merged = new LinkedHashMap<>();
        fromApplication.forEach((key, raw) -> {
            if (fromLabel.containsKey(key) || Collections.disjoint(MetadataEnvironment.names(key, raw), labelNames)) {
                merged.put(key, raw);
            }
        });
        merged.putAll(fromLabel);
        StringBuilder out = new StringBuilder(application.json().length() + label.json().length()).append('{');
        JsonStringEncoder quoting = JsonStringEncoder.getInstance();
        merged.forEach((key, raw) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(quoting.quoteAsString(key)).append("\":").append(raw);
        });
        return new RawJson(out.append('}').toString());
    }

    /** Puts each top-level field's raw value text into {@code into}; a document that is not an object adds nothing. */
    private static void copyTopLevel(String json, Map<String, String> into) {
        // A parser over a String reports char offsets into that same String.
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            JsonToken token = p.nextToken();
            while (token == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                token = p.nextToken();
                // The next token (a field name or the closing brace) starts after the separator.
                int end = (int) p.currentTokenLocation().getCharOffset();
                into.put(name, trimSeparator(json.substring(start, end)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored metadata is not JSON", e);
        }
    }

    /** A JSON value never ends with whitespace or a comma, so what follows it is the separator. */
    private static String trimSeparator(String slice) {
        int end = slice.length();
        while (end > 0 && (Character.isWhitespace(slice.charAt(end - 1)) || slice.charAt(end - 1) == ',')) {
            end--;
        }
        return slice.substring(0, end);
    }
}
