package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clustered nodes on 127.0.0.1 as an operator sets them up: each node's {@code cluster_address} is a
 * free local port and its {@code cluster_join} lists the others; the first node generates the CA,
 * which is copied into every other node's {@code fish_data} before its first start.
 */
final class Clusters {
    /** A cluster forming (or a node joining one) on a loaded two-core machine takes a while. */
    static final Duration FORM_TIMEOUT = Duration.ofSeconds(120);
    static final String NODES = "/api/v1/node/";
    /**
     * "The baseline topology follows the servers after 10 s": until then a node that joined holds no
     * copy of the data, and killing the only nodes that do leaves the others unable to read anything.
     * Nothing outside the node reports the baseline, so scenarios that kill nodes wait this long
     * after the last start (10 s and a margin for the rebalance of a few kilobytes).
     */
    static final Duration BASELINE_SETTLE = Duration.ofSeconds(15);

    private Clusters() {
    }

    /** {@code count} distinct ports free at the time of the call. */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // Only probing for free ports.
                }
            }
        }
    }

    /** A clustered node's config: discovery on {@code port}, joining every other port of {@code ports}. */
    static String config(String nodeName, int port, List<Integer> ports, String extra) {
        List<String> join = ports.stream().filter(p -> p != port).map(p -> "127.0.0.1:" + p).toList();
        return config(nodeName, "127.0.0.1:0", "127.0.0.1:" + port, join, extra);
    }

    /** A clustered node's config: API on {@code apiAddress}, discovery on {@code clusterAddress}, joining {@code join}. */
    static String config(String nodeName, String apiAddress, String clusterAddress, List<String> join, String extra) {
        List<String> quoted = join.stream().map(a -> "\"" + a + "\"").toList();
        return Configs.node(nodeName, apiAddress, "cluster_address: " + clusterAddress + "\ncluster_join: ["
                + String.join(", ", quoted) + "]\n" + extra);
    }

    /** Nodes {@code node-1 ..} (not started) in {@code dir}, one per discovery port, each joining all the others. */
    static List<FishProcess> create(FishNodes nodes, Path dir, List<Integer> ports, String extra) {
        List<FishProcess> cluster = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            String name = "node-" + (i + 1);
            cluster.add(nodes.create(name, dir.resolve(name), config(name, ports.get(i), ports, extra))
                    .startTimeout(FORM_TIMEOUT));
        }
        return cluster;
    }

    /**
     * Starts the first node alone (it generates the CA and the admin user), copies the CA to the
     * others, boots them side by side and waits until every node lists all of them.
     */
    static void form(List<FishProcess> cluster) {
        FishProcess first = cluster.get(0).start();
        List<FishProcess> joiners = cluster.subList(1, cluster.size());
        for (FishProcess joiner : joiners) {
            copyCa(first, joiner);
            joiner.sharingAdmin(first.adminPassword()).launch();
        }
        for (FishProcess joiner : joiners) {
            joiner.awaitReady();
        }
        List<String> names = cluster.stream().map(FishProcess::name).sorted().toList();
        for (FishProcess node : cluster) {
            awaitNodeNames(node.api(), names);
        }
    }

    /** Waits until every node has been up for {@link #BASELINE_SETTLE}, so every node holds the data. */
    static void awaitBaseline(List<FishProcess> cluster) {
        long lastStart = cluster.stream().mapToLong(FishProcess::lastInitializedAt).max().orElseThrow();
        long left = lastStart + BASELINE_SETTLE.toNanos() - System.nanoTime();
        if (left > 0) {
            Poll.pause(Duration.ofNanos(left));
        }
    }

    /** The cluster CA (certificate and key) of {@code from}, copied into {@code to}'s {@code fish_data}. */
    static void copyCa(FishProcess from, FishProcess to) {
        try {
            Path target = Files.createDirectories(to.dir().resolve("fish_data"));
            for (String file : List.of("ca.crt", "ca.key")) {
                Files.copy(from.dir().resolve("fish_data").resolve(file), target.resolve(file),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the nodes {@code GET /api/v1/node/} lists, sorted. */
    static List<String> nodeNames(FishApi api) {
        return StreamSupport.stream(api.get(NODES).ok().spliterator(), false)
                .map(n -> n.path("name").asText()).sorted().toList();
    }

    /** The UID of the node called {@code name}, as the cluster lists it. */
    static String nodeUid(FishApi api, String name) {
        for (JsonNode n : api.get(NODES).ok()) {
            if (name.equals(n.path("name").asText())) {
                return n.path("UID").asText();
            }
        }
        throw new AssertionError("no node " + name + " in " + nodeNames(api));
    }

    static void awaitNodeNames(FishApi api, List<String> names) {
        assertEquals(names, Poll.until("the cluster to list " + names, FORM_TIMEOUT, () -> nodeNames(api),
                names::equals));
    }

    /** The node called {@code name}. */
    static FishProcess byName(List<FishProcess> cluster, String name) {
        return cluster.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name));
    }

    /** This node's view of the cluster: {@code definition.host.fish_cluster} of {@code GET /api/v1/node/this/}. */
    static JsonNode clusterView(FishApi api) {
        return api.get("/api/v1/node/this/").ok().path("definition").path("host").path("fish_cluster");
    }
}
