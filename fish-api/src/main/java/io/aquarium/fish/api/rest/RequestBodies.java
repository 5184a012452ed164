package io.aquarium.fish.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.api.rest.wire.WireJson;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.RawJson;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Turns a request body (JSON, or YAML by Content-Type) into a request DTO. Bodies are capped at
 * {@link #MAX_BODY_BYTES}; everything that does not parse is a 400 with a message, never a 500.
 */
public final class RequestBodies {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final WireJson wire;

    public RequestBodies(WireJson wire) {
        this.wire = wire;
    }

    public <T> T read(InputStream body, String contentType, Class<T> type) {
        JsonNode tree = tree(body, contentType);
        if (!tree.isObject()) {
            throw FishException.badRequest("Request body must be an object");
        }
        try {
            return wire.json().treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw FishException.badRequest("Unable to parse request body: " + conciseReason(e));
        }
    }

    private JsonNode tree(InputStream body, String contentType) {
        byte[] bytes = readCapped(body);
        if (bytes.length == 0) {
            throw FishException.badRequest("Request body is empty");
        }
        ObjectMapper mapper = isYaml(contentType) ? wire.yaml() : wire.json();
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw FishException.badRequest("Request body is empty");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            if (e instanceof FishException fe) {
                throw fe;
            }
            throw FishException.badRequest("Unable to parse request body: " + conciseReason(e));
        }
    }

    /** A raw JSON field of a request: absent or null → {}, an object → its compact text; anything else → 400. */
    public RawJson rawObject(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return RawJson.EMPTY_OBJECT;
        }
        if (!node.isObject()) {
            throw FishException.badRequest("'" + field + "' must be a JSON object");
        }
        try {
            return new RawJson(wire.json().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw FishException.badRequest("Unable to encode '" + field + "'");
        }
    }

    static boolean isYaml(String contentType) {
        if (contentType == null) {
            return false;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("application/yaml") || ct.startsWith("application/x-yaml") || ct.startsWith("text/yaml")
                || ct.startsWith("text/x-yaml");
    }

    private static byte[] readCapped(InputStream body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new FishException(FishException.Kind.TOO_LARGE,
                        "Request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw FishException.badRequest("Unable to read request body");
        }
    }

    /** The first line of a parser's message, without the source excerpt Jackson appends. */
    private static String conciseReason(Exception e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        String line = newline >= 0 ? message.substring(0, newline) : message;
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
