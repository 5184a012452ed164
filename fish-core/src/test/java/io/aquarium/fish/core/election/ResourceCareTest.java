package io.aquarium.fish.core.election;

import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.aquarium.fish.core.election.ElectionHarness.def;
import static io.aquarium.fish.core.election.ElectionHarness.lifetimeDef;
import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.RECALLED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a node does for the resources it holds: lifetimes, tasks, deallocation, orphans. */
class ResourceCareTest {
    @TempDir
    Path dir;
    private ElectionHarness h;

    @BeforeEach
    void open() {
        h = new ElectionHarness(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Application allocated(SimNode node, Label label) {
        Application app = h.app(label);
        node.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        return app;
    }

    @Test
    void definitionLifetimeExpiresToDeallocateAndThenDeallocated() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        Application app = allocated(a, h.label(lifetimeDef("test", "30s")));
        Instant expiry = h.resource(app).orElseThrow().createdAt().plusSeconds(30);
        assertEquals(Optional.of(expiry), a.passAndJobs(), "the pass asks to run again at the expiry");

        h.advanceTo(expiry.minusMillis(1), a);
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));

        h.advanceTo(expiry, a);
        a.pass();
        assertEquals(DEALLOCATE, h.status(app));
        assertEquals("Lifetime of the resource expired", h.state(app).description());
        a.passAndJobs();
        assertEquals(DEALLOCATED, h.status(app));
        assertTrue(h.resource(app).isEmpty());
        assertTrue(driver.live().isEmpty());
    }

    @Test
    void negativeLifetimeNeverExpiresEvenWithANodeDefault() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")).defaultLifetime(Duration.ofMinutes(1)));
        Application app = allocated(a, h.label(lifetimeDef("test", "-1s")));

        h.advance(Duration.ofDays(400), a);
        assertEquals(Optional.empty(), a.passAndJobs());
        assertEquals(ALLOCATED, h.status(app));
    }

    @Test
    void emptyOrZeroLifetimeUsesTheNodeDefault() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")).defaultLifetime(Duration.ofMinutes(1)));
        Application empty = allocated(a, h.label(def("test")));
        Application zero = allocated(a, h.label(lifetimeDef("test", "0")));
        Instant expiry = h.resource(zero).orElseThrow().createdAt().plus(Duration.ofMinutes(1));

        h.advanceTo(expiry.minusMillis(1), a);
        a.passAndJobs();
        assertEquals(List.of(ALLOCATED, ALLOCATED), List.of(h.status(empty), h.status(zero)));
        h.advanceTo(expiry, a);
        a.pass();
        assertEquals(List.of(DEALLOCATE, DEALLOCATE), List.of(h.status(empty), h.status(zero)));
    }

    @Test
    void noLifetimeAnywhereLivesUntilDeallocated() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")));
        Application app = allocated(a, h.label(def("test")));
        h.advance(Duration.ofDays(30), a);
        assertEquals(Optional.empty(), a.passAndJobs());
        assertEquals(ALLOCATED, h.status(app));
    }

    @Test
    void labelLifetimeWinsOverTheNodeDefaultShorterOrLonger() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")).defaultLifetime(Duration.ofSeconds(45)));
        Application shorter = allocated(a, h.label(lifetimeDef("test", "30s")));
        Application longer = allocated(a, h.label(lifetimeDef("test", "2m")));

        h.advance(Duration.ofSeconds(31), a);
        a.pass();
        assertEquals(DEALLOCATE, h.status(shorter));
        assertEquals(ALLOCATED, h.status(longer));

        h.advance(Duration.ofSeconds(30), a);
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(longer), "past the node default, still within the label's own lifetime");
        h.advance(Duration.ofMinutes(1), a);
        a.pass();
        assertEquals(DEALLOCATE, h.status(longer));
    }

    @Test
    void tasksGetResultsAndDeallocateTasksRunBeforeTheDriverFreesTheResource() {
        FakeDriver driver = new FakeDriver("test")
                .task("snapshot", (id, options, status) -> new RawJson("{\"snapshot\":\"" + id + "\"}"));
        SimNode a = h.node("A", s -> s.driver(driver));
        Application app = h.app(h.label(def("test")));
        ApplicationTask early = h.task(app, "snapshot", ALLOCATED);
        ApplicationTask unknown = h.task(app, "image", ALLOCATED);
        ApplicationTask atEnd = h.task(app, "snapshot", DEALLOCATE);

        a.passAndJobs();
        String id = h.resource(app).orElseThrow().identifier();
        assertEquals("{\"snapshot\":\"" + id + "\"}", h.result(early));
        assertEquals("{\"error\":\"task not available in driver\"}", h.result(unknown));
        assertEquals("{}", h.result(atEnd), "a DEALLOCATE task waits for DEALLOCATE");

        ApplicationTask later = h.task(app, "snapshot", ALLOCATED);
        a.passAndJobs();
        assertEquals("{\"snapshot\":\"" + id + "\"}", h.result(later));

        assertTrue(h.move(app, ALLOCATED, DEALLOCATE));
        a.passAndJobs();
        assertEquals(DEALLOCATED, h.status(app));
        assertEquals("{\"snapshot\":\"" + id + "\"}", h.result(atEnd));
        List<String> log = driver.log();
        assertTrue(log.indexOf("task snapshot DEALLOCATE " + id) >= 0, log.toString());
        assertTrue(log.indexOf("task snapshot DEALLOCATE " + id) < log.indexOf("deallocate " + id), log.toString());
        assertEquals(2, log.stream().filter(l -> l.startsWith("task snapshot ALLOCATED")).count(),
                "each task ran once: " + log);
    }

    @Test
    void resourceOfARecalledApplicationIsReleasedAfterRestart() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        Label label = h.label(def("test"));
        Application app = h.app(label);
        a.pass();
        // The node dies between writing the row and ALLOCATED; meanwhile the user recalls the application.
        AllocatedResource made = driver.allocate(new AllocationRequest(app.uid(), label.definitions().get(0), RawJson.EMPTY_OBJECT));
        Instant now = a.clock().now();
        h.store.createResource(new Resource(a.uids().next(), now, now, app.uid(), a.uid(), label.uid(), 0,
                made.identifier(), made.ipAddr(), "", RawJson.EMPTY_OBJECT, null));
        assertTrue(h.move(app, ELECTED, RECALLED));
        a.restart();

        a.passAndJobs();
        assertTrue(h.resource(app).isEmpty());
        assertTrue(driver.live().isEmpty());
        assertTrue(driver.log().contains("deallocate " + made.identifier()), driver.log().toString());
        assertEquals(RECALLED, h.status(app));
    }

    @Test
    void resourceOfADeallocatedApplicationIsReleased() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        Application app = allocated(a, h.label(def("test")));
        String id = h.resource(app).orElseThrow().identifier();
        // Someone else finished the application while the row stayed behind.
        assertTrue(h.move(app, ALLOCATED, DEALLOCATE));
        assertTrue(h.move(app, DEALLOCATE, DEALLOCATED));

        a.passAndJobs();
        assertTrue(h.resource(app).isEmpty());
        assertTrue(driver.log().contains("deallocate " + id), driver.log().toString());
    }

    @Test
    void applicationRecalledWhileTheDriverWorksHasItsResourceFreed() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        Application app = h.app(h.label(def("test")));
        a.pass();
        assertTrue(h.move(app, ELECTED, RECALLED));

        a.runJobs();
        assertEquals(RECALLED, h.status(app));
        assertEquals(1, driver.allocateCalls());
        assertTrue(driver.live().isEmpty());
        assertTrue(h.resource(app).isEmpty());
        List<ApplicationState> states = h.store.states(app.uid());
        assertEquals(RECALLED, states.get(states.size() - 1).status());
    }

    @Test
    void deallocationThatKeepsFailingEndsInError() {
        FakeDriver driver = new FakeDriver("test").failDeallocate(true);
        SimNode a = h.node("A", s -> s.driver(driver));
        Application app = allocated(a, h.label(def("test")));
        assertTrue(h.move(app, ALLOCATED, DEALLOCATE));
        for (int i = 0; i < 3; i++) {
            assertEquals(DEALLOCATE, h.status(app));
            a.passAndJobs();
        }
        assertEquals(ERROR, h.status(app));
        assertTrue(h.state(app).description().contains("Unable to deallocate"), h.state(app).description());
        assertEquals(3, driver.log().stream().filter(l -> l.startsWith("deallocate failed")).count(),
                driver.log().toString());
    }
}
