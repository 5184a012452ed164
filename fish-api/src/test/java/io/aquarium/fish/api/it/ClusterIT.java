package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static io.aquarium.fish.api.it.Configs.DEFAULT_WORKSPACE;
import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.testDefinition;
import static io.aquarium.fish.api.it.Configs.testDriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three clustered node processes on 127.0.0.1 sharing one cluster through ordered scenarios that
 * leave nothing allocated behind: shared data, capacity across nodes, allocation latency, a restart
 * of the whole cluster, a node with a foreign CA that must not get in, and one whose name is taken.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
@ResourceLock(ClusterIT.CLUSTER_LOCK)
class ClusterIT {
    /** Cluster classes run one after another: two clusters side by side would starve a two-core machine. */
    static final String CLUSTER_LOCK = "fish-cluster";
    private static final int PER_NODE = 4;
    private static final Duration STAYS = Duration.ofSeconds(5);
    private static final Duration DEALLOCATE_TIMEOUT = Duration.ofSeconds(30);
    private static final int LATENCY_SAMPLES = 50;
    private static final Duration LATENCY_POLL = Duration.ofMillis(5);

    @RegisterExtension
    static final FishNodes NODES = FishNodes.perClass();

    private Path dir;
    private List<Integer> ports;
    private List<FishProcess> cluster;

    @BeforeAll
    void formCluster(@TempDir Path tempDir) {
        dir = tempDir;
        ports = Clusters.freePorts(3);
        cluster = Clusters.create(NODES, dir, ports, testDriver(PER_NODE, 2 * PER_NODE));
        Clusters.form(cluster);
        ClusterMeasurements.record("node start, first node (new cluster)", cluster.get(0).lastStartDuration(),
                "process start → `Fish initialized`; generates CA, admin, Ignite activation");
        Duration slowestJoiner = cluster.subList(1, 3).stream().map(FishProcess::lastStartDuration)
                .max(Duration::compareTo).orElseThrow();
        ClusterMeasurements.record("node start, joiner (2 booting side by side)", slowestJoiner,
                "process start → `Fish initialized`, the slower of node-2/node-3: "
                        + cluster.get(1).lastStartDuration().toMillis() + " / "
                        + cluster.get(2).lastStartDuration().toMillis() + " ms");
    }

    @Test
    @Order(1)
    void nodesShareLabelsAndUsersAtOnce() {
        List<String> names = List.of("node-1", "node-2", "node-3");
        for (FishProcess node : cluster) {
            assertEquals(names, Clusters.nodeNames(node.api()), node.name());
        }
        FishApi one = api(0);
        FishApi two = api(1);
        FishApi three = api(2);

        String labelUid = one.createLabel(label("shared-label", testDefinition(1, 2)));
        JsonNode created = two.post("/api/v1/user/", "{\"name\":\"carol\"}").ok();
        String password = created.path("password").asText();
        assertTrue(password.length() >= 8, "a generated password: " + created.path("name"));

        // No waiting: a write returns once every node has it.
        assertEquals("shared-label", three.get("/api/v1/label/" + labelUid).ok().path("name").asText());
        FishApi carol = three.as("carol", password);
        assertEquals("carol", carol.get("/api/v1/user/me").ok().path("name").asText());
        String app = carol.createApplication(labelUid);
        carol.awaitAllocated(app);
        assertEquals(1, markers().values().stream().mapToInt(List::size).sum());
        carol.deallocate(app);
        carol.awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
        assertEquals(0, markers().values().stream().mapToInt(List::size).sum());
        assertEquals(401, api(0).as("carol", "not-" + password).get("/api/v1/user/me").status());
    }

    /** 4 CPU / 8 GB per node and 1 CPU / 2 GB per application: twelve fit the cluster, two wait. */
    @Test
    @Order(2)
    void capacityOfEveryNodeIsUsedAndNeverExceeded() throws Exception {
        String labelUid = api(0).createLabel(label("capacity-label", testDefinition(1, 2)));
        int fitting = PER_NODE * cluster.size();
        int total = fitting + 2;
        List<String> apps;
        ExecutorService clients = Executors.newFixedThreadPool(total);
        try {
            List<CompletableFuture<String>> posts = IntStream.range(0, total)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> api(i % 3).createApplication(labelUid), clients))
                    .toList();
            apps = new ArrayList<>();
            for (CompletableFuture<String> post : posts) {
                apps.add(post.get());
            }
        } finally {
            clients.shutdownNow();
        }

        FishApi reader = api(1);
        Poll.until(fitting + " of " + total + " applications ALLOCATED", Duration.ofSeconds(90),
                () -> statusCounts(reader, apps), c -> c.getOrDefault("ALLOCATED", 0) == fitting);
        Map<String, Integer> expected = Map.of("ALLOCATED", fitting, "NEW", 2);
        Poll.stays("the status counts", STAYS, () -> statusCounts(reader, apps), expected);

        Map<String, List<String>> markers = markers();
        for (Map.Entry<String, List<String>> node : markers.entrySet()) {
            assertTrue(node.getValue().size() <= PER_NODE, node.getKey() + " holds " + node.getValue());
        }
        List<String> allMarkers = markers.values().stream().flatMap(List::stream).sorted().toList();
        assertEquals(fitting, allMarkers.size(), markers::toString);
        for (FishProcess node : cluster) {
            JsonNode resources = node.api().get("/api/v1/resource/").ok();
            assertEquals(allMarkers, StreamSupport.stream(resources.spliterator(), false)
                    .map(r -> r.path("identifier").asText()).sorted().toList(), node.name());
        }

        // The waiting ones are recalled first, so freed capacity cannot go to them.
        List<String> waiting = apps.stream().filter(a -> "NEW".equals(reader.status(a))).toList();
        assertEquals(2, waiting.size());
        for (String app : waiting) {
            assertEquals("RECALLED", reader.deallocate(app).path("status").asText());
        }
        for (int i = 0; i < apps.size(); i++) {
            if (!waiting.contains(apps.get(i))) {
                api(i % 3).deallocate(apps.get(i));
            }
        }
        for (String app : apps) {
            if (!waiting.contains(app)) {
                reader.awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
            }
        }
        assertEquals(0, markers().values().stream().mapToInt(List::size).sum(), () -> markers().toString());
        assertEquals(0, reader.get("/api/v1/resource/").ok().size());
    }

    /** POST → the first GET of the state that says ALLOCATED, one application at a time, round-robin. */
    @Test
    @Order(3)
    void allocationLatencyAcrossTheCluster() {
        String labelUid = api(0).createLabel(label("latency-label", testDefinition(1, 2)));
        List<Duration> samples = new ArrayList<>();
        List<String> apps = new ArrayList<>();
        Map<String, Integer> holders = new HashMap<>();
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            FishApi api = api(i % 3);
            long posted = System.nanoTime();
            String app = api.createApplication(labelUid);
            long deadline = posted + FishApi.ALLOCATE_TIMEOUT.toNanos();
            String status = api.status(app);
            while (!"ALLOCATED".equals(status)) {
                assertTrue(System.nanoTime() - deadline < 0, "application " + app + " still " + status);
                Poll.pause(LATENCY_POLL);
                status = api.status(app);
            }
            samples.add(Duration.ofNanos(System.nanoTime() - posted));
            holders.merge(api.resource(app).path("node_UID").asText(), 1, Integer::sum);
            api.deallocate(app);
            apps.add(app);
        }
        for (String app : apps) {
            api(0).awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
        }
        assertEquals(0, markers().values().stream().mapToInt(List::size).sum());

        List<Duration> sorted = samples.stream().sorted().toList();
        String notes = LATENCY_SAMPLES + " sequential apps created round-robin on 3 nodes, state polled every "
                + LATENCY_POLL.toMillis() + " ms; min " + ClusterMeasurements.millis(sorted.get(0)) + ", max "
                + ClusterMeasurements.millis(sorted.get(sorted.size() - 1)) + "; allocations per node "
                + holders.values().stream().sorted().toList();
        ClusterMeasurements.record("time to ALLOCATED p50", ClusterMeasurements.percentile(sorted, 50), notes);
        ClusterMeasurements.record("time to ALLOCATED p99", ClusterMeasurements.percentile(sorted, 99), notes);
    }

    /** SIGTERM to every node, then all start together: data, users and the first admin password survive. */
    @Test
    @Order(4)
    void wholeClusterRestartKeepsLabelsUsersAndTheAdminPassword() throws Exception {
        List<String> labels = labelNames(api(0));
        List<String> users = userNames(api(0));
        assertEquals(List.of("capacity-label", "latency-label", "shared-label"), labels);
        assertEquals(List.of("admin", "carol"), users);

        List<CompletableFuture<Integer>> stops = cluster.stream()
                .map(node -> CompletableFuture.supplyAsync(node::stop)).toList();
        for (CompletableFuture<Integer> stop : stops) {
            // The JVM reports death by SIGTERM as 128 + 15 even when every shutdown hook ran to its end.
            int code = stop.get();
            assertTrue(code == 0 || code == 143, "exit code " + code);
        }
        for (FishProcess node : cluster) {
            assertTrue(node.printed("Node " + node.name() + " stopped"), node.name() + ": no graceful stop in the log");
        }
        long restarting = System.nanoTime();
        FishNodes.startAll(cluster.toArray(FishProcess[]::new));
        ClusterMeasurements.record("whole-cluster restart (3 nodes started together)",
                Duration.ofNanos(System.nanoTime() - restarting), "SIGTERM all, start all → every node `Fish initialized`");

        List<String> names = List.of("node-1", "node-2", "node-3");
        for (FishProcess node : cluster) {
            // The clients use the password node-1 printed on its very first start.
            FishApi api = node.api();
            Clusters.awaitNodeNames(api, names);
            assertEquals(labels, labelNames(api), node.name());
            assertEquals(users, userNames(api), node.name());
        }
        assertEquals(1, Clusters.byName(cluster, "node-1").linesContaining("Admin user pass:"));
        assertEquals(0, Clusters.byName(cluster, "node-2").linesContaining("Admin user pass:"));
        assertEquals(0, Clusters.byName(cluster, "node-3").linesContaining("Admin user pass:"));

        // And it still allocates.
        String app = api(2).createApplication(labelUid(api(2), "shared-label"));
        api(1).awaitAllocated(app);
        api(0).deallocate(app);
        api(2).awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
    }

    /** A node whose certificates another CA signed cannot join: TLS refuses it and it does not start. */
    @Test
    @Order(5)
    void nodeWithAForeignCaNeverJoins() {
        int outsiderPort = Clusters.freePorts(1).get(0);
        List<Integer> all = new ArrayList<>(ports);
        all.add(outsiderPort);
        // Its fish_data starts empty: it generates its own CA.
        FishProcess outsider = NODES.create("outsider", dir.resolve("outsider"),
                Clusters.config("outsider", outsiderPort, all, Configs.TEST_DRIVER)).startTimeout(Clusters.FORM_TIMEOUT);
        outsider.launch();
        List<String> names = List.of("node-1", "node-2", "node-3");
        long deadline = System.nanoTime() + Clusters.FORM_TIMEOUT.toNanos();
        while (outsider.isRunning()) {
            assertEquals(names, Clusters.nodeNames(api(0)), "while the outsider tries");
            assertTrue(System.nanoTime() - deadline < 0, "the outsider neither started nor gave up");
            Poll.pause(Poll.INTERVAL);
        }
        int exit = outsider.awaitExit(Duration.ofSeconds(5));
        assertNotEquals(0, exit, "the outsider's exit code");
        assertTrue(outsider.printed("Unable to start the node"), "the outsider says why it stopped");
        assertTrue(!outsider.printed("Fish initialized"), "the outsider never served requests");
        for (FishProcess node : cluster) {
            assertEquals(names, Clusters.nodeNames(node.api()), node.name());
            assertEquals(3, Clusters.clusterView(node.api()).path("visible_nodes").asInt(), node.name());
        }
    }

    /**
     * node_name is unique: a new machine (its own key, so its own UID) configured as node-2 while
     * node-2 is live joins, sees the name taken, stops cleanly and exits with 2; the cluster goes on.
     */
    @Test
    @Order(6)
    void nodeWithATakenNameIsRefusedAtJoin() {
        JsonNode holder = StreamSupport.stream(api(0).get(Clusters.NODES).ok().spliterator(), false)
                .filter(n -> "node-2".equals(n.path("name").asText())).findFirst().orElseThrow();
        int impostorPort = Clusters.freePorts(1).get(0);
        List<Integer> all = new ArrayList<>(ports);
        all.add(impostorPort);
        FishProcess impostor = NODES.create("impostor", dir.resolve("impostor"),
                Clusters.config("node-2", impostorPort, all, Configs.TEST_DRIVER));
        Clusters.copyCa(cluster.get(0), impostor);
        impostor.sharingAdmin(cluster.get(0).adminPassword()).launch();

        assertEquals(2, impostor.awaitExit(Clusters.FORM_TIMEOUT), "the exit code of a refused name");
        String expected = "Node name \"node-2\" is already used by live node " + holder.path("UID").asText()
                + " at " + holder.path("address").asText() + "; choose another node_name";
        assertTrue(impostor.printed("[err] " + expected), "the message on stderr: " + impostor.tail());
        assertTrue(impostor.printed("Unable to start the node: " + expected), "and in the log");
        assertTrue(!impostor.printed("Fish initialized"), "the impostor never served requests");

        List<String> names = List.of("node-1", "node-2", "node-3");
        for (FishProcess node : cluster) {
            assertEquals(names, Clusters.nodeNames(node.api()), node.name());
            Poll.until(node.name() + " to count three live nodes", Clusters.FORM_TIMEOUT,
                    () -> Clusters.clusterView(node.api()).path("visible_nodes").asInt(), n -> n == 3);
        }
        assertEquals(holder.path("UID").asText(), Clusters.nodeUid(api(2), "node-2"), "node-2 is still itself");
        String labelUid = api(1).createLabel(label("after-impostor", testDefinition(1, 2)));
        assertEquals("after-impostor", api(2).get("/api/v1/label/" + labelUid).ok().path("name").asText());
    }

    private FishApi api(int index) {
        return cluster.get(index).api();
    }

    /** The test driver's marker files of each node. */
    private Map<String, List<String>> markers() {
        Map<String, List<String>> markers = new HashMap<>();
        for (FishProcess node : cluster) {
            markers.put(node.name(), node.markers(DEFAULT_WORKSPACE));
        }
        return markers;
    }

    private static Map<String, Integer> statusCounts(FishApi api, List<String> apps) {
        Map<String, Integer> counts = new HashMap<>();
        for (String app : apps) {
            counts.merge(api.status(app), 1, Integer::sum);
        }
        return counts;
    }

    private static List<String> labelNames(FishApi api) {
        return StreamSupport.stream(api.get("/api/v1/label/").ok().spliterator(), false)
                .map(l -> l.path("name").asText()).sorted().toList();
    }

    private static String labelUid(FishApi api, String name) {
        return StreamSupport.stream(api.get("/api/v1/label/").ok().spliterator(), false)
                .filter(l -> name.equals(l.path("name").asText())).findFirst().orElseThrow().path("UID").asText();
    }

    private static List<String> userNames(FishApi api) {
        return StreamSupport.stream(api.get("/api/v1/user/").ok().spliterator(), false)
                .map(u -> u.path("name").asText()).sorted().toList();
    }
}
