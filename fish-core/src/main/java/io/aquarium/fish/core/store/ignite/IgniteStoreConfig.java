package io.aquarium.fish.core.store.ignite;

import javax.cache.configuration.Factory;
import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to start the Ignite server node behind an {@link IgniteStore}.
 *
 * @param workDirectory         Ignite's work directory (e.g. {@code fish_data/ignite}); with persistence on it
 *                              holds the data files and the WAL
 * @param instanceName          the node's Ignite instance name, also its consistent ID: the persistence folder
 *                              and the baseline topology are keyed by it, so it must be stable across restarts
 *                              and unique in the cluster (the fish node's name or UID)
 * @param discoveryAddress      local address discovery binds to (never multicast)
 * @param discoveryPort         first local discovery port
 * @param discoveryPortRange    how many ports after {@code discoveryPort} may be tried (0: exactly that one)
 * @param staticAddresses       {@code host:port} (or {@code host:port1..port2}) of the nodes to join; this
 *                              node's own address may be among them
 * @param communicationPort     first local communication port
 * @param communicationPortRange how many ports after {@code communicationPort} may be tried
 * @param persistence           Ignite native persistence (the data survives a restart) or memory only
 * @param regionMaxBytes        upper bound of the data region's off-heap memory
 * @param sslContextFactory     TLS between nodes (discovery and communication), or null for plain TCP
 * @param membership            who this node is in the cluster and how quorum is counted
 */
public record IgniteStoreConfig(Path workDirectory, String instanceName, String discoveryAddress, int discoveryPort,
                                int discoveryPortRange, List<String> staticAddresses, int communicationPort,
                                int communicationPortRange, boolean persistence, long regionMaxBytes,
                                Factory<SSLContext> sslContextFactory, Membership membership) {
    public static final int DEFAULT_DISCOVERY_PORT = 47500;
    public static final int DEFAULT_COMMUNICATION_PORT = 47100;
    public static final long DEFAULT_REGION_MAX_BYTES = 256L * 1024 * 1024;

    /**
     * The node's place in the cluster.
     *
     * @param nodeUid      the fish node's UID, published to the other nodes (null in store-only tests)
     * @param quorum       how many expected members must be present for writes
     * @param mayFound     whether this node may start a new cluster on its own when it finds nobody: the
     *                     first node of a cluster does; a node that was given the cluster's CA to join
     *                     one must find it (or it would found a cluster of one, with a quorum of its own)
     */
    public record Membership(String nodeUid, io.aquarium.fish.core.cluster.QuorumRule quorum, boolean mayFound) {
        public Membership {
            Objects.requireNonNull(quorum, "quorum");
        }

        /** A node that may found its cluster, majority quorum: tests and single-machine clusters. */
        public static Membership founder() {
            return new Membership(null, io.aquarium.fish.core.cluster.QuorumRule.majority(), true);
        }
    }

    public IgniteStoreConfig {
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(discoveryAddress, "discoveryAddress");
        staticAddresses = List.copyOf(staticAddresses);
        Objects.requireNonNull(membership, "membership");
        if (instanceName.isBlank()) {
            throw new IllegalArgumentException("The Ignite instance name must not be blank");
        }
        if (discoveryPortRange < 0 || communicationPortRange < 0) {
            throw new IllegalArgumentException("Port ranges must not be negative");
        }
        if (regionMaxBytes < 16L * 1024 * 1024) {
            throw new IllegalArgumentException("The data region needs at least 16 MiB");
        }
    }

    /** A lone persistent node on loopback, default ports (with a small range), no TLS. */
    public static IgniteStoreConfig singleNode(Path workDirectory, String instanceName) {
        return new IgniteStoreConfig(workDirectory, instanceName, "127.0.0.1", DEFAULT_DISCOVERY_PORT, 10,
                List.of("127.0.0.1:" + DEFAULT_DISCOVERY_PORT + ".." + (DEFAULT_DISCOVERY_PORT + 10)),
                DEFAULT_COMMUNICATION_PORT, 10, true, DEFAULT_REGION_MAX_BYTES, null, Membership.founder());
    }

    public IgniteStoreConfig withDiscovery(String address, int port, int portRange, List<String> joinAddresses) {
        return new IgniteStoreConfig(workDirectory, instanceName, address, port, portRange, joinAddresses,
                communicationPort, communicationPortRange, persistence, regionMaxBytes, sslContextFactory, membership);
    }

    public IgniteStoreConfig withCommunication(int port, int portRange) {
        return new IgniteStoreConfig(workDirectory, instanceName, discoveryAddress, discoveryPort, discoveryPortRange,
                staticAddresses, port, portRange, persistence, regionMaxBytes, sslContextFactory, membership);
    }

    public IgniteStoreConfig withPersistence(boolean on) {
        return new IgniteStoreConfig(workDirectory, instanceName, discoveryAddress, discoveryPort, discoveryPortRange,
                staticAddresses, communicationPort, communicationPortRange, on, regionMaxBytes, sslContextFactory,
                membership);
    }

    public IgniteStoreConfig withSsl(Factory<SSLContext> factory) {
        return new IgniteStoreConfig(workDirectory, instanceName, discoveryAddress, discoveryPort, discoveryPortRange,
                staticAddresses, communicationPort, communicationPortRange, persistence, regionMaxBytes, factory,
                membership);
    }

    public IgniteStoreConfig withMembership(Membership m) {
        return new IgniteStoreConfig(workDirectory, instanceName, discoveryAddress, discoveryPort, discoveryPortRange,
                staticAddresses, communicationPort, communicationPortRange, persistence, regionMaxBytes,
                sslContextFactory, m);
    }
}
