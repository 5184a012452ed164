package io.aquarium.fish.core.election;

import io.aquarium.fish.core.auth.MetaTokens;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.lifecycle.Allocator;
import io.aquarium.fish.core.lifecycle.LifetimePolicy;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.runtime.AllocationParts;
import io.aquarium.fish.core.store.FishStore;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * One simulated node wired like {@code FishNode}: its own identity, UIDs, monotonic clock over the
 * shared test clock, state machine, allocator, eligibility and election pass, all on the shared
 * store (through its own {@link HookedStore}). Driver jobs queue up until {@link #runJobs()}, so a
 * test decides when "the worker thread" runs; nothing here sleeps or starts threads.
 */
final class SimNode {
    /** How a node is configured; defaults match a plain node with no lifetime. */
    static final class Spec {
        final List<FakeDriver> drivers = new ArrayList<>();
        int allocationRetry = 3;
        Duration defaultLifetime = Duration.ZERO;
        List<String> identifiers = List.of();
        boolean announce = true;
        UUID uid = UUID.randomUUID();

        Spec driver(FakeDriver driver) {
            drivers.add(driver);
            return this;
        }

        Spec retry(int attempts) {
            allocationRetry = attempts;
            return this;
        }

        Spec defaultLifetime(Duration lifetime) {
            defaultLifetime = lifetime;
            return this;
        }

        Spec identifiers(String... ids) {
            identifiers = List.of(ids);
            return this;
        }

        /** The node's UID (random by default): the same UID under another name is the same node renamed. */
        Spec uid(UUID nodeUid) {
            uid = nodeUid;
            return this;
        }

        /** Without a node row, the node is invisible to others and sees only itself as live. */
        Spec unannounced() {
            announce = false;
            return this;
        }
    }

    private final NodeIdentity identity;
    private final HookedStore store;
    private final ManualClock wall;
    private final MonotonicClock clock;
    private final UidGenerator uids;
    private final EventBus events = new EventBus();
    private final Maintenance maintenance = new Maintenance(events);
    private final Map<String, FakeDriver> drivers = new LinkedHashMap<>();
    private final Deque<Runnable> jobs = new ArrayDeque<>();
    private final Spec spec;
    private final Random random;
    private final Instant createdAt;
    private Allocator allocator;
    private ElectionPass pass;

    SimNode(String name, FishStore shared, ManualClock wall, Spec spec, long seed) {
        this.identity = new NodeIdentity(spec.uid, name);
        this.store = new HookedStore(shared);
        this.wall = wall;
        this.clock = new MonotonicClock(wall);
        this.uids = new UidGenerator(identity.uid(), new SecureRandom());
        this.spec = spec;
        this.random = new Random(seed);
        this.createdAt = wall.instant();
        spec.drivers.forEach(d -> drivers.put(d.name(), d));
        start();
        if (spec.announce) {
            heartbeat();
        }
    }

    /** Builds the node's runtime parts; called again by {@link #restart()}, which loses the queued jobs. */
    private void start() {
        Executor executor = jobs::add;
        AllocationParts parts = AllocationParts.assemble(new AllocationParts.Inputs(store, this::driver, identity, uids,
                clock, events, maintenance, spec.identifiers, spec.allocationRetry, executor,
                new MetaTokens(new byte[MetaTokens.KEY_BYTES]), new LifetimePolicy(spec.defaultLifetime),
                ElectionHarness.TIMINGS, random));
        allocator = parts.allocator();
        pass = parts.pass();
    }

    private Optional<Driver> driver(String name) {
        return Optional.ofNullable(drivers.get(name));
    }

    UUID uid() {
        return identity.uid();
    }

    String name() {
        return identity.name();
    }

    HookedStore store() {
        return store;
    }

    Allocator allocator() {
        return allocator;
    }

    MonotonicClock clock() {
        return clock;
    }

    UidGenerator uids() {
        return uids;
    }

    /** One election pass; returns when it wants to run again. */
    Optional<Instant> pass() {
        return pass.run();
    }

    /** Runs the queued driver jobs (the allocator's worker) to completion; returns how many ran. */
    int runJobs() {
        int ran = 0;
        for (Runnable job = jobs.poll(); job != null; job = jobs.poll()) {
            job.run();
            ran++;
        }
        return ran;
    }

    int queuedJobs() {
        return jobs.size();
    }

    /** A pass, then its driver jobs: what a node does "at once" when nothing races it. */
    Optional<Instant> passAndJobs() {
        Optional<Instant> due = pass();
        runJobs();
        return due;
    }

    /** Writes this node's row with updatedAt = now (the heartbeat). */
    void heartbeat() {
        store.putNode(new Node(identity.uid(), createdAt, wall.instant(), identity.name(), null, "", "", null));
    }

    void maintenance(boolean on) {
        maintenance.apply(on, null, null);
    }

    /** A process restart: same identity and store, fresh allocator and pass, in-flight jobs lost. */
    void restart() {
        jobs.clear();
        start();
    }
}
