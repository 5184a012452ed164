package io.aquarium.fish.api;

import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.config.FishConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics}: Prometheus text, public unless {@code metrics_auth}, fish_* counting real work. */
class MetricsApiTest {
    private static final Pattern UID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{12}");
    private static final String ALLOCATED = "fish_allocations_total{driver=\"test\",result=\"allocated\"}";

    @TempDir
    Path dir;

    @Test
    void metricsArePublicAndCountAllocations() throws Exception {
        try (TestNode node = new TestNode(dir)) {
            ApiClient api = node.client;
            String pw = node.adminPassword;
            ApiClient.Reply first = api.get("/metrics", null, null);
            assertEquals(200, first.status(), first.body());
            assertTrue(first.header("Content-Type").startsWith("text/plain"), first.header("Content-Type"));
            double before = value(first.body(), ALLOCATED);

            ApiClient.Reply label = api.postJson("/api/v1/label/", RestApiTest.LABEL_BODY
                    .formatted("metrics-" + UUID.randomUUID(), 1), "admin", pw);
            assertEquals(200, label.status(), label.body());
            List<String> apps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ApiClient.Reply a = api.postJson("/api/v1/application/", "{\"label_UID\":\""
                        + label.json().get("UID").asText() + "\"}", "admin", pw);
                assertEquals(200, a.status(), a.body());
                apps.add(a.json().get("UID").asText());
            }
            for (String app : apps) {
                awaitAllocated(api, pw, app);
                // Routes with a UID in the path, for the label check below.
                assertEquals(200, api.get("/api/v1/application/" + app, "admin", pw).status());
            }
            assertEquals(404, api.get("/api/v1/application/" + UUID.randomUUID() + "/no-such", "admin", pw).status());
            // A Meta API caller that is no resource of this node.
            assertEquals(401, api.get("/meta/v1/data/", Map.of()).status());

            String after = api.get("/metrics", null, null).body();
            assertEquals(before + 3, value(after, ALLOCATED), 0.0, after);
            assertTrue(value(after, "fish_allocation_duration_seconds_count") >= 3, after);
            assertTrue(value(after, "fish_election_passes_total") >= 1, after);
            assertEquals(1.0, value(after, "fish_cluster_has_quorum"), 0.0);
            assertEquals(1.0, value(after, "fish_cluster_nodes_visible"), 0.0);
            assertTrue(after.contains("fish_applications{status=\""), after);
            assertTrue(after.contains("fish_auth_argon2_waiting "), after);
            assertTrue(after.contains("jvm_memory_used_bytes{"), after);
            assertTrue(after.contains("jvm_gc_"), after);
            assertTrue(after.contains("jvm_threads_live_threads "), after);
            assertTrue(after.contains("jvm_classes_loaded_classes "), after);
            assertTrue(after.contains("process_uptime_seconds "), after);
            assertTrue(value(after, "jetty_threads_busy") >= 1, after); // this scrape's own thread at least
            assertTrue(value(after, "jetty_connections_current_connections{connector_name=\"api\"}") >= 1, after);
            assertTrue(after.contains("http_server_requests_seconds_count{method=\"GET\",status=\"200\","
                    + "uri=\"/api/v1/application/{application_uid}\"}") || after.contains("uri=\"/api/v1/application/{"),
                    after);
            assertEquals(1.0, value(after, "fish_meta_requests_total{result=\"unauthorized\"}"), 0.0, after);
            for (String line : after.split("\n")) {
                if (line.startsWith("http_server_requests_seconds")) {
                    assertFalse(UID.matcher(line).find(), line);
                }
            }
        }
    }

    @Test
    void applicationsGaugeCountsByStatusFromACachedRead() throws Exception {
        try (TestNode node = new TestNode(dir)) {
            ApiClient api = node.client;
            String pw = node.adminPassword;
            long firstRead = System.nanoTime();
            assertEquals(0.0, value(api.get("/metrics", null, null).body(), "fish_applications{status=\"ALLOCATED\"}"));
            ApiClient.Reply label = api.postJson("/api/v1/label/", RestApiTest.LABEL_BODY
                    .formatted("gauge-" + UUID.randomUUID(), 1), "admin", pw);
            String app = api.postJson("/api/v1/application/", "{\"label_UID\":\"" + label.json().get("UID").asText()
                    + "\"}", "admin", pw).json().get("UID").asText();
            awaitAllocated(api, pw, app);
            // Read at most once per refresh (5 s): still the cached count (when this machine was quick enough
            // to tell), then the new one.
            String cached = api.get("/metrics", null, null).body();
            if (System.nanoTime() - firstRead < 4_000_000_000L) {
                assertEquals(0.0, value(cached, "fish_applications{status=\"ALLOCATED\"}"), cached);
            }
            Thread.sleep(5_200);
            String later = api.get("/metrics", null, null).body();
            assertEquals(1.0, value(later, "fish_applications{status=\"ALLOCATED\"}"), 0.0, later);
        }
    }

    @Test
    void driverCapacityAndUseFollowTheLimitsAndTheResourcesHeld() throws Exception {
        FishConfig config = TestNode.config(dir).toBuilder().drivers(List.of(
                new DriverConfig("test", Map.of("workspace_path", dir.resolve("ws").toString(),
                        "cpu_limit", 8, "ram_limit", 16)),
                new DriverConfig("test/unlimited", Map.of("workspace_path", dir.resolve("ws2").toString()))))
                .build();
        try (TestNode node = new TestNode(config)) {
            ApiClient api = node.client;
            String pw = node.adminPassword;
            String before = api.get("/metrics", null, null).body();
            assertEquals(8.0, value(before, "fish_driver_capacity{driver=\"test\",resource=\"cpu\"}"), 0.0, before);
            assertEquals(16.0, value(before, "fish_driver_capacity{driver=\"test\",resource=\"ram\"}"), 0.0, before);
            assertFalse(before.contains("fish_driver_capacity{driver=\"test/unlimited\""), before);
            assertTrue(before.contains("fish_driver_used{driver=\"test\",resource=\"cpu\"} 0.0"), before);

            ApiClient.Reply label = api.postJson("/api/v1/label/", RestApiTest.LABEL_BODY
                    .formatted("capacity-" + UUID.randomUUID(), 1), "admin", pw); // cpu 1, ram 2 on "test"
            List<String> apps = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                apps.add(api.postJson("/api/v1/application/", "{\"label_UID\":\"" + label.json().get("UID").asText()
                        + "\"}", "admin", pw).json().get("UID").asText());
            }
            for (String app : apps) {
                awaitAllocated(api, pw, app);
            }
            Thread.sleep(5_200); // past the cached read
            String held = api.get("/metrics", null, null).body();
            assertEquals(2.0, value(held, "fish_driver_used{driver=\"test\",resource=\"cpu\"}"), 0.0, held);
            assertEquals(4.0, value(held, "fish_driver_used{driver=\"test\",resource=\"ram\"}"), 0.0, held);
            assertEquals(0.0, value(held, "fish_driver_used{driver=\"test/unlimited\",resource=\"cpu\"}"), 0.0, held);
        }
    }

    @Test
    void metricsAuthAsksForCredentials() throws Exception {
        FishConfig config = TestNode.config(dir).toBuilder().metricsAuth(true).build();
        try (TestNode node = new TestNode(config)) {
            ApiClient.Reply anonymous = node.client.get("/metrics", null, null);
            assertEquals(401, anonymous.status(), anonymous.body());
            assertEquals(401, node.client.get("/metrics", "admin", "wrong").status());
            ApiClient.Reply admin = node.client.get("/metrics", "admin", node.adminPassword);
            assertEquals(200, admin.status(), admin.body());
            assertTrue(admin.body().contains("fish_cluster_has_quorum "), admin.body());
            // Health stays public.
            assertEquals(200, node.client.get("/health/live", null, null).status());
        }
    }

    private static void awaitAllocated(ApiClient api, String pw, String app) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String status = "";
        while (System.nanoTime() < deadline) {
            status = api.get("/api/v1/application/" + app + "/state", "admin", pw).json().get("status").asText();
            if (status.equals("ALLOCATED")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("application " + app + " is " + status + ", never ALLOCATED");
    }

    /** The value of the sample named exactly {@code series} (name and labels), 0 when absent. */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
