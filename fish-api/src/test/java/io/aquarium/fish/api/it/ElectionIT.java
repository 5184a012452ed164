package io.aquarium.fish.api.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static io.aquarium.fish.api.it.Configs.DEFAULT_WORKSPACE;
import static io.aquarium.fish.api.it.Configs.TEST_DRIVER;
import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.node;
import static io.aquarium.fish.api.it.Configs.testDefinition;
import static io.aquarium.fish.api.it.Configs.testDriver;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** When a node may not take an application: capacity, maintenance, node filters, limits across a restart. */
class ElectionIT {
    /** How long "stays NEW" is watched: several election passes on an idle node. */
    private static final Duration STAYS = Duration.ofSeconds(3);

    @RegisterExtension
    final FishNodes nodes = new FishNodes();

    @Test
    void tooBigLabelStaysNewAndIsRecalled(@TempDir Path dir) {
        FishApi api = nodes.start("node-1", dir, node("node-1", testDriver(4, 8))).api();
        String app = api.createApplication(api.createLabel(label("too-big", testDefinition(5, 9))));

        api.assertStaysStatus(app, "NEW", STAYS);
        assertEquals("RECALLED", api.deallocate(app).path("status").asText());
        assertEquals("RECALLED", api.status(app));
    }

    @Test
    void maintenanceHoldsApplicationsNewUntilItEnds(@TempDir Path dir) {
        FishApi api = nodes.start("node-1", dir, node("node-1", TEST_DRIVER)).api();
        // No parameter: enable defaults to true.
        assertEquals("{\"enable\":true,\"shutdown\":false,\"shutdown_delay\":\"\"}",
                api.get("/api/v1/node/this/maintenance").ok().toString());
        String app = api.createApplication(api.createLabel(label("test-label", testDefinition(1, 2))));

        api.assertStaysStatus(app, "NEW", STAYS);
        assertEquals(false, api.get("/api/v1/node/this/maintenance?enable=false").ok().path("enable").asBoolean(true));
        api.awaitAllocated(app);
    }

    /**
     * Every {@code node_filter} glob must match one of the node's identifiers: the defaults
     * ({@code FishName:}, {@code OS:} ...) or the configured {@code node_identifiers}, which replace them.
     */
    @Test
    void nodeFilterGlobsMustEachMatchAnIdentifier(@TempDir Path dir) {
        FishProcess defaults = nodes.create("filter-node", dir.resolve("a"), node("filter-node", TEST_DRIVER));
        FishProcess configured = nodes.create("example-node", dir.resolve("b"), node("example-node", """
                node_identifiers:
                  - "example:test"
                """ + TEST_DRIVER));
        FishNodes.startAll(defaults, configured);

        FishApi a = defaults.api();
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        String byName = filtered(a, "\"FishName:filter-node\"");
        String byNameGlob = filtered(a, "\"FishName:filter-*\"");
        // The OS identifier uses Go's names ("linux", "darwin", "windows").
        String nameAndOs = filtered(a, "\"FishName:filter-node\",\"OS:" + (linux ? "lin*" : "*") + "\"");
        String oneWrong = filtered(a, "\"FishName:filter-node\",\"wrong:notthesame\"");

        FishApi b = configured.api();
        String morePatternsThanIdentifiers = filtered(b, "\"example:test\",\"example:*\",\"*:test\"");
        String defaultIdentifierGone = filtered(b, "\"FishName:example-node\"");
        String oneWrongOfTwo = filtered(b, "\"example:test\",\"wrong:notthesame\"");

        a.awaitAllocated(byName);
        a.awaitAllocated(byNameGlob);
        a.awaitAllocated(nameAndOs);
        b.awaitAllocated(morePatternsThanIdentifiers);
        a.assertStaysStatus(oneWrong, "NEW", STAYS);
        assertEquals("NEW", b.status(defaultIdentifierGone));
        assertEquals("NEW", b.status(oneWrongOfTwo));
    }

    /** The original's limit scenario: two of three 2 CPU / 4 GB apps fit a 4 / 8 node, before and after a restart. */
    @Test
    void limitsHoldAcrossARestartAndFreedCapacityGoesToTheWaitingApplication(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", testDriver(4, 8)));
        FishApi api = node.api();
        String label = api.createLabel(label("test-label", testDefinition(2, 4)));
        String app1 = api.createApplication(label);
        String app2 = api.createApplication(label);
        String app3 = api.createApplication(label);

        api.awaitAllocated(app1);
        api.awaitAllocated(app2);
        api.assertStaysStatus(app3, "NEW", STAYS);
        List<String> held = List.of(api.resource(app1).path("identifier").asText(),
                api.resource(app2).path("identifier").asText()).stream().sorted().toList();
        assertEquals(held, node.markers(DEFAULT_WORKSPACE));

        api = node.restart().api();
        assertEquals("ALLOCATED", api.status(app1));
        assertEquals("ALLOCATED", api.status(app2));
        api.assertStaysStatus(app3, "NEW", STAYS);
        assertEquals(held, node.markers(DEFAULT_WORKSPACE));

        api.deallocate(app1);
        api.awaitStatus(app1, "DEALLOCATED", FishApi.ALLOCATE_TIMEOUT);
        api.awaitAllocated(app3);
        assertEquals("ALLOCATED", api.status(app2));
        assertEquals(List.of(api.resource(app2).path("identifier").asText(),
                api.resource(app3).path("identifier").asText()).stream().sorted().toList(),
                node.markers(DEFAULT_WORKSPACE));
    }

    /** Creates a label with one 1 CPU / 2 GB definition limited by {@code filterJson} (the array's items) and an app of it. */
    private static String filtered(FishApi api, String filterJson) {
        String definition = "{\"driver\":\"test\",\"resources\":{\"node_filter\":[" + filterJson + "],\"cpu\":1,\"ram\":2}}";
        return api.createApplication(api.createLabel(label("filter-" + Integer.toHexString(filterJson.hashCode()),
                definition)));
    }
}
