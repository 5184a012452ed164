package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.aquarium.fish.api.it.Configs.DEFAULT_WORKSPACE;
import static io.aquarium.fish.api.it.Configs.TEST_DRIVER;
import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.node;
import static io.aquarium.fish.api.it.Configs.testDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping a node: the shutdown modes of {@code GET /api/v1/node/this/maintenance} (the original's
 * five: after maintenance, immediate, after a delay, cancelled in maintenance, cancelled during the
 * delay; plus new applications during the delay) and SIGTERM.
 */
class ShutdownIT {
    private static final String MAINTENANCE = "/api/v1/node/this/maintenance";
    /** A requested shutdown is checked about once a second, then the node stops gracefully. */
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
    /** "SIGINT/SIGTERM: graceful stop within 10 s". */
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);

    @RegisterExtension
    final FishNodes nodes = new FishNodes();

    /** Maintenance (enable defaults to true) + shutdown waits for the running application, then exits. */
    @Test
    void shutdownInMaintenanceWaitsForRunningApplications(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();
        String app = allocatedApp(api);

        JsonNode echo = api.get(MAINTENANCE + "?shutdown=true").ok();
        assertEquals("{\"enable\":true,\"shutdown\":true,\"shutdown_delay\":\"\"}", echo.toString());
        api.assertStaysStatus(app, "ALLOCATED", Duration.ofSeconds(3));
        assertTrue(node.isRunning(), "exited while an application runs");

        api.deallocate(app);
        assertEquals(0, node.awaitExit(EXIT_TIMEOUT));
        assertEquals(List.of(), node.markers(DEFAULT_WORKSPACE));
    }

    /** Without maintenance the node does not wait for its applications; they survive for the next start. */
    @Test
    void immediateShutdownLeavesApplicationsForTheNextStart(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();
        String app = allocatedApp(api);
        String identifier = api.resource(app).path("identifier").asText();

        api.get(MAINTENANCE + "?enable=false&shutdown=true").ok();
        assertEquals(0, node.awaitExit(EXIT_TIMEOUT));
        assertEquals(List.of(identifier), node.markers(DEFAULT_WORKSPACE));

        api = node.start().api();
        assertEquals("ALLOCATED", api.status(app));
        assertEquals(identifier, api.resource(app).path("identifier").asText());
        assertEquals(List.of(identifier), node.markers(DEFAULT_WORKSPACE));
    }

    @Test
    void shutdownWaitsForItsDelay(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();
        allocatedApp(api);

        long requested = System.nanoTime();
        api.get(MAINTENANCE + "?enable=false&shutdown=true&shutdown_delay=4s").ok();
        Poll.pause(Duration.ofMillis(2500));
        assertTrue(node.isRunning(), "exited before the delay");
        assertEquals(0, node.awaitExit(EXIT_TIMEOUT));
        Duration took = Duration.ofNanos(System.nanoTime() - requested);
        assertTrue(took.compareTo(Duration.ofSeconds(4)) >= 0, "exited after " + took);
    }

    @Test
    void shutdownCancelledDuringMaintenance(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();
        String app = allocatedApp(api);

        api.get(MAINTENANCE + "?shutdown=true").ok();
        api.assertStaysStatus(app, "ALLOCATED", Duration.ofSeconds(2));
        assertEquals("{\"enable\":false,\"shutdown\":false,\"shutdown_delay\":\"\"}",
                api.get(MAINTENANCE + "?enable=false&shutdown=false").ok().toString());
        api.deallocate(app);
        api.awaitStatus(app, "DEALLOCATED", EXIT_TIMEOUT);

        assertKeepsServing(node, Duration.ofSeconds(3));
    }

    @Test
    void shutdownCancelledDuringTheDelay(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();

        api.get(MAINTENANCE + "?enable=false&shutdown=true&shutdown_delay=4s").ok();
        Poll.pause(Duration.ofSeconds(2));
        api.get(MAINTENANCE + "?enable=false&shutdown=false").ok();
        // Past the original delay by 3 s.
        assertKeepsServing(node, Duration.ofSeconds(5));
        String app = allocatedApp(api);
        assertEquals("ALLOCATED", api.status(app));
    }

    /** During the delay of a shutdown in maintenance the node takes no new applications, and still exits. */
    @Test
    void applicationsCreatedDuringTheShutdownDelayStayNew(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();
        String label = api.createLabel(label("test-label", testDefinition(1, 2)));

        long requested = System.nanoTime();
        api.get(MAINTENANCE + "?shutdown=true&shutdown_delay=3s").ok();
        String app = api.createApplication(label);
        api.assertStaysStatus(app, "NEW", Duration.ofSeconds(2));
        assertEquals(0, node.awaitExit(EXIT_TIMEOUT));
        Duration took = Duration.ofNanos(System.nanoTime() - requested);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0, "exited after " + took);
        assertEquals(List.of(), node.markers(DEFAULT_WORKSPACE));
    }

    /** SIGTERM: a graceful stop in time; users, labels and allocated applications are there after the restart. */
    @Test
    void sigtermStopsGracefullyAndTheNodeResumes(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi admin = node.api();
        admin.post("/api/v1/user/", "{\"name\":\"test-user\",\"password\":\"test-user-password\"}").ok();
        String label = admin.createLabel(label("test-label", testDefinition(1, 2)));
        FishApi user = admin.as("test-user", "test-user-password");
        String app = user.createApplication(label);
        user.awaitAllocated(app);
        String identifier = user.resource(app).path("identifier").asText();

        long stopping = System.nanoTime();
        int code = node.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - stopping);
        assertTrue(took.compareTo(GRACEFUL_STOP) <= 0, "stopping took " + took);
        // The JVM reports death by SIGTERM as 128 + 15 even when every shutdown hook ran to its end.
        assertTrue(code == 0 || code == 143, "exit code " + code);
        assertTrue(node.printed("Node node-1 stopped"), "no graceful stop in the log");
        assertEquals(List.of(identifier), node.markers(DEFAULT_WORKSPACE));

        admin = node.start().api();
        user = admin.as("test-user", "test-user-password");
        assertEquals("test-user", user.get("/api/v1/user/me/").ok().path("name").asText());
        assertEquals(label, admin.get("/api/v1/label/" + label).ok().path("UID").asText());
        assertEquals("ALLOCATED", user.status(app));
        assertEquals(identifier, user.resource(app).path("identifier").asText());
        assertEquals(List.of(identifier), node.markers(DEFAULT_WORKSPACE));
    }

    /** SIGKILL gives no chance to clean up; the next start still knows and can free the resource. */
    @Test
    void killedNodeResumesItsApplicationsOnTheNextStart(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();
        String app = allocatedApp(api);
        String identifier = api.resource(app).path("identifier").asText();

        node.kill();
        assertEquals(List.of(identifier), node.markers(DEFAULT_WORKSPACE));

        api = node.start().api();
        assertEquals("ALLOCATED", api.status(app));
        api.deallocate(app);
        api.awaitStatus(app, "DEALLOCATED", EXIT_TIMEOUT);
        assertEquals(List.of(), node.markers(DEFAULT_WORKSPACE));
    }

    /** "No application may stay ELECTED forever": one whose allocation a crash cut short is allocated after the restart. */
    @Test
    void applicationElectedWhenTheNodeDiedIsAllocatedAfterTheRestart(@TempDir Path dir) {
        FishProcess node = startNode(dir);
        FishApi api = node.api();
        String app = api.createApplication(api.createLabel(label("slow",
                "{\"driver\":\"test\",\"resources\":{\"cpu\":1,\"ram\":2},\"options\":{\"delay_allocate\":3}}")));
        api.awaitStatus(app, "ELECTED", FishApi.ALLOCATE_TIMEOUT);

        node.kill();
        assertEquals(List.of(), node.markers(DEFAULT_WORKSPACE), "killed before the driver made the resource");

        api = node.start().api();
        api.awaitAllocated(app);
        assertEquals(List.of(api.resource(app).path("identifier").asText()), node.markers(DEFAULT_WORKSPACE));
    }

    private FishProcess startNode(Path dir) {
        return nodes.start("node-1", dir, node("node-1", TEST_DRIVER));
    }

    private static String allocatedApp(FishApi api) {
        String app = api.createApplication(api.createLabel(label("test-label-" + System.nanoTime(), testDefinition(1, 2))));
        api.awaitAllocated(app);
        return app;
    }

    /** The process stays up and answers requests for the whole {@code period}. */
    private static void assertKeepsServing(FishProcess node, Duration period) {
        Poll.stays(node.name() + " serving", period,
                () -> node.isRunning() ? node.api().get("/api/v1/user/me/").status() : -1, 200);
    }
}
