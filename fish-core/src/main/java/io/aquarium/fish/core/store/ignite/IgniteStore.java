package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.filter.SqlWhere;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.Location;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.ServiceMapping;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.model.Vote;
import io.aquarium.fish.core.store.DefinitionsCodec;
import io.aquarium.fish.core.store.Entity;
import io.aquarium.fish.core.store.FinishedApplication;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.StoreException;
import io.aquarium.fish.core.store.UserQueryLimit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteCluster;
import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.QueryCancelledException;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionState;
import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.cluster.HealDecision;
import io.aquarium.fish.core.cluster.QuorumRule;
import io.aquarium.fish.core.events.FishEvent;
import java.util.function.Consumer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import org.apache.ignite.IgnitionListener;
import org.apache.ignite.IgniteState;
import org.apache.ignite.events.EventType;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.cache.CacheException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static io.aquarium.fish.core.store.ignite.IgniteNodeConfiguration.TX_TIMEOUT_MS;
import static io.aquarium.fish.core.store.ignite.IgniteNodeConfiguration.UNIQUE_CACHE;
import static org.apache.ignite.transactions.TransactionConcurrency.PESSIMISTIC;
import static org.apache.ignite.transactions.TransactionIsolation.REPEATABLE_READ;

/**
 * The cluster backend: Apache Ignite 2 caches, REPLICATED and TRANSACTIONAL, queried with the
 * Calcite SQL engine.
 *
 * <p>SQL only reads (filters, ordering, lookups by a column). Every write goes through the
 * key-value API, because on Ignite 2 with Calcite an SQL {@code UPDATE ... WHERE status = ?} is not
 * a safe compare-and-set (concurrent updates are lost):
 * <ul>
 *   <li>{@link #transition}: a PESSIMISTIC/REPEATABLE_READ transaction reads (and so locks, cluster-wide)
 *       the application's current-status entry, checks the status, {@code replace}s the entry with
 *       the next one and inserts the state row; racers queue on the lock and find the status moved.</li>
 *   <li>Unique rules ((name, version) of labels, (application, node, round) of votes, one resource per
 *       application, (location, service, application) of service mappings): a {@code putIfAbsent} of
 *       the rule's key in the unique-key cache and a {@code putIfAbsent} of the row, in one transaction,
 *       so a conflict changes nothing. Users and locations are keyed by name: one {@code putIfAbsent}.</li>
 *   <li>{@link #completeTask}: {@code replace(uid, read, completed)}, retried on a changed value until
 *       the task is seen done.</li>
 * </ul>
 * Reads (SQL and {@code get}) are not transactional and may be slightly stale; every decision taken
 * on them is confirmed by one of the writes above.
 */
public final class IgniteStore implements FishStore {
    private static final Logger log = LoggerFactory.getLogger(IgniteStore.class);

    /**
     * How long an SQL read keeps retrying a transient failure, and the longest pause between tries.
     * Long enough to ride out a node joining or a planner cancelled on a busy machine, short enough
     * that a request whose read keeps failing still gets its own error before {@link #READ_DEADLINE}.
     */
    private static final Duration READ_RETRY_BUDGET = Duration.ofSeconds(20);
    private static final long READ_RETRY_MAX_PAUSE_MS = 2_000;
    /**
     * Every write and key-value read answers within this ({@link CallDeadline}): a cluster that stops
     * answering gives a 503 well before a client's own time limit (the Jenkins plugin's, curl's).
     */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    /**
     * SQL reads are local (every node holds everything) and do not wait on other nodes; what can make
     * them slow is planning on a cold JVM, seconds on a busy machine (the first read of a starting
     * node), so they get longer: the retry budget and some.
     */
    static final Duration READ_DEADLINE = Duration.ofSeconds(30);
    /**
     * Calcite's time limit for planning one query (Ignite's default is 15 s). Planning a fixed query
     * takes milliseconds once the JVM is warm, but the first queries of a node run on a cold JVM,
     * often while other nodes start on the same machine: a cancelled plan is only retried.
     */
    static final long PLANNER_TIMEOUT_MS = 60_000;
    /**
     * The time limit of a list whose filter a user wrote. Much longer than H2's ({@link UserQueryLimit#TIMEOUT}):
     * it covers Calcite's planning and, the first time a filter's shape runs, the compiling of its
     * expressions, which took 3–7 s on a cold JVM of a busy machine; a plan cancelled before it is
     * done is not cached, so a short limit could refuse a new filter shape for good. The work of the
     * filter itself is already bounded ({@code LikeLimits}: linear LIKE), so this is only a backstop.
     */
    static final Duration USER_QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final String TOPOLOGY_CHANGED = "the cluster topology changed";
    /** How often a node without quorum (or whose Ignite node was stopped) looks for the majority. */
    static final long HEAL_INTERVAL_MS = 5_000;
    private static final long JOIN_RETRY_MAX_PAUSE_MS = 10_000;
    /** Failed starts with the discovery port taken before the store tries the ports after it. */
    private static final int PORT_TAKEN_ATTEMPTS = 2;
    private static final int FALLBACK_PORT_RANGE = 10;
    /** Stopping a segmented node takes Ignite up to ~15 s here; longer is worth a report. */
    private static final Duration SLOW_STOP = Duration.ofSeconds(30);

    /** The running Ignite node of this store and its caches; replaced when the store restarts to rejoin. */
    private record Live(Ignite ignite, Map<IgniteTable, IgniteCache<String, BinaryObject>> caches,
                        IgniteCache<String, String> unique, IgniteRows rows, List<IgniteChangeFeed> feeds) {
    }

    /** Null for a store wrapping a node it did not start (tests): such a store never restarts it. */
    private final IgniteStoreConfig config;
    private final IgniteMembership membership;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Consumer<FishEvent>> watchers =
            new CopyOnWriteArrayList<>();
    private final List<Runnable> rejoinActions = new CopyOnWriteArrayList<>();
    /** Membership work off Ignite's threads: topology changes, healing. */
    private final ScheduledExecutorService cluster;
    private final IgnitionListener segmentationListener = this::onIgnitionState;
    private final CallDeadline calls = new CallDeadline();
    /** Null for a wrapped store, which never heals. */
    private final IgniteProbe prober;
    private volatile UserQueryLimit userQueries = new UserQueryLimit(USER_QUERY_TIMEOUT, UserQueryLimit.CONCURRENT);
    private volatile Live live;
    /** When Ignite last reported this node segmented ({@link System#nanoTime()}, 0: never). */
    private volatile long segmentedAt;
    private volatile boolean slowStopReported;

    private IgniteStore(IgniteStoreConfig config, IgniteMembership membership) {
        this.config = config;
        this.membership = membership;
        this.prober = config == null ? null : new IgniteProbe(config);
        this.cluster = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fish-cluster");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts an Ignite server node as configured and joins (or, for the first node, founds and
     * activates) the cluster; returns once this node holds a full copy of the data (it is an expected
     * member and every partition is rebalanced to it). A node that cannot join yet retries with a
     * growing pause instead of failing; only a permanent failure (TLS refused: another cluster's CA)
     * ends the start. The store then keeps its membership: see {@link #membership()}.
     */
    public static IgniteStore start(IgniteStoreConfig config) {
        quietIgnite();
        try {
            Files.createDirectories(config.workDirectory());
        } catch (IOException e) {
            throw new StoreException("Unable to create the Ignite work directory " + config.workDirectory() + ": "
                    + e.getMessage());
        }
        IgniteStore store = new IgniteStore(config,
                new IgniteMembership(config.instanceName(), config.membership().quorum()));
        Ignition.addListener(store.segmentationListener);
        try {
            store.live = store.startLive(config.membership().mayFound());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        store.cluster.scheduleWithFixedDelay(store::tend, HEAL_INTERVAL_MS, HEAL_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        log.info("Ignite store started: node {}, work directory {}, persistence {}", config.instanceName(),
                config.workDirectory(), config.persistence() ? "on" : "off");
        return store;
    }

    /** A store on a running Ignite node (it must be active); {@link #close()} leaves the node running. */
    public static IgniteStore wrap(Ignite ignite) {
        IgniteMembership membership = new IgniteMembership(String.valueOf(ignite.cluster().localNode().consistentId()),
                QuorumRule.majority());
        IgniteStore store = new IgniteStore(null, membership);
        membership.attach(ignite);
        store.live = store.open(ignite);
        membership.ready();
        return store;
    }

    /** Tests only: another bound for lists filtered by user text. */
    void limitUserQueries(UserQueryLimit limit) {
        this.userQueries = limit;
    }

    @Override
    public void watch(Consumer<FishEvent> listener) {
        watchers.add(listener);
        Live current = live();
        current.feeds().add(run("watch changes", () -> new IgniteChangeFeed(t -> current.caches().get(t),
                current.rows()::label, listener)));
    }

    @Override
    public MembershipView membership() {
        try {
            return membership.view();
        } catch (IgniteException | CacheException | IllegalStateException e) {
            // The Ignite node is stopping under us: what we know without it.
            return membership.offlineView();
        }
    }

    @Override
    public void onRejoin(Runnable action) {
        rejoinActions.add(action);
    }

    /** The node under the store, for cluster wiring and tests. */
    public Ignite ignite() {
        return live().ignite();
    }

    /**
     * Ignite reads these once; a value given on the command line wins. Not "quiet mode": in quiet mode
     * Ignite prints its own lines to stdout beside the logger. Everything goes through SLF4J instead,
     * where the logging configuration decides (the node's keeps {@code org.apache.ignite} at WARN).
     */
    private static void quietIgnite() {
        setIfAbsent("IGNITE_QUIET", "false");
        setIfAbsent("IGNITE_NO_ASCII", "true");
        setIfAbsent("IGNITE_UPDATE_NOTIFIER", "false");
        setIfAbsent("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");
        // The fish node closes the store itself on shutdown; Ignite's hook would stop it under running requests.
        setIfAbsent("IGNITE_NO_SHUTDOWN_HOOK", "true");
        setIfAbsent("IGNITE_CALCITE_PLANNER_TIMEOUT", Long.toString(PLANNER_TIMEOUT_MS));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    // ---- membership: joining, quorum, healing ----

    /**
     * Starts this store's Ignite node and waits until it holds a full copy of the data. A fresh node
     * that found nobody founds a cluster only if {@code mayBeAlone}; otherwise it stops and tries again.
     */
    private Live startLive(boolean mayBeAloneAtFirst) {
        return startLive(config, mayBeAloneAtFirst, false);
    }

    /** {@code restarting}: this process ran an Ignite node before (see the port fallback below). */
    private Live startLive(IgniteStoreConfig startWithAtFirst, boolean mayBeAloneAtFirst, boolean restarting) {
        IgniteStoreConfig startWith = startWithAtFirst;
        boolean mayBeAlone = mayBeAloneAtFirst;
        long pause = 1_000;
        int portTaken = 0;
        while (true) {
            if (closed.get()) {
                throw new StoreException("Ignite store: closed while starting");
            }
            Ignite ignite = null;
            try {
                ignite = Ignition.start(IgniteNodeConfiguration.node(startWith));
                boolean hasBaseline = ignite.cluster().currentBaselineTopology() != null;
                if (ignite.cluster().state() != ClusterState.ACTIVE) {
                    if (!mayBeAlone && !hasBaseline) {
                        throw new NotJoinedYet("no running cluster found through " + IgniteProbe.others(config));
                    }
                    ignite.cluster().state(ClusterState.ACTIVE);
                }
                if (config.persistence()) {
                    // The baseline follows BaselinePlan, from a topology with quorum, never Ignite's timer.
                    ignite.cluster().baselineAutoAdjustEnabled(false);
                }
                membership.attach(ignite);
                Ignite started = ignite;
                started.events().localListen(event -> {
                    if (event.type() == EventType.EVT_NODE_SEGMENTED) {
                        // Stopping the segmented node takes Ignite seconds more: refuse writes now.
                        segmentedAt = System.nanoTime();
                        slowStopReported = false;
                        membership.segmented();
                    } else {
                        onClusterThread(this::onTopologyChange);
                    }
                    return true;
                }, EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT,
                        EventType.EVT_NODE_FAILED, EventType.EVT_NODE_SEGMENTED);
                Live opened = open(ignite);
                onClusterThread(this::onTopologyChange); // lets the oldest node add this one to the baseline
                awaitFullCopy(ignite);
                membership.ready();
                return opened;
            } catch (NotJoinedYet | IgniteException | CacheException e) {
                if (isPermanent(e)) {
                    stopQuietly(ignite);
                    throw failure("start Ignite node " + config.instanceName(), e);
                }
                if (hasIncompleteBaselineHistory(e)) {
                    // Ignite cannot restart a node whose stored baseline history is incomplete (it joined
                    // with an empty copy before and received only part of it): take the cluster's data.
                    log.warn("Cluster: this node's stored cluster history is incomplete; joining with an empty copy");
                    stopQuietly(ignite);
                    setAside(config.workDirectory());
                    mayBeAlone = false;
                    continue;
                }
                log.warn("Cluster: cannot join yet ({}); trying again in {} ms",
                        e instanceof NotJoinedYet ? e.getMessage() : explain(e), pause);
                if (restarting && isPortTaken(e) && ++portTaken == PORT_TAKEN_ATTEMPTS) {
                    reportPortHolders();
                    if (startWith.discoveryPortRange() < FALLBACK_PORT_RANGE) {
                        // Seen once in CI: after Ignite stopped a segmented node, its discovery port stayed
                        // bound for minutes. The others learn a node's real port when it joins, so a
                        // neighbouring port heals the node; its configured port is back after a restart.
                        log.warn("Cluster: discovery port {} is still taken; trying ports {}..{} instead",
                                startWith.discoveryPort(), startWith.discoveryPort(),
                                startWith.discoveryPort() + FALLBACK_PORT_RANGE - 1);
                        startWith = startWith.withDiscovery(startWith.discoveryAddress(), startWith.discoveryPort(),
                                FALLBACK_PORT_RANGE, startWith.staticAddresses());
                    }
                }
                stopQuietly(ignite);
                sleep(pause);
                pause = Math.min(JOIN_RETRY_MAX_PAUSE_MS, pause * 2);
            }
        }
    }

    /** A joiner that found no running cluster: it must not found one of its own. */
    private static final class NotJoinedYet extends RuntimeException {
        NotJoinedYet(String message) {
            super(message);
        }
    }

    private static boolean hasIncompleteBaselineHistory(Throwable e) {
        return causes(e).anyMatch(t -> t.getMessage() != null
                && t.getMessage().contains("Restoring of BaselineTopology history has failed"));
    }

    /** TLS refused by the other nodes (another cluster's CA): trying again cannot help. */
    private static boolean isPermanent(Throwable e) {
        return causes(e).anyMatch(javax.net.ssl.SSLException.class::isInstance);
    }

    /**
     * Waits until every partition of the fish caches is OWNING on this node: it is an expected member
     * (the oldest node adds it) and the data was rebalanced to it. Until then it answers nothing, so
     * "Fish initialized" means "holds a full copy".
     */
    private void awaitFullCopy(Ignite ignite) {
        long started = System.nanoTime();
        long nextLog = 10;
        while (!IgnitePartitions.ownsAll(ignite)) {
            if (closed.get()) {
                throw new StoreException("Ignite store: closed while joining");
            }
            long waited = (System.nanoTime() - started) / 1_000_000_000L;
            if (waited >= nextLog) {
                log.info("Cluster: waiting for a full copy of the data ({} s; expected members {})", waited,
                        IgniteMembership.baselineOf(ignite));
                nextLog += 10;
            }
            sleep(100);
        }
    }

    /** Hands membership work to the cluster thread; once the store is closing there is none to do. */
    private void onClusterThread(Runnable work) {
        try {
            cluster.execute(work);
        } catch (RejectedExecutionException e) {
            log.debug("Cluster: store closing, membership work dropped");
        }
    }

    private void onTopologyChange() {
        try {
            if (live != null && !closed.get()) {
                membership.onTopologyChange();
            }
        } catch (RuntimeException e) {
            log.debug("Cluster: topology change handling failed: {}", e.toString());
        }
    }

    /**
     * Ignite stops a node the cluster cut off ("segmented"), or one hit by a critical failure; the
     * store then heals by starting a new one. Stops the store asked for itself are plain STOPPED.
     */
    private void onIgnitionState(String name, IgniteState state) {
        boolean lost = state == IgniteState.STOPPED_ON_SEGMENTATION
                || state == IgniteState.STOPPED_ON_FAILURE;
        if (config != null && config.instanceName().equals(name) && lost && !closed.get()) {
            onClusterThread(() -> {
                Live gone = live;
                live = null;
                if (gone != null) {
                    gone.feeds().forEach(IgniteChangeFeed::close);
                }
                membership.detach(MembershipState.SEGMENTED,
                        state == IgniteState.STOPPED_ON_SEGMENTATION
                                ? "the cluster cut this node off and Ignite stopped it; looking for the majority"
                                : "Ignite stopped this node after a critical failure; starting it again");
            });
        }
    }

    /**
     * Every {@link #HEAL_INTERVAL_MS}: notices quorum changes and, without quorum, looks for the
     * majority ({@link IgniteProbe}) and rejoins it when {@link HealDecision} says so.
     */
    private void tend() {
        if (closed.get()) {
            return;
        }
        try {
            MembershipState state = membership.state();
            if (state == MembershipState.MEMBER
                    || state == MembershipState.MINORITY) {
                state = membership.onTopologyChange().state();
            }
            if (state != MembershipState.MINORITY
                    && state != MembershipState.SEGMENTED) {
                return;
            }
            if (state == MembershipState.SEGMENTED && live != null) {
                // Ignite is still stopping the segmented node; the store heals once it has.
                reportSlowStop();
                return;
            }
            HealDecision.Probe probe = prober.probe();
            HealDecision.Action action = HealDecision
                    .decide(config.instanceName(), membership.epoch(), membership.baseline(), probe, membership.rule());
            if (action == HealDecision.Action.REJOIN) {
                restart(true, "the majority " + probe.servers() + " is reachable (epoch " + probe.epoch()
                        + "): taking its data");
            } else if (state == MembershipState.SEGMENTED) {
                restart(false, "no majority to join: serving reads from this node's copy, alone, meanwhile");
            }
        } catch (RuntimeException e) {
            log.warn("Cluster: healing step failed ({}); trying again in {} ms", explain(e), HEAL_INTERVAL_MS);
        }
    }

    /**
     * Once, when Ignite has taken more than {@link #SLOW_STOP} to stop a segmented node: the threads
     * that take part in stopping, so the log tells what it waits for.
     */
    private void reportSlowStop() {
        long since = segmentedAt;
        if (since == 0 || System.nanoTime() - since < SLOW_STOP.toNanos() || slowStopReported) {
            return;
        }
        slowStopReported = true;
        log.warn("Cluster: Ignite has not finished stopping this segmented node after {} s; its threads:{}",
                SLOW_STOP.toSeconds(), threads(name -> name.startsWith("node-stopper")
                        || name.startsWith("fish-store-call") || name.contains("disco"), 40));
    }

    /**
     * Stops this store's Ignite node and starts a new one. With {@code takeMajorityData}, this node's
     * copy of the data is set aside first (kept in {@code <work>.replaced} for inspection) and the node
     * joins as an empty member that the majority rebalances; it then must find the cluster (never
     * found one alone). Resources the node holds keep running throughout.
     */
    private void restart(boolean takeMajorityData, String why) {
        // Without the majority's data the node restarts alone (discovering only itself): joining
        // whoever answers with its old copy is what must never happen.
        IgniteStoreConfig startWith = takeMajorityData ? config
                : config.withDiscovery(config.discoveryAddress(), config.discoveryPort(), config.discoveryPortRange(),
                List.of(config.discoveryAddress() + ":" + config.discoveryPort()));
        membership.detach(MembershipState.HEALING, why);
        Live old = live;
        live = null;
        if (old != null) {
            old.feeds().forEach(IgniteChangeFeed::close);
            stopQuietly(old.ignite());
        }
        if (takeMajorityData) {
            setAside(config.workDirectory());
        }
        Live fresh = startLive(startWith, !takeMajorityData, true);
        for (var listener : watchers) {
            fresh.feeds().add(new IgniteChangeFeed(t -> fresh.caches().get(t), fresh.rows()::label, listener));
        }
        live = fresh;
        log.warn("Cluster: store restarted and rejoined ({})", membership.view());
        for (Runnable action : rejoinActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("Cluster: an action after rejoining failed: {}", e.toString());
            }
        }
    }

    private static void setAside(java.nio.file.Path workDirectory) {
        java.nio.file.Path aside = workDirectory.resolveSibling(workDirectory.getFileName() + ".replaced");
        try {
            if (Files.exists(aside)) {
                try (var paths = Files.walk(aside)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            if (Files.exists(workDirectory)) {
                Files.move(workDirectory, aside);
            }
            Files.createDirectories(workDirectory);
            log.warn("Cluster: this node's copy of the data was set aside in {}", aside);
        } catch (IOException e) {
            throw new StoreException("Unable to set the Ignite data aside: " + e.getMessage());
        }
    }

    private void stopQuietly(Ignite ignite) {
        if (ignite == null) {
            return;
        }
        try {
            Ignition.stop(ignite.name(), true);
        } catch (RuntimeException e) {
            log.debug("Stopping Ignite node {} failed: {}", ignite.name(), e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Ignite store: interrupted");
        }
    }

    private Live open(Ignite ignite) {
        ignite.getOrCreateCaches(IgniteNodeConfiguration.caches());
        Map<IgniteTable, IgniteCache<String, BinaryObject>> caches = new EnumMap<>(IgniteTable.class);
        for (IgniteTable table : IgniteTable.values()) {
            caches.put(table, ignite.<String, BinaryObject>cache(table.cacheName()).withKeepBinary());
        }
        try {
            IgniteSchemaUpgrade.apply(ignite, caches.get(IgniteTable.APPLICATION_CURRENT));
        } catch (IgniteException | CacheException e) {
            // Everything but history retention works without it; its sweep reports each failure.
            log.warn("Ignite store: the schema could not be brought up to this version ({})", describe(e));
        }
        return new Live(ignite, caches, ignite.cache(UNIQUE_CACHE), new IgniteRows(ignite.binary(), new DefinitionsCodec()),
                new CopyOnWriteArrayList<>());
    }

    /** The running node, or a StoreException (503) while the store restarts to rejoin the cluster. */
    private Live live() {
        Live current = live;
        if (current == null) {
            throw new StoreException("Ignite store: this node is rejoining its cluster ("
                    + membership.state().name().toLowerCase(Locale.ROOT) + ")");
        }
        return current;
    }

    private Ignite igniteNode() {
        return live().ignite();
    }

    private IgniteRows rows() {
        return live().rows();
    }

    private IgniteCache<String, String> unique() {
        return live().unique();
    }

    private IgniteCache<String, BinaryObject> cache(IgniteTable table) {
        return live().caches().get(table);
    }

    // ---- users ----

    @Override
    public Optional<User> user(String name) {
        return run("read user", () -> Optional.ofNullable(cache(IgniteTable.USERS).get(name)).map(IgniteRows::user));
    }

    @Override
    public List<User> users(Filter filter) {
        return list("list users", Entity.USER, IgniteTable.USERS, "created_at, name", filter, IgniteRows::user);
    }

    @Override
    public boolean createUser(User user) {
        return run("create user", () -> cache(IgniteTable.USERS).putIfAbsent(user.name(), rows().user(user)));
    }

    @Override
    public void putUser(User user) {
        run("put user", () -> {
            BinaryObject row = rows().user(user);
            cache(IgniteTable.USERS).put(user.name(), row);
            return null;
        });
    }

    @Override
    public boolean deleteUser(String name) {
        return run("delete user", () -> cache(IgniteTable.USERS).remove(name));
    }

    // ---- nodes ----

    @Override
    public void putNode(Node node) {
        run("put node", () -> {
            BinaryObject row = rows().node(node);
            cache(IgniteTable.NODES).put(node.uid().toString(), row);
            return null;
        });
    }

    @Override
    public Optional<Node> node(UUID uid) {
        return get("read node", IgniteTable.NODES, uid, IgniteRows::node);
    }

    @Override
    public List<Node> nodes(Filter filter) {
        return list("list nodes", Entity.NODE, IgniteTable.NODES, "created_at, uid", filter, IgniteRows::node);
    }

    // ---- labels ----

    @Override
    public void createLabel(Label label) {
        String key = UniqueKeys.label(label.name(), label.version());
        inTransaction("create label", tx -> {
            BinaryObject row = rows().label(label);
            if (!unique().putIfAbsent(key, label.uid().toString())) {
                throw FishException.conflict("Label with name " + label.name() + " and version " + label.version()
                        + " already exists");
            }
            insert(IgniteTable.LABELS, label.uid(), row, "Label");
            return null;
        });
    }

    @Override
    public Optional<Label> label(UUID uid) {
        return get("read label", IgniteTable.LABELS, uid, rows()::label);
    }

    @Override
    public List<Label> labels(Filter filter) {
        return list("list labels", Entity.LABEL, IgniteTable.LABELS, "created_at, uid", filter, rows()::label);
    }

    @Override
    public boolean deleteLabel(UUID uid) {
        return label(uid).map(label -> deleteWithKey("delete label", IgniteTable.LABELS, uid,
                UniqueKeys.label(label.name(), label.version()))).orElse(false);
    }

    // ---- applications and their states ----

    @Override
    public void createApplication(Application application, ApplicationState initial) {
        requireStateOf(application.uid(), initial);
        inTransaction("create application", tx -> {
            insert(IgniteTable.APPLICATIONS, application.uid(), rows().application(application), "Application");
            insert(IgniteTable.APPLICATION_STATES, initial.uid(), rows().state(initial, 1), "Application state");
            insert(IgniteTable.APPLICATION_CURRENT, application.uid(), rows().current(application, initial),
                    "Application");
            return null;
        });
    }

    @Override
    public Optional<Application> application(UUID uid) {
        return get("read application", IgniteTable.APPLICATIONS, uid, IgniteRows::application);
    }

    @Override
    public List<Application> applications(Filter filter) {
        return list("list applications", Entity.APPLICATION, IgniteTable.APPLICATIONS, "created_at, uid", filter,
                IgniteRows::application);
    }

    /** Reads the current-status entry: "newest" never depends on timestamps, which may tie. */
    @Override
    public Optional<ApplicationState> currentState(UUID applicationUid) {
        return get("read current state", IgniteTable.APPLICATION_CURRENT, applicationUid, IgniteRows::currentState);
    }

    @Override
    public List<ApplicationState> states(UUID applicationUid) {
        return select("list states", "SELECT _val FROM " + IgniteTable.APPLICATION_STATES.tableName()
                + " WHERE application_uid = ? ORDER BY seq", List.of(applicationUid.toString()), IgniteRows::state);
    }

    @Override
    public List<ApplicationState> states(Filter filter) {
        return list("list states", Entity.APPLICATION_STATE, IgniteTable.APPLICATION_STATES, "application_uid, seq",
                filter, IgniteRows::state);
    }

    @Override
    public boolean transition(UUID applicationUid, ApplicationStatus expected, ApplicationState next) {
        requireStateOf(applicationUid, next);
        String key = applicationUid.toString();
        IgniteCache<String, BinaryObject> current = cache(IgniteTable.APPLICATION_CURRENT);
        return inTransaction("transition application", tx -> {
            // A pessimistic read locks the entry until commit: racers wait here, then see the new status.
            BinaryObject now = current.get(key);
            if (now == null || IgniteRows.status(now) != expected) {
                return false;
            }
            BinaryObject advanced = IgniteRows.advance(now, next);
            if (!current.replace(key, now, advanced)) {
                return false;
            }
            insert(IgniteTable.APPLICATION_STATES, next.uid(), rows().state(next, IgniteRows.seq(advanced)),
                    "Application state");
            return true;
        });
    }

    @Override
    public List<ApplicationState> currentStates(Set<ApplicationStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", Collections.nCopies(statuses.size(), "?"));
        List<Object> names = statuses.stream().map(s -> (Object) s.name()).toList();
        return select("list current states", "SELECT _val FROM " + IgniteTable.APPLICATION_CURRENT.tableName()
                        + " WHERE status IN (" + marks + ") ORDER BY app_created_at, application_uid", names,
                IgniteRows::currentState);
    }

    // ---- history retention ----

    /**
     * Reads the finished_at index of the current-status entries; the left join through the resources'
     * application_uid index leaves out applications whose node still holds their resource row.
     */
    @Override
    public List<FinishedApplication> finishedBefore(Instant cutoff, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return select("list finished applications", "SELECT c._val FROM " + IgniteTable.APPLICATION_CURRENT.tableName()
                        + " c LEFT JOIN " + IgniteTable.RESOURCES.tableName() + " r ON r.application_uid = c.application_uid"
                        + " WHERE c.finished_at < ? AND r.uid IS NULL ORDER BY c.finished_at, c.application_uid LIMIT ?",
                List.of(IgniteRows.time(cutoff), limit), IgniteRows::finished);
    }

    /**
     * Key-value removes by primary key in one PESSIMISTIC transaction, never SQL DELETE (not a safe
     * compare-and-set on Ignite with Calcite). The transaction first reads, and so locks, the
     * application's current-status entry: of racing nodes one finds it final and removes everything,
     * the others then find it gone and change nothing. What hangs off the application is listed by
     * SQL before the transaction; nothing new is added to a finished application but a task or a
     * service mapping a user creates meanwhile, which would stay as an orphan row no one reads.
     */
    @Override
    public boolean deleteApplicationHistory(UUID applicationUid) {
        String key = applicationUid.toString();
        // Every node sweeps the same oldest applications: one that lost the race skips the reads below.
        Optional<ApplicationState> before = currentState(applicationUid);
        if (before.isEmpty() || !before.get().status().isFinal()) {
            return false;
        }
        List<Object> byApplication = List.of(key);
        List<ApplicationState> states = states(applicationUid);
        List<ApplicationTask> tasks = select("list tasks", "SELECT _val FROM "
                + IgniteTable.APPLICATION_TASKS.tableName() + " WHERE application_uid = ?", byApplication, IgniteRows::task);
        List<Vote> votes = select("list votes", "SELECT _val FROM " + IgniteTable.VOTES.tableName()
                + " WHERE application_uid = ?", byApplication, IgniteRows::vote);
        List<ServiceMapping> mappings = select("list service mappings", "SELECT _val FROM "
                + IgniteTable.SERVICE_MAPPINGS.tableName() + " WHERE application_uid = ?", byApplication,
                IgniteRows::serviceMapping);
        return inTransaction("delete application history", tx -> {
            IgniteCache<String, BinaryObject> current = cache(IgniteTable.APPLICATION_CURRENT);
            BinaryObject now = current.get(key);
            if (now == null || !IgniteRows.status(now).isFinal() || !current.remove(key, now)) {
                return false;
            }
            cache(IgniteTable.APPLICATIONS).remove(key);
            states.forEach(state -> cache(IgniteTable.APPLICATION_STATES).remove(state.uid().toString()));
            tasks.forEach(task -> cache(IgniteTable.APPLICATION_TASKS).remove(task.uid().toString()));
            for (Vote v : votes) {
                unique().remove(UniqueKeys.vote(v.applicationUid(), v.nodeUid(), v.round()), v.uid().toString());
                cache(IgniteTable.VOTES).remove(v.uid().toString());
            }
            for (ServiceMapping m : mappings) {
                unique().remove(UniqueKeys.serviceMapping(m.locationName(), m.service(), m.applicationUid()),
                        m.uid().toString());
                cache(IgniteTable.SERVICE_MAPPINGS).remove(m.uid().toString());
            }
            return true;
        });
    }

    private static void requireStateOf(UUID applicationUid, ApplicationState state) {
        if (!applicationUid.equals(state.applicationUid())) {
            throw new IllegalArgumentException("State " + state.uid() + " belongs to application "
                    + state.applicationUid() + ", not " + applicationUid);
        }
    }

    // ---- application tasks ----

    @Override
    public void createTask(ApplicationTask task) {
        run("create task", () -> {
            BinaryObject row = rows().task(task);
            insert(IgniteTable.APPLICATION_TASKS, task.uid(), row, "Application task");
            return null;
        });
    }

    @Override
    public Optional<ApplicationTask> task(UUID uid) {
        return get("read task", IgniteTable.APPLICATION_TASKS, uid, IgniteRows::task);
    }

    @Override
    public List<ApplicationTask> tasks(UUID applicationUid, Filter filter) {
        return list("list tasks", Entity.APPLICATION_TASK, IgniteTable.APPLICATION_TASKS, "created_at, uid",
                "application_uid = ?", List.of(applicationUid.toString()), filter, IgniteRows::task);
    }

    /** A compare-and-set on the task's value: a racer's replace fails, it re-reads and finds the task done. */
    @Override
    public boolean completeTask(UUID taskUid, RawJson result, Instant at) {
        String key = taskUid.toString();
        IgniteCache<String, BinaryObject> tasks = cache(IgniteTable.APPLICATION_TASKS);
        return run("complete task", () -> {
            while (true) {
                BinaryObject task = tasks.get(key);
                if (task == null || IgniteRows.isDone(task)) {
                    return false;
                }
                if (tasks.replace(key, task, IgniteRows.complete(task, result, at))) {
                    return true;
                }
            }
        });
    }

    // ---- resources ----

    @Override
    public void createResource(Resource resource) {
        String key = UniqueKeys.resource(resource.applicationUid());
        inTransaction("create resource", tx -> {
            BinaryObject row = rows().resource(resource);
            if (!unique().putIfAbsent(key, resource.uid().toString())) {
                throw FishException.conflict("Resource for application " + resource.applicationUid()
                        + " already exists");
            }
            insert(IgniteTable.RESOURCES, resource.uid(), row, "Resource");
            return null;
        });
    }

    @Override
    public Optional<Resource> resource(UUID uid) {
        return get("read resource", IgniteTable.RESOURCES, uid, IgniteRows::resource);
    }

    /** Through the unique key: the application's resource UID, then the row. */
    @Override
    public Optional<Resource> resourceOfApplication(UUID applicationUid) {
        return run("read resource", () -> Optional.ofNullable(unique().get(UniqueKeys.resource(applicationUid)))
                .map(uid -> cache(IgniteTable.RESOURCES).get(uid))
                .map(IgniteRows::resource));
    }

    @Override
    public List<Resource> resources(Filter filter) {
        return list("list resources", Entity.RESOURCE, IgniteTable.RESOURCES, "created_at, uid", filter,
                IgniteRows::resource);
    }

    @Override
    public List<Resource> resourcesOfNode(UUID nodeUid) {
        return select("list resources", "SELECT _val FROM " + IgniteTable.RESOURCES.tableName()
                        + " WHERE node_uid = ? ORDER BY created_at, uid", List.of(nodeUid.toString()),
                IgniteRows::resource);
    }

    /** Uses the (node_uid, ip_addr) index. */
    @Override
    public List<Resource> resourcesByIp(UUID nodeUid, String ipAddr) {
        return select("find resources by IP", "SELECT _val FROM " + IgniteTable.RESOURCES.tableName()
                        + " WHERE node_uid = ? AND ip_addr = ? ORDER BY created_at, uid",
                List.of(nodeUid.toString(), ipAddr), IgniteRows::resource);
    }

    @Override
    public boolean deleteResource(UUID uid) {
        return resource(uid).map(resource -> deleteWithKey("delete resource", IgniteTable.RESOURCES, uid,
                UniqueKeys.resource(resource.applicationUid()))).orElse(false);
    }

    // ---- votes ----

    @Override
    public boolean addVote(Vote vote) {
        return addVotes(List.of(vote)).get(0);
    }

    /**
     * One transaction for all: each vote takes its unique (application, node, round) key, a duplicate
     * is refused alone. Keys are locked in a fixed order, as {@link #deleteVotes} does, so that no two
     * writers can deadlock.
     */
    @Override
    public List<Boolean> addVotes(List<Vote> votes) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < votes.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> UniqueKeys.vote(votes.get(i).applicationUid(), votes.get(i).nodeUid(),
                votes.get(i).round())));
        return inTransaction("add votes", tx -> {
            Boolean[] added = new Boolean[votes.size()];
            for (int i : order) {
                Vote vote = votes.get(i);
                String key = UniqueKeys.vote(vote.applicationUid(), vote.nodeUid(), vote.round());
                boolean taken = unique().putIfAbsent(key, vote.uid().toString());
                if (taken && !cache(IgniteTable.VOTES).putIfAbsent(vote.uid().toString(), rows().vote(vote))) {
                    unique().remove(key); // the vote's UID is not new: undo its key
                    taken = false;
                }
                added[i] = taken;
            }
            return List.of(added);
        });
    }

    @Override
    public List<Vote> votes(Filter filter) {
        return list("list votes", Entity.VOTE, IgniteTable.VOTES, "created_at, uid", filter, IgniteRows::vote);
    }

    /** One transaction; keys are taken in a fixed order so that two nodes cleaning up the same election cannot deadlock. */
    @Override
    public int deleteVotes(UUID applicationUid) {
        List<Vote> votes = new ArrayList<>(select("list votes", "SELECT _val FROM " + IgniteTable.VOTES.tableName()
                + " WHERE application_uid = ?", List.of(applicationUid.toString()), IgniteRows::vote));
        if (votes.isEmpty()) {
            return 0;
        }
        votes.sort(Comparator.comparing(v -> UniqueKeys.vote(v.applicationUid(), v.nodeUid(), v.round())));
        IgniteCache<String, BinaryObject> rowsCache = cache(IgniteTable.VOTES);
        return inTransaction("delete votes", tx -> {
            int removed = 0;
            for (Vote v : votes) {
                unique().remove(UniqueKeys.vote(v.applicationUid(), v.nodeUid(), v.round()), v.uid().toString());
                if (rowsCache.remove(v.uid().toString())) {
                    removed++;
                }
            }
            return removed;
        });
    }

    // ---- locations ----

    @Override
    public void createLocation(Location location) {
        run("create location", () -> {
            BinaryObject row = rows().location(location);
            if (!cache(IgniteTable.LOCATIONS).putIfAbsent(location.name(), row)) {
                throw FishException.conflict("Location with name " + location.name() + " already exists");
            }
            return null;
        });
    }

    @Override
    public List<Location> locations(Filter filter) {
        return list("list locations", Entity.LOCATION, IgniteTable.LOCATIONS, "created_at, name", filter,
                IgniteRows::location);
    }

    // ---- service mappings ----

    @Override
    public void createServiceMapping(ServiceMapping m) {
        String key = UniqueKeys.serviceMapping(m.locationName(), m.service(), m.applicationUid());
        inTransaction("create service mapping", tx -> {
            BinaryObject row = rows().serviceMapping(m);
            if (!unique().putIfAbsent(key, m.uid().toString())) {
                throw FishException.conflict("Service mapping for service " + m.service() + " in location '"
                        + m.locationName() + "' and application " + m.applicationUid() + " already exists");
            }
            insert(IgniteTable.SERVICE_MAPPINGS, m.uid(), row, "Service mapping");
            return null;
        });
    }

    @Override
    public Optional<ServiceMapping> serviceMapping(UUID uid) {
        return get("read service mapping", IgniteTable.SERVICE_MAPPINGS, uid, IgniteRows::serviceMapping);
    }

    @Override
    public List<ServiceMapping> serviceMappings(Filter filter) {
        return list("list service mappings", Entity.SERVICE_MAPPING, IgniteTable.SERVICE_MAPPINGS, "created_at, uid",
                filter, IgniteRows::serviceMapping);
    }

    @Override
    public boolean deleteServiceMapping(UUID uid) {
        return serviceMapping(uid).map(m -> deleteWithKey("delete service mapping", IgniteTable.SERVICE_MAPPINGS, uid,
                UniqueKeys.serviceMapping(m.locationName(), m.service(), m.applicationUid()))).orElse(false);
    }

    // ---- lifecycle ----

    /** Stops the Ignite node if this store started it (with persistence, the data stays on disk). */
    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Ignition.removeListener(segmentationListener);
        cluster.shutdownNow();
        if (prober != null) {
            prober.close();
        }
        calls.close();
        Live current = live;
        if (current == null) {
            return;
        }
        current.feeds().forEach(IgniteChangeFeed::close);
        if (config == null) {
            return;
        }
        String name = current.ignite().name();
        try {
            Ignition.stop(name, false);
        } catch (IgniteException e) {
            log.warn("Ignite node {}: stop failed ({})", name, describe(e));
        }
        log.info("Stopped Ignite node {}", name);
    }

    // ---- plumbing ----

    /** Inserts a row keyed by UID; a taken UID is a CONFLICT (inside a transaction, the caller's changes roll back). */
    private void insert(IgniteTable table, UUID uid, BinaryObject row, String kind) {
        if (!cache(table).putIfAbsent(uid.toString(), row)) {
            throw FishException.conflict(kind + " with UID " + uid + " already exists");
        }
    }

    /** Removes a row and its unique key together; the key goes only if it still names this row. */
    private boolean deleteWithKey(String operation, IgniteTable table, UUID uid, String uniqueKey) {
        return inTransaction(operation, tx -> {
            unique().remove(uniqueKey, uid.toString());
            return cache(table).remove(uid.toString());
        });
    }

    private <T> Optional<T> get(String operation, IgniteTable table, UUID uid, Function<BinaryObject, T> decode) {
        return run(operation, () -> Optional.ofNullable(cache(table).get(uid.toString())).map(decode));
    }

    /**
     * Runs a store call within {@link #CALL_DEADLINE} (or {@code within}); Ignite failures become StoreExceptions (a
     * stopped node answers IllegalStateException).
     */
    private <T> T run(String operation, Supplier<T> work) {
        return run(operation, CALL_DEADLINE, work);
    }

    private <T> T run(String operation, Duration within, Supplier<T> work) {
        try {
            return calls.call(operation, within, work);
        } catch (IgniteException | CacheException | IllegalStateException e) {
            throw failure(operation, e);
        }
    }

    /**
     * Runs {@code work} in a PESSIMISTIC / REPEATABLE_READ transaction: every key it reads or writes is
     * locked cluster-wide until the end. Commits when {@code work} returns (unless it rolled back);
     * rolls back when it throws, so a CONFLICT changes nothing.
     */
    private <T> T inTransaction(String operation, Function<Transaction, T> work) {
        return run(operation, () -> {
            try (Transaction tx = igniteNode().transactions().txStart(PESSIMISTIC, REPEATABLE_READ, TX_TIMEOUT_MS, 0)) {
                T result = work.apply(tx);
                if (tx.state() == TransactionState.ACTIVE) {
                    tx.commit();
                }
                return result;
            }
        });
    }

    private <T> List<T> select(String operation, String sql, List<Object> params, Function<BinaryObject, T> decode) {
        return run(operation, READ_DEADLINE, () -> query(sql, params, decode));
    }

    /**
     * Runs an SQL read, retrying transient failures with a growing pause until {@link #READ_RETRY_BUDGET}
     * is spent: a node joining or leaving (a running query fails with a topology error) and a query
     * cancelled by the planner's time limit (a cold JVM on a busy machine). Reads have no effect, so a
     * retry is always safe; the caller sees a failure only once the budget is gone.
     */
    private <T> List<T> query(String sql, List<Object> params, Function<BinaryObject, T> decode) {
        return query(sql, params, decode, null);
    }

    /**
     * As {@link #query(String, List, Function)}; with a {@code limit} (a filter a user wrote) Ignite
     * cancels the query at the limit's timeout. Cancelled while it ran, that is the user's answer; cancelled
     * while Calcite planned it (the limit covers planning, which takes seconds on a cold JVM and is not
     * cached when cancelled), it is retried as any cancelled plan: each try is bounded, and so are the tries.
     */
    private <T> List<T> query(String sql, List<Object> params, Function<BinaryObject, T> decode, UserQueryLimit limit) {
        long deadline = System.nanoTime() + READ_RETRY_BUDGET.toNanos();
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                return queryOnce(sql, params, decode, limit);
            } catch (IgniteException | CacheException e) {
                if (limit != null && !cancelledWhilePlanning(e)
                        && causes(e).anyMatch(t -> t instanceof QueryCancelledException)) {
                    throw limit.timedOut();
                }
                String why = transientFailure(e);
                if (why == null || System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                if (attempt == 1 && why.equals(TOPOLOGY_CHANGED)) {
                    log.debug("SQL read: {}, retrying in {} ms", why, pause);
                } else {
                    log.warn("SQL read: {} (attempt {}), retrying in {} ms", why, attempt, pause);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(READ_RETRY_MAX_PAUSE_MS, pause * 2);
            }
        }
    }

    /**
     * Why {@code e} is worth a retry, or null if it is not transient. Matched by class name where the
     * class is internal to Ignite or Calcite: the planner's {@code CannotPlanException} (time limit hit
     * before any plan was found) and Ignite's {@code QueryCancelledException} that follows it.
     */
    static String transientFailure(Throwable e) {
        return causes(e).map(IgniteStore::whyTransient).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private static String whyTransient(Throwable t) {
        String name = t.getClass().getSimpleName();
        if (t instanceof org.apache.ignite.cluster.ClusterTopologyException
                || name.equals("ClusterTopologyCheckedException")) {
            return TOPOLOGY_CHANGED;
        }
        if (name.equals("QueryCancelledException") || name.equals("CannotPlanException")) {
            return "the query was cancelled (" + name + ": planner time limit on a cold or busy JVM)";
        }
        return null;
    }

    /** Matched by message: Ignite wraps a plan cancelled at the query's timeout as "Failed to plan query". */
    private static boolean cancelledWhilePlanning(Throwable e) {
        return causes(e).anyMatch(t -> t.getClass().getSimpleName().equals("CannotPlanException")
                || String.valueOf(t.getMessage()).contains("Failed to plan query")
                || String.valueOf(t.getMessage()).contains("cancelled while planning"));
    }

    /** {@code e} and its causes, outermost first. */
    private static java.util.stream.Stream<Throwable> causes(Throwable e) {
        return java.util.stream.Stream.iterate(e, java.util.Objects::nonNull,
                t -> t.getCause() == t ? null : t.getCause());
    }

    private <T> List<T> queryOnce(String sql, List<Object> params, Function<BinaryObject, T> decode,
                                  UserQueryLimit limit) {
        SqlFieldsQuery query = new SqlFieldsQuery(sql).setSchema(IgniteNodeConfiguration.SQL_SCHEMA)
                .setArgs(params.toArray());
        if (limit != null) {
            query.setTimeout((int) limit.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        try (FieldsQueryCursor<List<?>> cursor = cache(IgniteTable.USERS).query(query)) {
            List<T> result = new ArrayList<>();
            for (List<?> row : cursor) {
                result.add(decode.apply((BinaryObject) row.get(0)));
            }
            return result;
        }
    }

    private <T> List<T> list(String operation, Entity entity, IgniteTable table, String orderBy, Filter filter,
                             Function<BinaryObject, T> decode) {
        return list(operation, entity, table, orderBy, "1=1", List.of(), filter, decode);
    }

    /**
     * A filtered list. A filter value the column cannot hold (a number column compared with 'abc') fails
     * in Ignite as a cast: like an unparsable filter, it matches nothing.
     */
    private <T> List<T> list(String operation, Entity entity, IgniteTable table, String orderBy, String scope,
                             List<Object> scopeParams, Filter filter, Function<BinaryObject, T> decode) {
        if (filter.matchesNothing()) {
            return List.of();
        }
        SqlWhere where = filter.toSql(columnSql(entity));
        String sql = "SELECT _val FROM " + table.tableName() + " WHERE " + scope + " AND " + where.sql()
                + " ORDER BY " + orderBy;
        List<Object> params = new ArrayList<>(scopeParams);
        params.addAll(where.params());
        try {
            if (!filter.fromUserText()) {
                return calls.call(operation, READ_DEADLINE, () -> query(sql, params, decode));
            }
            UserQueryLimit limit = userQueries;
            return limit.run(() -> calls.call(operation, READ_DEADLINE, () -> query(sql, params, decode, limit)));
        } catch (IgniteException | CacheException | IllegalStateException e) {
            if (!where.params().isEmpty() && isValueConversionError(e)) {
                return List.of();
            }
            throw failure(operation, e);
        }
    }

    /** Maps a whitelisted filter column to its quoted SQL name: Ignite upper-cases column names, and {@code when} is a keyword. */
    static UnaryOperator<String> columnSql(Entity entity) {
        return column -> {
            if (!entity.filterColumns().contains(column)) {
                throw new IllegalArgumentException("Column " + column + " cannot be filtered on " + entity);
            }
            return '"' + column.toUpperCase(Locale.ROOT) + '"';
        };
    }

    private static boolean isValueConversionError(Throwable e) {
        return causes(e).anyMatch(t -> t instanceof ClassCastException || t instanceof NumberFormatException);
    }

    /**
     * Names the operation and the exception classes only: Ignite messages may quote keys and values
     * (names, credentials). The whole exception goes to the debug log.
     */
    private static StoreException failure(String operation, RuntimeException e) {
        log.debug("Ignite store: {} failed", operation, e);
        return new StoreException("Ignite store: " + operation + " failed (" + describe(e) + ")");
    }

    /**
     * For the log only: {@link #describe} plus the root cause's own words (Ignite's messages name
     * ports and addresses, which the log may show but API clients must not).
     */
    private static String explain(Throwable e) {
        Throwable root = rootCause(e);
        String message = root.getMessage() == null ? "" : root.getMessage();
        return describe(e) + (message.isEmpty() ? "" : ": " + (message.length() > 300 ? message.substring(0, 300) + "..." : message));
    }

    private static boolean isPortTaken(Throwable e) {
        return causes(e).anyMatch(t -> t.getMessage() != null && t.getMessage().contains("Failed to bind TCP server socket"));
    }

    /** The discovery port is still taken: which Ignite instances and discovery threads this JVM still has. */
    private static void reportPortHolders() {
        StringBuilder grids = new StringBuilder();
        for (Ignite grid : Ignition.allGrids()) {
            grids.append("\n  instance ").append(grid.name()).append(' ').append(Ignition.state(grid.name()));
        }
        log.warn("Cluster: the discovery port is still taken in this process:{}{}", grids,
                threads(name -> name.startsWith("tcp-disco") || name.contains("stopper"), 12));
    }

    /** The named threads of this process with the top {@code frames} of their stacks, one block each, for the log. */
    private static String threads(Predicate<String> named, int frames) {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (named.test(info.getThreadName())) {
                dump.append("\n  thread \"").append(info.getThreadName()).append("\" ").append(info.getThreadState());
                StackTraceElement[] stack = info.getStackTrace();
                for (int i = 0; i < Math.min(stack.length, frames); i++) {
                    dump.append("\n      at ").append(stack[i]);
                }
            }
        }
        return dump.toString();
    }

    /** The innermost cause of {@code e} (itself when it has none). */
    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable e) {
        Throwable root = rootCause(e);
        return root == e ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + " caused by " + root.getClass().getSimpleName();
    }
}
