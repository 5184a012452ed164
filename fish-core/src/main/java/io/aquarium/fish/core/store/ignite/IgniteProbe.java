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
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final AtomicInteger PROBES = new AtomicInteger();

    private IgniteProbe() {
    }

    static HealDecision.Probe probe(IgniteStoreConfig config) {
        List<String> others = others(config);
        if (others.isEmpty()) {
            return HealDecision.Probe.nobody();
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
            List<String> unreachable = unreachable(ignite.cluster().forServers().nodes(), others);
            LOG.info("Cluster probe: reached servers {}, expected members {}, epoch {}{}", servers, baseline, epoch,
                    unreachable.isEmpty() ? "" : "; not reachable from here: " + unreachable);
            return new HealDecision.Probe(servers, baseline, epoch, unreachable.isEmpty());
        } catch (RuntimeException e) {
            LOG.info("Cluster probe: no other node reachable ({})", e.getClass().getSimpleName());
            return HealDecision.Probe.nobody();
        }
    }

    /**
     * The discovery addresses (of {@code others}) of the given servers that this node cannot open a
     * TCP connection to: the client reached the cluster through one node, which says nothing about
     * the links to the others.
     */
    private static List<String> unreachable(java.util.Collection<org.apache.ignite.cluster.ClusterNode> servers,
                                            List<String> others) {
        List<String> unreachable = new java.util.ArrayList<>();
        for (String address : others) {
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? address : address.substring(0, colon);
            String port = colon < 0 ? "" : address.substring(colon + 1);
            boolean isServer = servers.stream().anyMatch(n -> n.addresses().contains(host));
            if (!isServer || port.isEmpty() || port.contains("..")) {
                continue;
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, Integer.parseInt(port)), CONNECT_TIMEOUT_MS);
            } catch (java.io.IOException | RuntimeException e) {
                unreachable.add(address);
            }
        }
        return unreachable;
    }

    /** The static discovery addresses without this node's own. */
    static List<String> others(IgniteStoreConfig config) {
        String own = config.discoveryAddress() + ":" + config.discoveryPort();
        return config.staticAddresses().stream().filter(a -> !a.equals(own)).toList();
    }
}
