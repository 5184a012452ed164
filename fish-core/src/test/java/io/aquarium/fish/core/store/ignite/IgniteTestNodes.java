package io.aquarium.fish.core.store.ignite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Loopback Ignite nodes for tests: free ports, static discovery only, so they never meet another test's nodes. */
final class IgniteTestNodes {
    private IgniteTestNodes() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node on {@code discoveryPort} that joins the given discovery ports (its own may be among them). */
    static IgniteStoreConfig config(Path workDirectory, String instanceName, boolean persistence, int discoveryPort,
                                    List<Integer> joinPorts) {
        return IgniteStoreConfig.singleNode(workDirectory, instanceName)
                .withDiscovery("127.0.0.1", discoveryPort, 0,
                        joinPorts.stream().map(p -> "127.0.0.1:" + p).toList())
                .withCommunication(freePort(), 0)
                .withPersistence(persistence);
    }

    static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
