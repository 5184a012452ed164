package io.aquarium.fish.core.node;

import io.aquarium.fish.core.auth.Argon2idHasher;
import io.aquarium.fish.core.auth.Authenticator;
import io.aquarium.fish.core.auth.PasswordGenerator;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.service.ApplicationService;
import io.aquarium.fish.core.service.InventoryService;
import io.aquarium.fish.core.service.LabelService;
import io.aquarium.fish.core.service.LocationService;
import io.aquarium.fish.core.service.NodeService;
import io.aquarium.fish.core.service.UserService;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.h2.H2Store;
import io.aquarium.fish.core.tls.NodeCertificates;
import io.aquarium.fish.core.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Fish node: owns its data directory, TLS material, store and services, and starts and stops
 * them in order. The HTTP side lives in fish-api and only talks to {@link #services()}.
 */
public final class FishNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FishNode.class);

    private final FishConfig config;
    private final TlsMaterial tls;
    private final NodeIdentity identity;
    private final FishStore store;
    private final MonotonicClock clock;
    private final EventBus events = new EventBus();
    private final Maintenance maintenance = new Maintenance(events);
    private final NodeServices services;
    private final ScheduledExecutorService scheduler;

    private FishNode(FishConfig config, Clock wallClock, Runnable stopAction) {
        this.config = config;
        Path dataDir = createDataDir(config.directory());
        this.clock = new MonotonicClock(wallClock);
        this.tls = loadTls(config, dataDir, wallClock);
        this.identity = new NodeIdentity(NodeIdentity.uidFromPublicKey(tls.nodeCertificate().getPublicKey()),
                config.nodeName());
        LOG.info("Node {} has UID {}", identity.name(), identity.uid());
        this.store = H2Store.open(dataDir);
        SecureRandom random = new SecureRandom();
        UidGenerator uids = new UidGenerator(identity.uid(), random);
        Argon2idHasher hasher = new Argon2idHasher(random);
        Authenticator authenticator = new Authenticator(store, hasher, wallClock, 10_000, Duration.ofMinutes(10),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.services = new NodeServices(authenticator,
                new UserService(store, hasher, new PasswordGenerator(random), clock, authenticator),
                new LabelService(store, uids, clock),
                new ApplicationService(store, uids, clock, events),
                new NodeService(store, identity.uid(), maintenance),
                new InventoryService(store),
                new LocationService(store, uids, clock));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fish-node-scheduler");
            t.setDaemon(true);
            return t;
        });
        ShutdownCoordinator shutdown = new ShutdownCoordinator(store, identity.uid(), maintenance, wallClock, stopAction);
        scheduler.scheduleWithFixedDelay(() -> runQuietly(shutdown::tick), 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Opens the node's data and services. {@code adminPassword} receives the admin password when this
     * call created the admin user (first start of a store); {@code stopAction} is run when a
     * requested shutdown is due.
     */
    public static FishNode start(FishConfig config, Clock clock, Consumer<String> adminPassword, Runnable stopAction) {
        FishNode node = new FishNode(config, clock, stopAction);
        try {
            node.services.users().ensureAdmin().ifPresent(adminPassword);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Records this node in the store with the address clients reach it at; call once the API listens. */
    public void announce(String apiHostPort) {
        String address = config.nodeAddress().isEmpty() ? apiHostPort : config.nodeAddress();
        Optional<Node> existing = store.node(identity.uid());
        var now = clock.now();
        store.putNode(new Node(identity.uid(), existing.map(Node::createdAt).orElse(now), now, identity.name(),
                NodeDescription.describe(hostName(), config.directory()), config.nodeLocation(), address, null));
    }

    public NodeIdentity identity() {
        return identity;
    }

    public TlsMaterial tls() {
        return tls;
    }

    public FishStore store() {
        return store;
    }

    public EventBus events() {
        return events;
    }

    public NodeServices services() {
        return services;
    }

    public FishConfig config() {
        return config;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        LOG.info("Node {} stopped", identity.name());
    }

    private static Path createDataDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to create the data directory " + dir, e);
        }
    }

    private static TlsMaterial loadTls(FishConfig config, Path dataDir, Clock clock) {
        if (config.tlsCaCrt() != null && config.tlsKey() != null && config.tlsCrt() != null) {
            return NodeCertificates.load(Path.of(config.tlsCaCrt()), Path.of(config.tlsKey()), Path.of(config.tlsCrt()));
        }
        Set<String> names = new LinkedHashSet<>(List.of(config.nodeName(), hostName()));
        for (String address : new ArrayList<>(List.of(config.nodeAddress(), config.apiAddress()))) {
            String host = hostOf(address);
            if (!host.isEmpty() && !host.equals("0.0.0.0") && !host.equals("::")) {
                names.add(host);
            }
        }
        return NodeCertificates.ensure(dataDir, config.nodeName(), List.copyOf(names), clock);
    }

    private static String hostOf(String hostPort) {
        if (hostPort == null || hostPort.isEmpty()) {
            return "";
        }
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end > 0 ? hostPort.substring(1, end) : "";
        }
        int colon = hostPort.lastIndexOf(':');
        return colon >= 0 ? hostPort.substring(0, colon) : hostPort;
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Background task failed", e);
        }
    }
}
