package io.aquarium.fish.drivers.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Imports an image from a root file system tar with a raw Engine API request through docker-java's
 * transport. Not with docker-java's {@code createImageCmd(repository, InputStream)}: in 3.7.1 it
 * JSON-encodes the InputStream object itself ({@code {}}, as {@code application/json}), so the tar
 * never reaches the engine, which then fails with "unexpected EOF".
 */
final class EngineImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineImages() {
    }

    static void importImage(DockerHttpClient engine, String repository, String tag, byte[] tar) {
        Request request = Request.builder().method(Request.Method.POST)
                .path("/images/create?fromSrc=-&repo=" + URLEncoder.encode(repository, StandardCharsets.UTF_8)
                        + "&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8))
                .putHeader("Content-Type", "application/x-tar").bodyBytes(tar).build();
        int status;
        String body;
        try (Response response = engine.execute(request)) {
            status = response.getStatusCode();
            body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (status / 100 != 2 || reportsAnError(body)) {
            throw new IllegalStateException("the engine did not import " + repository + ":" + tag + ": HTTP "
                    + status + " " + body);
        }
    }

    /**
     * The engine answers 200 before it reads the tar, then streams JSON progress messages: a failure
     * shows up only as a message with an error. A body that is not such a stream counts as one too.
     */
    private static boolean reportsAnError(String body) {
        try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class).readValues(body)) {
            while (messages.hasNextValue()) {
                JsonNode message = messages.nextValue();
                if (message.has("error") || message.has("errorDetail")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
