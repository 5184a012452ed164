package io.aquarium.fish.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.config.FishConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health probes answer without credentials; nothing else becomes public. */
class HealthApiTest {
    @TempDir
    Path dir;

    @Test
    void aHealthyNodeIsLiveAndReadyWithoutCredentials() throws Exception {
        try (TestNode node = new TestNode(dir)) {
            ApiClient.Reply live = node.client.get("/health/live", null, null);
            assertEquals(200, live.status(), live.body());
            assertEquals("{\"status\":\"UP\"}", live.body());
            assertTrue(live.header("Content-Type").startsWith("application/json"), live.header("Content-Type"));

            ApiClient.Reply ready = node.client.get("/health/ready", null, null);
            assertEquals(200, ready.status(), ready.body());
            assertEquals("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"quorum\":\"UP\",\"drivers\":\"UP\"}}",
                    ready.body());

            // The API itself still wants credentials, and other paths stay unknown.
            assertEquals(401, node.client.get("/api/v1/user/me", null, null).status());
            assertEquals(404, node.client.get("/health/other", null, null).status());
            assertEquals(404, node.client.get("/health", null, null).status());
        }
    }

    @Test
    void aNodeWithoutAnAvailableDriverIsLiveButNotReady() throws Exception {
        FishConfig config = TestNode.config(dir).toBuilder()
                .drivers(List.of(new DriverConfig("test", Map.of("workspace_path", dir.resolve("ws").toString(),
                        "fail_config_apply", 255))))
                .build();
        try (TestNode node = new TestNode(config)) {
            assertEquals(200, node.client.get("/health/live", null, null).status());
            ApiClient.Reply ready = node.client.get("/health/ready", null, null);
            assertEquals(503, ready.status(), ready.body());
            assertEquals("{\"status\":\"DOWN\",\"checks\":{\"store\":\"UP\",\"quorum\":\"UP\","
                    + "\"drivers\":\"DOWN: no driver is available\"}}", ready.body());
        }
    }
}
