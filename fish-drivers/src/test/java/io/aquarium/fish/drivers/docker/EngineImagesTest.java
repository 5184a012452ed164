package io.aquarium.fish.drivers.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link EngineImages} sends, seen by a stand-in engine on 127.0.0.1 (no real engine needed). */
class EngineImagesTest {
    private record Received(String method, URI uri, String contentType, byte[] body) {
    }

    private HttpServer server;
    private DockerHttpClient transport;
    private volatile Received received;
    private volatile int answerStatus = 200;
    private volatile String answer = "{\"status\":\"sha256:0123\"}\n";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received = new Received(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes());
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answerStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        transport = TestEngine.transport("tcp://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        server.stop(0);
    }

    @Test
    void theTarIsTheRequestBody() {
        byte[] content = new byte[256 * 1024];
        new Random(7).nextBytes(content);
        byte[] tar = new TarArchive(0).file("bin/busybox", 0755, content).toBytes();

        EngineImages.importImage(transport, "localhost/fish-test-busybox", "latest", tar);

        assertEquals("POST", received.method());
        assertEquals("/images/create", received.uri().getPath());
        assertEquals("fromSrc=-&repo=localhost/fish-test-busybox&tag=latest", received.uri().getQuery());
        assertEquals("application/x-tar", received.contentType());
        assertArrayEquals(tar, received.body());
    }

    @Test
    void anErrorStreamedAfterTheStatusFails() {
        answer = "{\"status\":\"importing\"}\n"
                + "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}\n";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EngineImages.importImage(transport, "localhost/x", "v1", new byte[1024]));
        assertTrue(e.getMessage().contains("HTTP 200") && e.getMessage().contains("unexpected EOF"), e.getMessage());
    }

    @Test
    void anErrorStatusFails() {
        answerStatus = 500;
        answer = "{\"message\":\"no space left\"}";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EngineImages.importImage(transport, "localhost/x", "v1", new byte[1024]));
        assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("no space left"), e.getMessage());
    }
}
