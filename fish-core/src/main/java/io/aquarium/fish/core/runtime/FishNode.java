package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.auth.Argon2idHasher;
import io.aquarium.fish.core.auth.Authenticator;
import io.aquarium.fish.core.auth.HashPermits;
import io.aquarium.fish.core.auth.LoginThrottle;
import io.aquarium.fish.core.auth.MetaTokens;
import io.aquarium.fish.core.auth.PasswordGenerator;
import io.aquarium.fish.core.auth.SecretKeyFile;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.config.HostPort;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverFactory;
import io.aquarium.fish.core.driver.DriverRegistry;
import io.aquarium.fish.core.election.ElectionLoop;
import io.aquarium.fish.core.election.ElectionTimings;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.health.Readiness;
import io.aquarium.fish.core.lifecycle.Allocator;
import io.aquarium.fish.core.lifecycle.ApplicationStateMachine;
import io.aquarium.fish.core.lifecycle.HistoryRetention;
import io.aquarium.fish.core.lifecycle.LifetimePolicy;
import io.aquarium.fish.core.lifecycle.TemporaryLabelRemoval;
import io.aquarium.fish.core.metrics.FishMetrics;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.NodeIdentifiers;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.service.ApplicationService;
import io.aquarium.fish.core.service.InventoryService;
import io.aquarium.fish.core.service.LabelService;
import io.aquarium.fish.core.service.LocationService;
import io.aquarium.fish.core.service.NodeService;
import io.aquarium.fish.core.service.UserService;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.StoreException;
import io.aquarium.fish.core.tls.NodeCertificates;
import io.aquarium.fish.core.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
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
    private static final int DRIVER_THREADS = 32;
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** How often expired temporary labels are looked for: remove_at is at least seconds ahead, so 10 s is prompt. */
    private static final Duration LABEL_REMOVAL = Duration.ofSeconds(10);
    /** The key of this node's Meta API tokens, in the data directory. */
    public static final String META_TOKEN_KEY_FILE = "meta_token.key";

    private final FishConfig config;
    /** Resolved once: the lookup may wait on DNS. */
    private final String hostName = resolveHostName();
    private final TlsMaterial tls;
    private final NodeIdentity identity;
    private final FishStore store;
    private final MonotonicClock clock;
    private final EventBus events = new EventBus();
    private final Maintenance maintenance = new Maintenance(events);
    private final NodeServices services;
    private final DriverRegistry drivers;
    private final ExecutorService driverWork;
    private final ElectionLoop election;
    private final HashPermits hashPermits;
    private final Allocator allocator;
    private final MetaTokens metaTokens;
    private final ScheduledExecutorService scheduler;
    /**
     * Its own thread: a removal pass reads the store, which may take up to its read deadline when the
     * cluster is unwell, and must not hold up the heartbeat on {@link #scheduler}.
     */
    private final ScheduledExecutorService labelRemoval;
    /** Its own thread too: a sweep's batch of deletes takes seconds on a cluster. */
    private final ScheduledExecutorService historyRetention;
    private volatile Node announced;

    private FishNode(FishConfig config, Clock wallClock, Runnable stopAction, FishMetrics metrics) {
        this.config = config;
        Path dataDir = PrivateDataDirectory.create(config.directory());
        // A node that creates the cluster CA now is the first of its cluster; one given the CA joins one.
        boolean foundsCluster = !Files.exists(dataDir.resolve(NodeCertificates.CA_CRT_FILE));
        this.clock = new MonotonicClock(wallClock);
        this.tls = loadTls(config, dataDir, hostName, wallClock);
        this.identity = new NodeIdentity(NodeIdentity.uidFromPublicKey(tls.nodeCertificate().getPublicKey()),
                config.nodeName());
        LOG.info("Node {} has UID {}", identity.name(), identity.uid());
        // Drivers first: a config naming an unknown driver fails before any data is opened.
        this.drivers = DriverRegistry.load(config.drivers(),
                new DriverContext(Path.of("").toAbsolutePath(), config.nodeName(), wallClock, dataDir),
                ServiceLoader.load(DriverFactory.class));
        LOG.info("Drivers: {}", drivers.all().stream().map(d -> d.name()).toList());
        ElectionTimings timings = ElectionTimings.forInterval(config.electionInterval());
        this.store = StoreOpener.open(config, dataDir, identity, tls, foundsCluster);
        PrivateDataDirectory.tightenNewFiles(dataDir);
        try {
            // Before anything is written or announced: a refused node writes nothing to the store.
            UniqueNodeName.ensure(store, identity, wallClock.instant(), timings);
        } catch (RuntimeException e) {
            store.close();
            drivers.close();
            throw e;
        }
        reconcileDrivers();
        // After a split the store may set this node's copy aside and take the majority's: what the
        // drivers made meanwhile for applications the majority does not record here is removed.
        store.onRejoin(this::reconcileAfterRejoin);
        SecureRandom random = new SecureRandom();
        this.metaTokens = new MetaTokens(SecretKeyFile.loadOrCreate(dataDir.resolve(META_TOKEN_KEY_FILE),
                MetaTokens.KEY_BYTES, random));
        UidGenerator uids = new UidGenerator(identity.uid(), random);
        Argon2idHasher hasher = new Argon2idHasher(random);
        this.hashPermits = HashPermits.forHeap(Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors(), hasher.memoryKiB(), HashPermits.DEFAULT_WAIT);
        LOG.info("Argon2: at most {} MiB of password hashing at once ({} hashes of {} MiB)",
                hashPermits.budgetKiB() / 1024, hashPermits.budgetKiB() / hasher.memoryKiB(), hasher.memoryKiB() / 1024);
        Authenticator authenticator = new Authenticator(store, hasher, hashPermits,
                new LoginThrottle(wallClock, HashPermits.DEFAULT_WAIT), wallClock, 10_000, Duration.ofMinutes(10));
        this.driverWork = Executors.newFixedThreadPool(DRIVER_THREADS, daemon("fish-driver"));
        AllocationParts parts = AllocationParts.assemble(new AllocationParts.Inputs(store, drivers::driver, identity,
                uids, clock, events, maintenance, NodeIdentifiers.of(config.nodeIdentifiers(), config.nodeName(),
                hostName), config.allocationRetry(), driverWork, metaTokens,
                new LifetimePolicy(config.defaultResourceLifetime()), timings, new SecureRandom(), metrics));
        ApplicationStateMachine machine = parts.machine();
        this.services = new NodeServices(authenticator,
                new UserService(store, hasher, hashPermits, new PasswordGenerator(random), clock, authenticator),
                new LabelService(store, uids, clock, events,
                        new LabelService.RemoveAtWindow(config.labelRemoveAtMin(), config.labelRemoveAtMax()),
                        drivers::driver),
                new ApplicationService(store, uids, clock, events, machine),
                new NodeService(store, identity.uid(), maintenance),
                new InventoryService(store),
                new LocationService(store, uids, clock));
        this.allocator = parts.allocator();
        this.election = new ElectionLoop(parts.pass(), config.electionInterval(), wallClock, metrics);
        store.watch(events::publish);
        events.subscribe(election::offer);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("fish-node-scheduler"));
        ShutdownCoordinator shutdown = new ShutdownCoordinator(store, identity.uid(), maintenance, wallClock, stopAction);
        scheduler.scheduleWithFixedDelay(() -> runQuietly(shutdown::tick), 1, 1, TimeUnit.SECONDS);
        this.labelRemoval = Executors.newSingleThreadScheduledExecutor(daemon("fish-label-removal"));
        TemporaryLabelRemoval removal = new TemporaryLabelRemoval(store, wallClock, events);
        labelRemoval.scheduleWithFixedDelay(() -> runQuietly(removal), LABEL_REMOVAL.toMillis(),
                LABEL_REMOVAL.toMillis(), TimeUnit.MILLISECONDS);
        this.historyRetention = Executors.newSingleThreadScheduledExecutor(daemon("fish-history-retention"));
        new HistoryRetention(store, wallClock, config.historyRetention()).schedule(historyRetention);
    }

    /**
     * Lets every driver remove what it made for this node but the store does not record (a crash
     * between creation and the resource row). Runs before the election starts, so no allocation
     * can be in flight; a failing driver is logged and keeps its leftovers until the next start. So
     * does every driver when the store cannot list this node's resources (the store already retried):
     * leftovers are harmless, a node that refuses to start is not.
     */
    private void reconcileDrivers() {
        Set<String> inUse = new HashSet<>();
        try {
            for (Resource r : store.resourcesOfNode(identity.uid())) {
                inUse.add(r.identifier());
            }
        } catch (StoreException e) {
            LOG.warn("Drivers keep any leftovers until the next start: this node's resources could not be listed ({})",
                    e.getMessage());
            return;
        }
        for (Driver d : drivers.all()) {
            try {
                d.reconcile(Set.copyOf(inUse));
            } catch (RuntimeException e) {
                LOG.warn("Driver {} could not clean up its leftovers: {}", d.name(), e.getMessage());
            }
        }
    }

    /**
     * Reconciles after the store rejoined its cluster with the majority's data, once allocations that
     * were under way have finished (their resources are not recorded yet and must not be removed).
     */
    private void reconcileAfterRejoin() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!allocator.allocationsInFlight().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("Rejoined the cluster: drivers remove what they made here that the cluster does not record");
        reconcileDrivers();
    }

    /**
     * Opens the node's data and services. {@code adminPassword} receives the admin password when this
     * call created the admin user (first start of a store); {@code stopAction} is run when a
     * requested shutdown is due.
     */
    public static FishNode start(FishConfig config, Clock clock, Consumer<String> adminPassword, Runnable stopAction) {
        return start(config, clock, adminPassword, stopAction, FishMetrics.NOOP);
    }

    /** As {@link #start(FishConfig, Clock, Consumer, Runnable)}, reporting allocations and election passes to {@code metrics}. */
    public static FishNode start(FishConfig config, Clock clock, Consumer<String> adminPassword, Runnable stopAction,
                                 FishMetrics metrics) {
        FishNode node = new FishNode(config, clock, stopAction, metrics);
        try {
            node.services.users().ensureAdmin().ifPresent(adminPassword);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /**
     * Records this node in the store with the address clients reach it at, then starts its
     * heartbeat and election; call once the API listens.
     */
    public void announce(String apiHostPort) {
        String address = config.nodeAddress().isEmpty() ? apiHostPort : config.nodeAddress();
        Optional<Node> existing = store.node(identity.uid());
        var now = clock.now();
        announced = new Node(identity.uid(), existing.map(Node::createdAt).orElse(now), now, identity.name(),
                NodeDescription.describe(hostName, config.directory()), config.nodeLocation(), address, null);
        store.putNode(announced);
        long beat = Math.max(200, Math.min(HEARTBEAT.toMillis(), config.electionInterval().toMillis()));
        scheduler.scheduleAtFixedRate(() -> runQuietly(this::heartbeat), beat, beat, TimeUnit.MILLISECONDS);
        election.start();
    }

    /** Refreshes this node's updated_at: other nodes treat a stale one as dead. */
    private void heartbeat() {
        Node current = announced;
        announced = new Node(current.uid(), current.createdAt(), clock.now(), current.name(), current.definition(),
                current.locationName(), current.address(), current.pubkey());
        store.putNode(announced);
    }

    public NodeIdentity identity() {
        return identity;
    }

    public TlsMaterial tls() {
        return tls;
    }

    /** This node's driver of that name ("driver" or "driver/instance"), if it has one. */
    public Optional<Driver> driver(String name) {
        return drivers.driver(name);
    }

    /** This node's drivers, in configuration order. */
    public List<Driver> drivers() {
        return drivers.all();
    }

    /** What the readiness check reads: the store, the membership and the available drivers, now. */
    public Readiness.Snapshot readiness() {
        return new Readiness.Snapshot(store.isOpen(), store.membership(),
                drivers.all().stream().map(Driver::name).toList());
    }

    /** This node's Argon2 memory permits (their waiting count is a metric). */
    public HashPermits hashPermits() {
        return hashPermits;
    }

    public FishStore store() {
        return store;
    }

    /** Mints and checks this node's Meta API tokens. */
    public MetaTokens metaTokens() {
        return metaTokens;
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
        election.close();
        scheduler.shutdownNow();
        labelRemoval.shutdownNow();
        historyRetention.shutdownNow();
        driverWork.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            labelRemoval.awaitTermination(5, TimeUnit.SECONDS);
            historyRetention.awaitTermination(5, TimeUnit.SECONDS);
            // Let running driver calls finish: a half-made resource is cleaned up at next start anyway.
            if (!driverWork.awaitTermination(5, TimeUnit.SECONDS)) {
                driverWork.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drivers.close();
        store.close();
        LOG.info("Node {} stopped", identity.name());
    }

    private static TlsMaterial loadTls(FishConfig config, Path dataDir, String hostName, Clock clock) {
        if (config.tlsCaCrt() != null && config.tlsKey() != null && config.tlsCrt() != null) {
            return NodeCertificates.load(Path.of(config.tlsCaCrt()), Path.of(config.tlsKey()), Path.of(config.tlsCrt()));
        }
        Set<String> names = new LinkedHashSet<>(List.of(config.nodeName(), hostName));
        List<String> hosts = new ArrayList<>(List.of(config.apiHostPort().host()));
        if (!config.nodeAddress().isEmpty()) {
            // node_address is free-form (host or host:port).
            try {
                hosts.add(HostPort.parse(config.nodeAddress()).host());
            } catch (IllegalArgumentException notHostPort) {
                hosts.add(config.nodeAddress());
            }
        }
        for (String host : hosts) {
            if (!host.isEmpty() && !host.equals("0.0.0.0") && !host.equals("::")) {
                names.add(host);
            }
        }
        return NodeCertificates.ensure(dataDir, config.nodeName(), List.copyOf(names), clock);
    }

    private static String resolveHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Background task failed", e);
        }
    }
}
