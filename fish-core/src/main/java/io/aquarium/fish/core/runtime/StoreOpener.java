package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.cluster.QuorumRule;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.config.HostPort;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.h2.H2Store;
import io.aquarium.fish.core.store.ignite.IgniteStore;
import io.aquarium.fish.core.store.ignite.IgniteStoreConfig;
import io.aquarium.fish.core.store.ignite.IgniteTls;
import io.aquarium.fish.core.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The same jar runs single-node or clustered by configuration alone: without {@code cluster_address}
 * the embedded H2 file store; with it an Ignite server node that joins {@code cluster_join}, speaks
 * TLS with the node certificate and keeps its data (native persistence) in {@code fish_data/ignite}.
 */
final class StoreOpener {
    private static final Logger LOG = LoggerFactory.getLogger(StoreOpener.class);
    /** Communication ports are picked automatically from this range (several nodes may share a host). */
    private static final int COMMUNICATION_PORT_RANGE = 100;

    private StoreOpener() {
    }

    /**
     * {@code foundsCluster}: this node created the cluster CA at this start, so it is the first node of
     * a new cluster and may activate it alone; a node given the CA must find its cluster instead.
     */
    static FishStore open(FishConfig config, Path dataDir, NodeIdentity identity, TlsMaterial tls,
                          boolean foundsCluster) {
        HostPort cluster = config.clusterHostPort();
        if (cluster == null) {
            return H2Store.open(dataDir);
        }
        List<String> join = new ArrayList<>(config.clusterJoin());
        join.add(cluster.toString());
        IgniteStoreConfig igniteConfig = IgniteStoreConfig.singleNode(dataDir.resolve("ignite"),
                        "fish-" + identity.uid())
                .withDiscovery(cluster.host().isEmpty() ? "0.0.0.0" : cluster.host(), cluster.port(), 0, join)
                .withCommunication(IgniteStoreConfig.DEFAULT_COMMUNICATION_PORT, COMMUNICATION_PORT_RANGE)
                .withPersistence(true)
                .withSsl(IgniteTls.of(tls))
                .withMembership(new IgniteStoreConfig.Membership(identity.uid().toString(),
                        new QuorumRule(config.clusterQuorum()), foundsCluster || config.clusterJoin().isEmpty()));
        LOG.info("Joining the cluster as {} on {} (known nodes: {})", identity.name(), cluster, config.clusterJoin());
        return IgniteStore.start(igniteConfig);
    }
}
