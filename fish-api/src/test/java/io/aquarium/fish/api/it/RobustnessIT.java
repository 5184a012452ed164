package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static io.aquarium.fish.api.it.Configs.TEST_DRIVER;
import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.node;
import static io.aquarium.fish.api.it.Configs.testDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a clean error and leaves the node serving. */
class RobustnessIT {
    @RegisterExtension
    final FishNodes nodes = new FishNodes();

    @Test
    void badInputLeavesTheNodeServing(@TempDir Path dir) {
        FishApi api = nodes.start("node-1", dir, node("node-1", TEST_DRIVER)).api();
        String label = api.createLabel(label("test-label", testDefinition(1, 2)));

        FishApi.Reply malformed = api.post("/api/v1/label/", "{\"name\":\"broken\",\"definitions\":[");
        assertEquals(400, malformed.status(), malformed.body());
        assertTrue(malformed.json().path("message").isTextual(), malformed.body());
        FishApi.Reply badYaml = api.post("/api/v1/label/", "name: [unclosed\n  - :", "application/yaml");
        assertEquals(400, badYaml.status(), badYaml.body());

        // Just over the 64 KB limit: small enough that the whole body is sent before the answer.
        FishApi.Reply tooBig = api.post("/api/v1/label/", jsonString(80 * 1024), "application/json");
        assertEquals(413, tooBig.status(), tooBig.body());
        assertTrue(tooBig.json().path("message").isTextual(), tooBig.body());
        // Far over it: refused with 413, or the connection is cut while the client still sends.
        api.postOrRefused("/api/v1/label/", jsonString(8 * 1024 * 1024), "application/json")
                .ifPresent(reply -> assertEquals(413, reply.status(), reply.body()));

        for (String injection : new String[]{"name='test-label'; DROP TABLE label", "name='x' OR 1=1 --",
                "name=''' OR '1'='1", "1; DELETE FROM label"}) {
            FishApi.Reply reply = api.get("/api/v1/label/?filter=" + query(injection));
            assertEquals(200, reply.status(), injection + ": " + reply.body());
            assertTrue(reply.json().isArray(), injection + ": " + reply.body());
        }
        // Only the first expression counts, and the table is still there.
        JsonNode kept = api.get("/api/v1/label/?filter=" + query("name='test-label'; DROP TABLE label")).ok();
        assertEquals(1, kept.size(), kept::toString);
        assertEquals(label, api.get("/api/v1/label/").ok().path(0).path("UID").asText());

        assertEquals("admin", api.get("/api/v1/user/me/").ok().path("name").asText());
    }

    /** A JSON string literal of {@code size} bytes. */
    private static byte[] jsonString(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        body[0] = '"';
        body[size - 1] = '"';
        return body;
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
