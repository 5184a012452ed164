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
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.aquarium.fish.api.it.Configs.DEFAULT_WORKSPACE;
import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.testDefinition;
import static io.aquarium.fish.api.it.Configs.testDriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three clustered node processes and {@code kill -9}: an ELECTED application moves to a live node,
 * a dead node's ALLOCATED applications wait for it, and a lone survivor loses quorum. Ordered
 * scenarios on one cluster; node C (never killed) keeps the data while the others die and return.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
@ResourceLock(ClusterIT.CLUSTER_LOCK)
class ClusterFailureIT {
    /** Seconds the test driver takes to allocate: long enough to kill the ELECTED node mid-way. */
    private static final int DELAY_ALLOCATE = 10;
    /** "A node whose heartbeat is older than 3 x election_interval (15 s by default) is dead for elections." */
    private static final Duration STALE = Duration.ofSeconds(15);
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEALLOCATE_TIMEOUT = Duration.ofSeconds(30);
    private static final String ELECTED_PREFIX = "Elected node: ";

    @RegisterExtension
    static final FishNodes NODES = FishNodes.perClass();

    private List<FishProcess> cluster;
    private String slowLabel;
    /** The application the killed ELECTED node was allocating, and the nodes of that scenario. */
    private String takenOver;
    private FishProcess elected;
    private FishProcess holder;
    private FishProcess keeper;

    @BeforeAll
    void formCluster(@TempDir Path dir) {
        cluster = Clusters.create(NODES, dir, Clusters.freePorts(3), testDriver(4, 8));
        Clusters.form(cluster);
        slowLabel = api(cluster.get(0)).createLabel(label("slow-label",
                "{\"driver\":\"test\",\"resources\":{\"cpu\":1,\"ram\":2},\"options\":{\"delay_allocate\":"
                        + DELAY_ALLOCATE + "}}"));
    }

    @Test
    @Order(1)
    void applicationOfAKilledElectedNodeIsAllocatedElsewhere() {
        Clusters.awaitBaseline(cluster);
        String app = api(cluster.get(0)).createApplication(slowLabel);
        JsonNode state = api(cluster.get(1)).awaitStatus(app, "ELECTED", FishApi.ALLOCATE_TIMEOUT);
        String description = state.path("description").asText();
        assertTrue(description.startsWith(ELECTED_PREFIX), description);
        elected = Clusters.byName(cluster, description.substring(ELECTED_PREFIX.length()));
        FishProcess watcher = cluster.stream().filter(n -> n != elected).findFirst().orElseThrow();
        String electedUid = Clusters.nodeUid(api(watcher), elected.name());

        long killed = System.nanoTime();
        elected.kill();
        api(watcher).awaitStatus(app, "ALLOCATED", TAKEOVER_TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        JsonNode resource = api(watcher).resource(app);
        assertNotEquals(electedUid, resource.path("node_UID").asText(), "allocated by the dead node");
        holder = cluster.stream().filter(n -> n != elected && resource.path("node_UID").asText()
                .equals(Clusters.nodeUid(api(watcher), n.name()))).findFirst().orElseThrow();
        keeper = cluster.stream().filter(n -> n != elected && n != holder).findFirst().orElseThrow();
        assertEquals(List.of(resource.path("identifier").asText()), holder.markers(DEFAULT_WORKSPACE));
        assertEquals(List.of(), elected.markers(DEFAULT_WORKSPACE), "the dead node never finished allocating");
        takenOver = app;
        ClusterMeasurements.record("kill -9 of the ELECTED node → ALLOCATED elsewhere", took,
                "includes the heartbeat staleness (" + STALE.toSeconds() + " s), a new election and the test driver's "
                        + "delay_allocate (" + DELAY_ALLOCATE + " s) on the new node");

        // The killed node returns: it must not resume the allocation it lost.
        elected.start();
        ClusterMeasurements.record("node restart after kill -9 (rejoin)", elected.lastStartDuration(),
                "process start → `Fish initialized`, the other two running");
        Clusters.awaitNodeNames(api(elected), List.of("node-1", "node-2", "node-3"));
        assertEquals("ALLOCATED", api(elected).status(app));
        assertEquals(List.of(), elected.markers(DEFAULT_WORKSPACE));
        assertEquals(1, api(elected).get("/api/v1/resource/").ok().size());
    }

    /** A dead node's ALLOCATED application stays its own (nobody else can free it) and is freed by it on return. */
    @Test
    @Order(2)
    void killedHolderKeepsItsApplicationsAndFreesThemOnRequestAfterRestart() {
        String identifier = api(keeper).resource(takenOver).path("identifier").asText();
        // The keeper was never killed, so it holds the data whoever else is in the baseline.
        holder.kill();
        // Once the keeper counts the holder as dead, elections no longer wait for it: this is when a
        // wrong takeover would happen.
        Poll.until("the keeper to count " + holder.name() + " dead", STALE.plusSeconds(30),
                () -> Clusters.clusterView(api(keeper)), v -> v.path("visible_nodes").asInt() == 2);
        api(keeper).assertStaysStatus(takenOver, "ALLOCATED", Duration.ofSeconds(3));
        assertEquals(identifier, api(elected).resource(takenOver).path("identifier").asText());
        assertEquals(List.of(identifier), holder.markers(DEFAULT_WORKSPACE));

        holder.start();
        assertEquals("ALLOCATED", api(holder).status(takenOver));
        assertEquals(List.of(identifier), holder.markers(DEFAULT_WORKSPACE));
        assertEquals("DEALLOCATE", api(holder).deallocate(takenOver).path("status").asText());
        api(holder).awaitStatus(takenOver, "DEALLOCATED", DEALLOCATE_TIMEOUT);
        assertEquals(List.of(), holder.markers(DEFAULT_WORKSPACE));
        assertEquals(0, api(keeper).get("/api/v1/resource/").ok().size());
    }

    /** A lone survivor of three refuses writes (and does not allocate) until a second node is back. */
    @Test
    @Order(3)
    void loneSurvivorLosesQuorumAndRegainsItWhenANodeReturns() throws Exception {
        FishApi survivor = api(keeper);
        JsonNode before = Clusters.clusterView(survivor);
        assertTrue(before.path("has_quorum").asBoolean(), before::toString);
        assertEquals(3, before.path("stable_topology").asInt(), before::toString);

        long killed = System.nanoTime();
        CompletableFuture<Void> one = CompletableFuture.runAsync(elected::kill);
        CompletableFuture<Void> two = CompletableFuture.runAsync(holder::kill);
        one.get();
        two.get();
        JsonNode lost = Poll.until("the survivor to lose quorum", STALE.plusSeconds(30),
                () -> Clusters.clusterView(survivor), v -> !v.path("has_quorum").asBoolean(true));
        Duration tookToNotice = Duration.ofNanos(System.nanoTime() - killed);
        assertEquals(1, lost.path("visible_nodes").asInt(), lost::toString);
        assertEquals(2, lost.path("quorum").asInt(), lost::toString);
        assertEquals("lost", survivor.get("/api/v1/node/this/").header("X-Fish-Quorum").orElse(""));
        FishApi.Reply refused = survivor.post("/api/v1/label/", label("minority-label", testDefinition(1, 2)));
        assertEquals(503, refused.status(), refused.body());
        assertTrue(refused.body().contains("quorum"), refused.body());
        ClusterMeasurements.record("kill -9 of 2 of 3 nodes → survivor reports quorum lost", tookToNotice,
                "heartbeat staleness " + STALE.toSeconds() + " s + the next election pass");

        elected.start();
        JsonNode regained = Poll.until("the survivor to regain quorum", Duration.ofSeconds(30),
                () -> Clusters.clusterView(survivor), v -> v.path("has_quorum").asBoolean(false));
        assertEquals(2, regained.path("visible_nodes").asInt(), regained::toString);
        assertEquals("ok", survivor.get("/api/v1/node/this/").header("X-Fish-Quorum").orElse(""));
        String labelUid = survivor.createLabel(label("majority-label", testDefinition(1, 2)));
        String app = api(elected).createApplication(labelUid);
        survivor.awaitAllocated(app);
        survivor.deallocate(app);
        survivor.awaitStatus(app, "DEALLOCATED", DEALLOCATE_TIMEOUT);
        assertFalse(holder.isRunning());
    }

    private static FishApi api(FishProcess node) {
        return node.api();
    }
}
