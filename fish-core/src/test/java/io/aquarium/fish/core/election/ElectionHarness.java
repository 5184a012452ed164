package io.aquarium.fish.core.election;

import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.lifecycle.ApplicationStateMachine;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.Vote;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.h2.H2Store;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Several simulated nodes on one real H2 store in one JVM, driven by a shared manual clock:
 * round deadlines, claim timeouts, heartbeats and lifetimes all move only when a test advances it.
 * Also plays the client (creates labels, applications and tasks, requests deallocation).
 */
final class ElectionHarness implements AutoCloseable {
    static final ElectionTimings TIMINGS =
            new ElectionTimings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15));
    static final Instant START = Instant.parse("2024-05-01T10:00:00Z");

    final ManualClock clock = new ManualClock(START);
    final H2Store store;
    private final MonotonicClock clientClock = new MonotonicClock(clock);
    private final UidGenerator clientUids = new UidGenerator(UUID.randomUUID(), new SecureRandom());
    private final ApplicationStateMachine client;
    private int labels;
    private long seeds = 42;

    ElectionHarness(Path dataDir) {
        this.store = H2Store.open(dataDir);
        this.client = new ApplicationStateMachine(store, clientUids, clientClock, new EventBus());
    }

    SimNode node(String name, Consumer<SimNode.Spec> configure) {
        SimNode.Spec spec = new SimNode.Spec();
        configure.accept(spec);
        return new SimNode(name, store, clock, spec, seeds++);
    }

    // ---- time ----

    /** Moves the clock, then refreshes the heartbeats of the nodes named alive (the others fall silent). */
    void advance(Duration step, SimNode... alive) {
        clock.advance(step);
        heartbeat(alive);
    }

    void advanceTo(Instant at, SimNode... alive) {
        clock.set(at);
        heartbeat(alive);
    }

    private static void heartbeat(SimNode... alive) {
        for (SimNode node : alive) {
            node.heartbeat();
        }
    }

    // ---- client side ----

    static Resources resources(int cpu, List<String> nodeFilter, String lifetime) {
        return new Resources(cpu, 1, null, "", nodeFilter, true, false, false, lifetime);
    }

    static LabelDefinition def(String driver) {
        return def(driver, 1, List.of(), "");
    }

    static LabelDefinition def(String driver, int cpu) {
        return def(driver, cpu, List.of(), "");
    }

    static LabelDefinition def(String driver, List<String> nodeFilter) {
        return def(driver, 1, nodeFilter, "");
    }

    static LabelDefinition lifetimeDef(String driver, String lifetime) {
        return def(driver, 1, List.of(), lifetime);
    }

    static LabelDefinition def(String driver, int cpu, List<String> nodeFilter, String lifetime) {
        return new LabelDefinition(driver, resources(cpu, nodeFilter, lifetime), RawJson.EMPTY_OBJECT, null);
    }

    Label label(LabelDefinition... definitions) {
        Label label = new Label(clientUids.next(), clientClock.now(), "label-" + (++labels), 1, List.of(definitions),
                RawJson.EMPTY_OBJECT);
        store.createLabel(label);
        return label;
    }

    Application app(Label label) {
        return app(label, clientUids.next());
    }

    Application app(Label label, UUID uid) {
        Instant now = clientClock.now();
        Application app = new Application(uid, now, "user", label.uid(), RawJson.EMPTY_OBJECT);
        store.createApplication(app, new ApplicationState(clientUids.next(), now, uid, ApplicationStatus.NEW,
                "Created"));
        return app;
    }

    ApplicationTask task(Application app, String task, ApplicationStatus when) {
        Instant now = clientClock.now();
        ApplicationTask created = new ApplicationTask(clientUids.next(), now, now, app.uid(), task, when,
                new RawJson("{\"full\":true}"), RawJson.EMPTY_OBJECT);
        store.createTask(created);
        return created;
    }

    /** A user's request (deallocate, recall) or any other actor's move. */
    boolean move(Application app, ApplicationStatus from, ApplicationStatus to) {
        return client.move(app.uid(), from, to, "Requested by test");
    }

    // ---- reading ----

    ApplicationState state(Application app) {
        return store.currentState(app.uid()).orElseThrow();
    }

    ApplicationStatus status(Application app) {
        return state(app).status();
    }

    List<ApplicationStatus> history(Application app) {
        return store.states(app.uid()).stream().map(ApplicationState::status).toList();
    }

    Optional<Resource> resource(Application app) {
        return store.resourceOfApplication(app.uid());
    }

    List<Vote> votes(Application app) {
        return store.votes(Filter.ALL).stream().filter(v -> v.applicationUid().equals(app.uid())).toList();
    }

    String result(ApplicationTask task) {
        return store.task(task.uid()).orElseThrow().result().json();
    }

    @Override
    public void close() {
        store.close();
    }
}
