package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.cluster.HealDecision;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Looks at the cluster the other nodes form, from a node that has no quorum (or whose Ignite node was
 * stopped): a short-lived Ignite <em>client</em> node joins through the other nodes' discovery
 * addresses (never this node's own), reads their server nodes, expected members and membership
 * epoch, and leaves. Nobody reachable: an empty probe.
 */
final class IgniteProbe {
    private static final Logger LOG = LoggerFactory.getLogger(IgniteProbe.class);
    private static final long JOIN_TIMEOUT_MS = 5_000;
    private static final AtomicInteger PROBES = new AtomicInteger();

    private IgniteProbe() {
    }

    static HealDecision.Probe probe(IgniteStoreConfig config) {
        List<String> others = others(config);
        if (others.isEmpty()) {
            return new HealDecision.Probe(Set.of(), Set.of(), 0);
        }
        IgniteConfiguration client = IgniteNodeConfiguration.node(config)
                .setIgniteInstanceName(config.instanceName() + "-probe-" + PROBES.incrementAndGet())
                .setConsistentId(null)
                .setClientMode(true)
                .setDataStorageConfiguration(null)
                .setUserAttributes(java.util.Map.of())
                .setDiscoverySpi(new TcpDiscoverySpi().setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(others))
                        .setLocalAddress(config.discoveryAddress())
                        .setJoinTimeout(JOIN_TIMEOUT_MS));
        try (Ignite ignite = Ignition.start(client)) {
            Set<String> servers = new TreeSet<>(IgniteMembership.consistentIds(ignite.cluster().forServers().nodes()));
            Set<String> baseline = IgniteMembership.baselineOf(ignite);
            long epoch = 0;
            if (ignite.cacheNames().contains(IgniteNodeConfiguration.MEMBERSHIP_CACHE)) {
                IgniteCache<String, Long> cache = ignite.cache(IgniteNodeConfiguration.MEMBERSHIP_CACHE);
                Long value = cache.get(IgniteMembership.EPOCH_KEY);
                epoch = value == null ? 0 : value;
            }
            LOG.info("Cluster probe: reached servers {}, expected members {}, epoch {}", servers, baseline, epoch);
            return new HealDecision.Probe(servers, baseline, epoch);
        } catch (RuntimeException e) {
            LOG.info("Cluster probe: no other node reachable ({})", e.getClass().getSimpleName());
            return new HealDecision.Probe(Set.of(), Set.of(), 0);
        }
    }

    /** The static discovery addresses without this node's own. */
    static List<String> others(IgniteStoreConfig config) {
        String own = config.discoveryAddress() + ":" + config.discoveryPort();
        return config.staticAddresses().stream().filter(a -> !a.equals(own)).toList();
    }
}
