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
import static io.aquarium.fish.api.it.Configs.testDriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One node, one application at a time: allocation, definitions, tasks, UIDs, driver instances, failures. */
class AllocationIT {
    private static final Duration DEALLOCATE_TIMEOUT = Duration.ofSeconds(15);

    @RegisterExtension
    final FishNodes nodes = new FishNodes();

    @Test
    void simpleApplicationIsAllocatedAsAMarkerFileAndDestroyed(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", TEST_DRIVER));
        FishApi api = node.api();
        String app = api.createApplication(api.createLabel(label("test-label", testDefinition(1, 2))));

        api.awaitAllocated(app);
        JsonNode resource = api.resource(app);
        String identifier = resource.path("identifier").asText();
        assertTrue(identifier.matches("test-[A-Za-z0-9]{6}"), resource::toString);
        assertEquals(List.of(identifier), node.markers(DEFAULT_WORKSPACE));

        assertEquals("DEALLOCATE", api.deallocate(app).path("status").asText());
        api.awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
        assertEquals(List.of(), node.markers(DEFAULT_WORKSPACE));
    }

    /** The original's three labels against a 4 CPU / 8 GB driver: the first definition that fits wins. */
    @Test
    void multiDefinitionLabelsUseTheFirstDefinitionThatFits(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", testDriver(4, 8)));
        FishApi api = node.api();
        String[][] labels = {
                {testDefinition(4, 8), testDefinition(2, 4), testDefinition(8, 16)},
                {testDefinition(8, 16), testDefinition(4, 8), testDefinition(2, 4)},
                {testDefinition(8, 16), testDefinition(6, 6), testDefinition(4, 8), testDefinition(2, 4)},
        };
        for (int expected = 0; expected < labels.length; expected++) {
            String app = api.createApplication(api.createLabel(label("test-label-" + expected, labels[expected])));
            api.awaitAllocated(app);
            assertEquals(expected, api.resource(app).path("definition_index").asInt(-1), "label " + expected);
            api.deallocate(app);
            // Each label needs the whole node at index 0/1/2; the next one must not see this one's usage.
            api.awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
        }
    }

    @Test
    void taskTheDriverLacksGetsAnErrorResult(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", TEST_DRIVER));
        FishApi api = node.api();
        String app = api.createApplication(api.createLabel(label("test-label", testDefinition(1, 2))));
        api.awaitAllocated(app);

        String task = api.post("/api/v1/application/" + app + "/task/", "{\"task\":\"nothing\",\"when\":\"ALLOCATED\"}")
                .ok().path("UID").asText();
        JsonNode done = Poll.until("task result", FishApi.ALLOCATE_TIMEOUT,
                () -> api.get("/api/v1/task/" + task).ok(), t -> !"{}".equals(t.path("result").toString()));
        assertEquals("{\"error\":\"task not available in driver\"}", done.path("result").toString());
    }

    /** A normal user's snapshots: the ALLOCATED one runs at once, the DEALLOCATE one just before the resource goes. */
    @Test
    void userSnapshotTasksRunWhenTheirStatusComes(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", TEST_DRIVER));
        FishApi admin = node.api();
        String label = admin.createLabel(label("test-label", testDefinition(1, 2)));
        admin.post("/api/v1/user/", "{\"name\":\"test-user\",\"password\":\"test-user-password\"}").ok();
        FishApi user = admin.as("test-user", "test-user-password");

        String app = user.createApplication(label);
        user.awaitAllocated(app);
        String taskPath = "/api/v1/application/" + app + "/task/";
        String allocatedTask = user.post(taskPath, "{\"task\":\"snapshot\",\"when\":\"ALLOCATED\"}").ok()
                .path("UID").asText();
        String deallocateTask = user.post(taskPath, "{\"task\":\"snapshot\",\"when\":\"DEALLOCATE\"}").ok()
                .path("UID").asText();

        JsonNode tasks = Poll.until("the ALLOCATED snapshot", FishApi.ALLOCATE_TIMEOUT, () -> user.get(taskPath).ok(),
                list -> !"{}".equals(list.path(0).path("result").toString()));
        assertEquals(2, tasks.size(), tasks::toString);
        assertEquals(allocatedTask, tasks.get(0).path("UID").asText());
        assertEquals(deallocateTask, tasks.get(1).path("UID").asText());
        assertEquals("{\"snapshots\":[\"test-snapshot\"],\"when\":\"ALLOCATED\"}", tasks.get(0).path("result").toString());
        assertEquals("{}", tasks.get(1).path("result").toString());

        user.deallocate(app);
        user.awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
        tasks = user.get(taskPath).ok();
        assertEquals(List.of(allocatedTask, deallocateTask),
                List.of(tasks.get(0).path("UID").asText(), tasks.get(1).path("UID").asText()));
        assertEquals("{\"snapshots\":[\"test-snapshot\"],\"when\":\"DEALLOCATE\"}", tasks.get(1).path("result").toString());
    }

    @Test
    void generatedUidsStartWithTheNodePrefix(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", TEST_DRIVER));
        FishApi api = node.api();
        String prefix = prefix(api.get("/api/v1/node/this/").ok().path("UID").asText());

        String label = api.createLabel(label("test-label", testDefinition(1, 2)));
        String app = api.createApplication(label);
        JsonNode allocated = api.awaitAllocated(app);
        String resource = api.resource(app).path("UID").asText();
        String task = api.post("/api/v1/application/" + app + "/task/", "{\"task\":\"snapshot\",\"when\":\"ALLOCATED\"}")
                .ok().path("UID").asText();

        for (String uid : List.of(label, app, allocated.path("UID").asText(), resource, task)) {
            assertEquals(prefix, prefix(uid), "UID " + uid);
        }
    }

    /**
     * Two instances of the test driver with their own limits and workspaces; a label names the
     * instance. (Local drivers share the host, so usage counts node-wide: one app at a time here.)
     */
    @Test
    void labelsAreAllocatedOnTheDriverInstanceTheyName(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", """
                drivers:
                  - name: test/dev
                    cfg:
                      cpu_limit: 4
                      ram_limit: 8
                      workspace_path: ws_dev
                  - name: test/prod
                    cfg:
                      cpu_limit: 8
                      ram_limit: 16
                      workspace_path: ws_prod
                """));
        FishApi api = node.api();
        String bigOnDev = api.createApplication(api.createLabel(label("dev-big",
                "{\"driver\":\"test/dev\",\"resources\":{\"cpu\":5,\"ram\":9}}")));
        String bigOnProd = api.createApplication(api.createLabel(label("prod-big",
                "{\"driver\":\"test/prod\",\"resources\":{\"cpu\":5,\"ram\":9}}")));

        api.awaitAllocated(bigOnProd);
        assertEquals(List.of(api.resource(bigOnProd).path("identifier").asText()), node.markers("ws_prod"));
        api.assertStaysStatus(bigOnDev, "NEW", Duration.ofSeconds(2));
        assertEquals("RECALLED", api.deallocate(bigOnDev).path("status").asText());
        api.deallocate(bigOnProd);
        api.awaitStatus(bigOnProd, "DEALLOCATED", DEALLOCATE_TIMEOUT);

        String smallOnDev = api.createApplication(api.createLabel(label("dev-small",
                "{\"driver\":\"test/dev\",\"resources\":{\"cpu\":2,\"ram\":4}}")));
        api.awaitAllocated(smallOnDev);
        assertEquals(List.of(api.resource(smallOnDev).path("identifier").asText()), node.markers("ws_dev"));
        assertEquals(List.of(), node.markers("ws_prod"));
        assertEquals(List.of(), node.markers(DEFAULT_WORKSPACE));
    }

    @Test
    void allocationThatAlwaysFailsEndsInError(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", "allocation_retry: 1\n" + TEST_DRIVER));
        FishApi api = node.api();
        String app = api.createApplication(api.createLabel(label("test-label",
                "{\"driver\":\"test\",\"resources\":{\"cpu\":1,\"ram\":2},\"options\":{\"fail_allocate\":255}}")));

        api.awaitStatus(app, "ERROR", Duration.ofSeconds(30));
        assertEquals(List.of(), node.markers(DEFAULT_WORKSPACE));
    }

    /** The first 6 bytes of a UUID: its first 12 hex digits. */
    private static String prefix(String uid) {
        return uid.replace("-", "").substring(0, 12);
    }
}
