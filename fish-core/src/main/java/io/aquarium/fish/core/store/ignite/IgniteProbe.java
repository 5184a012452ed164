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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Looks at the cluster the other nodes form, from a node that has no quorum (or whose Ignite node was
 * stopped): a short-lived Ignite <em>client</em> node joins through the other nodes' discovery
 * addresses (never this node's own), reads their server nodes, expected members and membership
 * epoch, and leaves. Nobody reachable: an empty probe.
 *
 * <p>The client can reach one server and then hang: with only the link to another server cut, it
 * joins through the first and waits (8 s per attempt, for as long as the cut lasts) for the other
 * to answer its metadata requests. So a probe runs on its own thread and the store waits at most
 * {@link #ANSWER_WITHIN_MS} for it; no answer counts as "nobody to join" (a segmented node then
 * serves reads alone meanwhile). A probe given up on finishes and closes its client by itself, and
 * no second one starts while it runs.
 */
final class IgniteProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IgniteProbe.class);
    private static final long JOIN_TIMEOUT_MS = 5_000;
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    /** Join (up to {@link #JOIN_TIMEOUT_MS}) plus reading three values and the reachability checks. */
    static final long ANSWER_WITHIN_MS = 9_000;
    private static final AtomicInteger PROBES = new AtomicInteger();

    private final IgniteStoreConfig config;
    private final ExecutorService runner;
    private Future<HealDecision.Probe> running;

    IgniteProbe(IgniteStoreConfig config) {
        this.config = config;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fish-cluster-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** What the other nodes form, or nobody when none answers within {@link #ANSWER_WITHIN_MS}. Not thread-safe: the cluster thread calls it. */
    HealDecision.Probe probe() {
        if (running == null || running.isDone()) {
            running = runner.submit(() -> probeOnce(config));
        } else {
            LOG.info("Cluster probe: the previous probe is still waiting for an answer");
        }
        try {
            return running.get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.info("Cluster probe: no complete answer within {} ms (a node answers, another it needs does not);"
                    + " nobody to join yet", ANSWER_WITHIN_MS);
            return HealDecision.Probe.nobody();
        } catch (ExecutionException e) {
            LOG.info("Cluster probe failed: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
            return HealDecision.Probe.nobody();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealDecision.Probe.nobody();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return HealDecision.Probe.nobody();
        }
    }

    /** Stops waiting; a probe still running stops its client when it is done. */
    @Override
    public void close() {
        runner.shutdown();
    }

    private static HealDecision.Probe probeOnce(IgniteStoreConfig config) {
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
