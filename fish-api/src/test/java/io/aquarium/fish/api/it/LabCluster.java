package io.aquarium.fish.api.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.testDefinition;

/**
 * Three clustered node processes, node {@code i} in namespace {@code i} of a {@link NetnsLab}: API
 * and discovery on the namespace's own address ({@code 198.18.0.i:8001}, {@code :47500}),
 * {@code cluster_join} listing all three, the test driver without capacity limits and with its
 * workspace in the node's directory (so each node's marker files are its own). Every node runs under
 * a supervisor like {@code config/aquarium-fish.service} ({@code Restart=on-failure},
 * {@code RestartSec=5}). The test JVM talks to each node over the lab's bridge through a client of
 * the node's fixed address, which stays valid across restarts.
 *
 * <p>{@link #ensureReady()} reuses the cluster while it is healthy and clean, and otherwise forms a
 * new one in fresh directories (a failed scenario may leave it split or holding resources).
 */
final class LabCluster {
    static final int SIZE = 3;
    static final int API_PORT = 8001;
    static final int DISCOVERY_PORT = 47500;
    /** {@code RestartSec} of {@code config/aquarium-fish.service}. */
    static final Duration RESTART_DELAY = Duration.ofSeconds(5);
    /** The metadata key that marks each scenario application; the test driver copies it into the marker. */
    static final String TAG = "fish_split_tag";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final String WORKSPACE = "fish_test_workspace";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetnsLab lab;
    private final FishNodes nodes;
    private final Path root;
    private final AtomicInteger probes = new AtomicInteger();
    private int generation;
    private List<FishProcess> processes = List.of();
    private List<FishApi> clients = List.of();
    private Map<String, Integer> nodeIndexByUid = Map.of();
    private String labelUid;

    LabCluster(NetnsLab lab, FishNodes nodes, Path root) {
        this.lab = lab;
        this.nodes = nodes;
        this.root = root;
    }

    NetnsLab lab() {
        return lab;
    }

    static String name(int node) {
        return "node-" + node;
    }

    FishProcess node(int node) {
        return processes.get(node - 1);
    }

    List<FishProcess> processes() {
        return processes;
    }

    /** The admin client of {@code node}'s fixed address ({@link #REQUEST_TIMEOUT} per request). */
    FishApi api(int node) {
        return clients.get(node - 1);
    }

    /** The label of the scenario applications: one test driver definition, 1 CPU, 2 GB. */
    String labelUid() {
        return labelUid;
    }

    /** The node (1..3) whose UID is {@code uid}, or 0. */
    int nodeOfUid(String uid) {
        return nodeIndexByUid.getOrDefault(uid, 0);
    }

    /** Which cluster this is: 1 for the first formed, incremented on every {@link #form()}. */
    int generation() {
        return generation;
    }

    /**
     * A healthy cluster holding nothing: the current one when every node is healthy and no node holds
     * a resource, else a new one. Returns true when it formed a new one. Either way every node holds the
     * data when it returns ({@link Clusters#awaitBaseline}).
     */
    boolean ensureReady() {
        boolean fresh = false;
        String why = generation == 0 ? "no cluster yet" : whyNotReady();
        if (why != null) {
            System.out.println("[split] forming cluster generation " + (generation + 1) + ": " + why);
            form();
            fresh = true;
        }
        Clusters.awaitBaseline(processes);
        return fresh;
    }

    private String whyNotReady() {
        for (int n = 1; n <= SIZE; n++) {
            String why = unhealthy(n);
            if (why != null) {
                return name(n) + ": " + why;
            }
            if (!markers(n).isEmpty()) {
                return name(n) + " holds markers " + markers(n).keySet();
            }
            FishApi.Reply resources = api(n).tryGet("/api/v1/resource/");
            if (resources.status() != 200 || resources.json().size() != 0) {
                return name(n) + " lists resources: " + resources.status() + " " + resources.body();
            }
        }
        return null;
    }

    /** Kills the current nodes (if any) and forms a new cluster in fresh directories. */
    void form() {
        nodes.retire(processes);
        lab.healAll();
        generation++;
        Path dir = root.resolve("gen-" + generation);
        List<String> join = new ArrayList<>();
        for (int n = 1; n <= SIZE; n++) {
            join.add(lab.address(n) + ":" + DISCOVERY_PORT);
        }
        List<FishProcess> created = new ArrayList<>();
        for (int n = 1; n <= SIZE; n++) {
            Path nodeDir = dir.resolve(name(n));
            String driver = "drivers:\n  - name: test\n    cfg:\n      cpu_limit: 0\n      ram_limit: 0\n"
                    + "      workspace_path: " + nodeDir.resolve(WORKSPACE).toAbsolutePath() + "\n";
            String config = Clusters.config(name(n), lab.address(n) + ":" + API_PORT,
                    lab.address(n) + ":" + DISCOVERY_PORT, join, driver);
            created.add(nodes.create(name(n), nodeDir, config).commandPrefix(lab.execPrefix(n))
                    .restartOnFailure(RESTART_DELAY).startTimeout(Clusters.FORM_TIMEOUT));
        }
        processes = List.copyOf(created);
        Clusters.form(processes);
        String password = processes.get(0).adminPassword();
        Path ca = processes.get(0).dir().resolve("fish_data/ca.crt");
        List<FishApi> apis = new ArrayList<>();
        for (int n = 1; n <= SIZE; n++) {
            apis.add(FishApi.connect(ca, lab.address(n) + ":" + API_PORT, "admin", password)
                    .withTimeout(REQUEST_TIMEOUT));
        }
        clients = List.copyOf(apis);
        Map<String, Integer> uids = new LinkedHashMap<>();
        for (int n = 1; n <= SIZE; n++) {
            uids.put(Clusters.nodeUid(api(1), name(n)), n);
        }
        nodeIndexByUid = Map.copyOf(uids);
        labelUid = api(1).createLabel(label("split-label", testDefinition(1, 2)));
    }

    /**
     * Null when {@code node} is healthy as a client sees it: its API answers, it reports quorum with all
     * nodes visible ({@code definition.host.fish_cluster}) and it accepts a write (a new label); else why
     * not.
     */
    String unhealthy(int node) {
        FishApi api = api(node);
        FishApi.Reply self = api.tryGet("/api/v1/node/this/");
        if (self.status() != 200) {
            return "GET /api/v1/node/this/ -> " + self.status() + " " + self.body();
        }
        JsonNode view = self.json().path("definition").path("host").path("fish_cluster");
        if (!view.path("has_quorum").asBoolean(false) || view.path("visible_nodes").asInt() != SIZE) {
            return "fish_cluster " + view;
        }
        FishApi.Reply write = api.tryPost("/api/v1/label/",
                label("split-probe-" + name(node) + "-" + probes.incrementAndGet(), testDefinition(1, 2)));
        if (write.status() != 200) {
            return "POST /api/v1/label/ -> " + write.status() + " " + write.body();
        }
        return null;
    }

    /** This node's view of the cluster, compactly: {@code 200 q=true 3/3} or the failed reply. */
    String view(int node) {
        FishApi.Reply self = api(node).tryGet("/api/v1/node/this/");
        if (self.status() != 200) {
            String body = self.body();
            return self.status() + " " + (body.length() > 120 ? body.substring(0, 120) + "..." : body);
        }
        JsonNode v = self.json().path("definition").path("host").path("fish_cluster");
        return "200 quorum=" + v.path("has_quorum").asText() + " visible=" + v.path("visible_nodes").asText() + "/"
                + v.path("stable_topology").asText() + " needed=" + v.path("quorum").asText();
    }

    /** {@code node}'s marker files and the {@link #TAG} each carries ({@code ?} when unreadable yet). */
    Map<String, String> markers(int node) {
        Map<String, String> tags = new LinkedHashMap<>();
        Path ws = node(node).dir().resolve(WORKSPACE);
        for (String file : node(node).markers(WORKSPACE)) {
            try {
                JsonNode marker = JSON.readTree(Files.readString(ws.resolve(file)));
                tags.put(file, marker.path("metadata").path(TAG).asText("?"));
            } catch (NoSuchFileException gone) {
                // Deallocated between the listing and the read.
            } catch (JsonProcessingException partial) {
                // Being written: unreadable this time.
                tags.put(file, "?");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tags;
    }
}
