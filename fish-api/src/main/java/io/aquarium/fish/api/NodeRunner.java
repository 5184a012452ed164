package io.aquarium.fish.api;

import io.aquarium.fish.api.http.FishServer;
import io.aquarium.fish.api.http.RestApplication;
import io.aquarium.fish.api.metrics.FishMeters;
import io.aquarium.fish.api.metrics.HttpMetricsFilter;
import io.aquarium.fish.api.metrics.MetricsResource;
import io.aquarium.fish.api.rest.health.HealthResource;
import io.aquarium.fish.api.rpc.RpcApi;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.config.HostPort;
import io.aquarium.fish.core.runtime.FishNode;
import io.aquarium.fish.meta.MetaResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts a node and its HTTPS API in order and stops them in reverse, once, whoever asks first
 * (a signal, a requested shutdown, a test).
 */
public final class NodeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);

    private final FishConfig config;
    private final Clock clock;
    private final Consumer<String> adminPassword;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile FishNode node;
    private volatile FishServer server;
    private volatile RpcApi rpc;
    private volatile FishMeters meters;

    /** {@code adminPassword} receives the admin password when this start created the admin user. */
    public NodeRunner(FishConfig config, Clock clock, Consumer<String> adminPassword) {
        this.config = config;
        this.clock = clock;
        this.adminPassword = adminPassword;
    }

    public void start() throws Exception {
        meters = new FishMeters();
        node = FishNode.start(config, clock, adminPassword, () -> new Thread(this::stop, "fish-requested-shutdown").start(),
                meters);
        meters.bindNode(node);
        HostPort api = config.apiHostPort();
        rpc = new RpcApi(node.services(), node.events(), clock, config.streamsLimit());
        server = new FishServer(api.host(), api.port(), node.tls(), config.apiAllowH2c(),
                RestApplication.create(node.services(),
                        List.of(MetaResource.forNode(node, clock), new HealthResource(node::readiness),
                                new MetricsResource(meters), new HttpMetricsFilter(meters.registry())),
                        config.metricsAuth()),
                RpcApi.MAPPING, rpc.servlet(), config.accessLog());
        server.bindMetrics(meters.registry());
        server.start();
        String listening = HostPort.parse(hostForDisplay(api.host()) + ":" + server.port()).toString();
        node.announce(listening);
        LOG.info("API listening on: {}", listening);
        LOG.info("Fish initialized");
    }

    public int port() {
        return server.port();
    }

    public FishNode node() {
        return node;
    }

    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStop();
            return;
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Error while stopping the API server", e);
        }
        if (rpc != null) {
            rpc.close();
        }
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (meters != null) {
                meters.close();
            }
            stopped.countDown();
        }
    }

    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostForDisplay(String host) {
        if (host.isEmpty()) {
            return "0.0.0.0";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
