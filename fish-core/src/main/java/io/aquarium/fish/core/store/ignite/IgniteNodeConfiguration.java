package io.aquarium.fish.core.store.ignite;

import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.calcite.CalciteQueryEngineConfiguration;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.SqlConfiguration;
import org.apache.ignite.configuration.SystemDataRegionConfiguration;
import org.apache.ignite.configuration.TransactionConfiguration;
import org.apache.ignite.configuration.WALMode;
import org.apache.ignite.events.EventType;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.plugin.segmentation.SegmentationPolicy;
import org.apache.ignite.logger.slf4j.Slf4jLogger;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.spi.metric.noop.NoopMetricExporterSpi;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The Ignite node and cache configuration of the store, in one place.
 *
 * <p>Every cache is REPLICATED (each node holds everything: reads and SQL are local), TRANSACTIONAL
 * (compare-and-set and unique inserts span caches atomically) and FULL_SYNC (a write returns once
 * every node has it, so a node reads another's write at once). All caches share one cache group, so
 * with persistence they share one set of partition files, and few partitions: the data is small.
 */
final class IgniteNodeConfiguration {
    static final String SQL_SCHEMA = "FISH";
    /** Holds the unique keys: (name, version) of labels, (application, node, round) of votes... */
    static final String UNIQUE_CACHE = "fish_unique";
    /** Holds the membership epoch (see {@link IgniteMembership}). */
    static final String MEMBERSHIP_CACHE = "fish_membership";
    /**
     * How long a node may stay silent before the others drop it from the topology. Transactions time
     * out well before it ({@link #TX_TIMEOUT_MS}): a transaction whose prepare hangs on a node that was
     * just cut off is rolled back instead of being committed by the survivors of that node's own
     * (minority) view once the others are dropped.
     */
    static final long FAILURE_DETECTION_MS = 8_000;
    static final long TX_TIMEOUT_MS = 4_000;
    /**
     * How long a node that cannot pass discovery messages on to the next nodes of the ring keeps trying
     * before it segments itself (Ignite's default: the failure detection timeout). A node cut off from
     * one member while it still sees the others is the one that fails here; until it segments, every
     * transaction that needs both waits. Segmenting then stopping each take up to this long, so it
     * bounds how long a partial split blocks writes (measured in ClusterSplitIT).
     */
    static final long CONNECTION_RECOVERY_MS = 4_000;
    /** Node attributes the other nodes (and the quorum validator) read. */
    static final String NODE_UID_ATTRIBUTE = "fish.node_uid";
    static final String QUORUM_ATTRIBUTE = "fish.cluster_quorum";

    static final String CACHE_GROUP = "fish";
    static final int PARTITIONS = 32;
    private static final String REGION = "fish";
    private static final long MIB = 1024L * 1024;
    /** A small WAL: the store holds kilobytes to megabytes; 4 x 8 MiB segments, a bounded archive. */
    static final int WAL_SEGMENT_SIZE = (int) (8 * MIB);
    static final int WAL_SEGMENTS = 4;
    static final long MAX_WAL_ARCHIVE_SIZE = 64 * MIB;
    static final long CHECKPOINT_FREQUENCY_MS = 60_000;

    private IgniteNodeConfiguration() {
    }

    static IgniteConfiguration node(IgniteStoreConfig config) {
        IgniteConfiguration ignite = new IgniteConfiguration()
                .setIgniteInstanceName(config.instanceName())
                // The persistence folder and the baseline are keyed by it: stable across restarts and ports.
                .setConsistentId(config.instanceName())
                .setWorkDirectory(config.workDirectory().toAbsolutePath().toString())
                .setGridLogger(new Slf4jLogger())
                .setPeerClassLoadingEnabled(false)
                .setMetricExporterSpi(new NoopMetricExporterSpi())
                .setMetricsLogFrequency(0)
                // Stop the Ignite node on a critical failure; never halt the JVM under the fish node.
                .setFailureHandler(new StopNodeFailureHandler())
                // Cut off: stop this Ignite node (the store heals by starting a new one); never halt the JVM.
                .setSegmentationPolicy(SegmentationPolicy.STOP)
                .setIncludeEventTypes(EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED,
                        EventType.EVT_NODE_SEGMENTED)
                .setUserAttributes(attributes(config.membership()))
                .setFailureDetectionTimeout(FAILURE_DETECTION_MS)
                .setClientFailureDetectionTimeout(10_000)
                // No thin-client port and no legacy REST/connector: only discovery and communication listen.
                .setClientConnectorConfiguration(null)
                .setConnectorConfiguration(null)
                .setSqlConfiguration(new SqlConfiguration().setQueryEnginesConfiguration(
                        new CalciteQueryEngineConfiguration().setDefault(true)))
                .setTransactionConfiguration(new TransactionConfiguration()
                        .setDefaultTxConcurrency(TransactionConcurrency.PESSIMISTIC)
                        .setDefaultTxIsolation(TransactionIsolation.REPEATABLE_READ)
                        .setDefaultTxTimeout(TX_TIMEOUT_MS))
                .setDataStorageConfiguration(storage(config))
                .setDiscoverySpi(discovery(config))
                .setCommunicationSpi(communication(config));
        if (config.sslContextFactory() != null) {
            ignite.setSslContextFactory(config.sslContextFactory());
        }
        return ignite;
    }

    private static Map<String, String> attributes(IgniteStoreConfig.Membership membership) {
        Map<String, String> attributes = new HashMap<>();
        if (membership.nodeUid() != null) {
            attributes.put(NODE_UID_ATTRIBUTE, membership.nodeUid());
        }
        Integer fixed = membership.quorum().fixedQuorum();
        attributes.put(QUORUM_ATTRIBUTE, fixed == null ? "" : fixed.toString());
        return attributes;
    }

    private static DataStorageConfiguration storage(IgniteStoreConfig config) {
        DataRegionConfiguration region = new DataRegionConfiguration()
                .setName(REGION)
                .setInitialSize(Math.min(64 * MIB, config.regionMaxBytes()))
                .setMaxSize(config.regionMaxBytes())
                .setPersistenceEnabled(config.persistence());
        DataStorageConfiguration storage = new DataStorageConfiguration()
                .setDefaultDataRegionConfiguration(region)
                .setSystemDataRegionConfiguration(new SystemDataRegionConfiguration()
                        .setInitialSize(16 * MIB)
                        .setMaxSize(64 * MIB));
        if (config.persistence()) {
            storage.setWalMode(WALMode.LOG_ONLY)
                    .setWalSegmentSize(WAL_SEGMENT_SIZE)
                    .setWalSegments(WAL_SEGMENTS)
                    .setMaxWalArchiveSize(MAX_WAL_ARCHIVE_SIZE)
                    .setCheckpointFrequency(CHECKPOINT_FREQUENCY_MS);
        }
        return storage;
    }

    private static TcpDiscoverySpi discovery(IgniteStoreConfig config) {
        TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder(true);
        finder.setAddresses(config.staticAddresses());
        TcpDiscoverySpi discovery = new TcpDiscoverySpi()
                .setLocalAddress(config.discoveryAddress())
                .setLocalPort(config.discoveryPort())
                .setLocalPortRange(config.discoveryPortRange())
                .setIpFinder(finder);
        discovery.setConnectionRecoveryTimeout(CONNECTION_RECOVERY_MS);
        return discovery;
    }

    private static TcpCommunicationSpi communication(IgniteStoreConfig config) {
        return new TcpCommunicationSpi()
                .setLocalAddress(config.discoveryAddress())
                .setLocalPort(config.communicationPort())
                .setLocalPortRange(config.communicationPortRange())
                // Back-pressure between nodes (0, the default, lets queues grow without bound).
                .setMessageQueueLimit(4096);
    }

    /**
     * One configuration per SQL table, plus the unique-key cache (key-value only). Raw types, because
     * {@code Ignite.getOrCreateCaches} (one exchange for all of them) takes them so.
     */
    @SuppressWarnings("rawtypes")
    static List<CacheConfiguration> caches() {
        List<CacheConfiguration> caches = new ArrayList<>();
        for (IgniteTable table : IgniteTable.values()) {
            caches.add(cache(table.cacheName()).setQueryEntities(List.of(table.queryEntity())));
        }
        caches.add(cache(UNIQUE_CACHE));
        caches.add(cache(MEMBERSHIP_CACHE));
        return caches;
    }

    private static <V> CacheConfiguration<String, V> cache(String name) {
        return new CacheConfiguration<String, V>(name)
                .setGroupName(CACHE_GROUP)
                .setCacheMode(CacheMode.REPLICATED)
                .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
                .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
                .setAffinity(new RendezvousAffinityFunction(false, PARTITIONS))
                .setSqlSchema(SQL_SCHEMA)
                .setTopologyValidator(new QuorumValidator())
                .setStatisticsEnabled(false);
    }
}
