package io.aquarium.fish.core.election;

import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
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

import static io.aquarium.fish.core.election.ElectionHarness.TIMINGS;
import static io.aquarium.fish.core.election.ElectionHarness.def;
import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failed allocations, and applications left ELECTED by a node that died or restarted. */
class ElectionRecoveryTest {
    private static final Duration TICK = Duration.ofMillis(1);

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

    @Test
    void failedAllocationGoesBackToNewAndTheNextAttemptPrefersTheNextDefinition() {
        FakeDriver driver = new FakeDriver("test").failNextAllocations(1);
        SimNode a = h.node("A", s -> s.driver(driver).retry(3));
        LabelDefinition small = def("test", 1);
        LabelDefinition big = def("test", 2);
        Application app = h.app(h.label(small, big));

        a.passAndJobs();
        ApplicationState failed = h.state(app);
        assertEquals(NEW, failed.status());
        assertTrue(failed.description().contains("Allocation failed") && failed.description().contains("boom"),
                failed.description());
        assertTrue(h.votes(app).isEmpty(), "the failed election's votes are gone");

        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(1, h.resource(app).orElseThrow().definitionIndex());
        assertEquals(List.of(small, big), driver.allocatedDefinitions());
    }

    @Test
    void retryOneMeansTheFirstFailureIsAnError() {
        FakeDriver driver = new FakeDriver("test").failNextAllocations(1);
        SimNode a = h.node("A", s -> s.driver(driver).retry(1));
        Application app = h.app(h.label(def("test")));

        for (int i = 0; i < 3; i++) {
            a.passAndJobs();
        }
        assertEquals(List.of(NEW, ELECTED, ERROR), h.history(app));
        assertEquals(1, driver.allocateCalls());
        assertTrue(h.votes(app).isEmpty());
    }

    @Test
    void alwaysFailingDriverEndsInErrorAfterRetryElections() {
        FakeDriver driver = new FakeDriver("test").alwaysFail(true);
        SimNode a = h.node("A", s -> s.driver(driver).retry(3));
        LabelDefinition first = def("test", 1);
        LabelDefinition second = def("test", 2);
        Application app = h.app(h.label(first, second));

        for (int i = 0; i < 6; i++) {
            a.passAndJobs();
        }
        assertEquals(List.of(NEW, ELECTED, NEW, ELECTED, NEW, ELECTED, ERROR), h.history(app));
        assertEquals(List.of(first, second, first), driver.allocatedDefinitions(), "each retry rotates");
        assertTrue(h.state(app).description().contains("3 time(s)"), h.state(app).description());
    }

    @Test
    void electedOnANodeWhoseHeartbeatStopsIsElectedAgainElsewhere() {
        FakeDriver da = new FakeDriver("test");
        FakeDriver db = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(da));
        SimNode b = h.node("B", s -> s.driver(db));
        Application app = h.app(h.label(def("test")));

        a.pass();
        h.advance(TICK, a, b);
        b.pass();
        a.pass();   // A claims; its job never runs: A dies here
        assertEquals("Elected node: A", h.state(app).description());
        Instant electedAt = h.state(app).createdAt();

        h.advance(TIMINGS.nodeStaleAfter().minusSeconds(5), b);
        b.passAndJobs();
        assertEquals(ELECTED, h.status(app), "A's heartbeat is not stale yet");

        electedAgainOnceStale(app, electedAt, b);
        assertTrue(h.votes(app).isEmpty());

        b.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(b.uid(), h.resource(app).orElseThrow().nodeUid());
        assertEquals(0, da.allocateCalls());

        // A's lost job finally runs (a zombie): it must not disturb B's allocation.
        a.runJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(b.uid(), h.resource(app).orElseThrow().nodeUid());
        assertTrue(da.live().isEmpty(), "A freed what it made");
    }

    @Test
    void electedForThisNodeWithoutAJobAfterRestartGoesBackToNew() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        Application app = h.app(h.label(def("test")));

        a.pass();
        assertEquals(ELECTED, h.status(app));
        a.restart();
        a.pass();
        assertEquals(NEW, h.status(app));
        assertTrue(h.state(app).description().contains("restarted"), h.state(app).description());

        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(1, driver.allocateCalls());
    }

    @Test
    void electedForThisNodeWithItsResourceRowAfterRestartIsAllocated() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        Label label = h.label(def("test"));
        Application app = h.app(label);

        a.pass();
        // The node died after the driver worked and the row was written, before ALLOCATED.
        AllocatedResource made = driver.allocate(new AllocationRequest(app.uid(), label.definitions().get(0), RawJson.EMPTY_OBJECT));
        Instant now = a.clock().now();
        h.store.createResource(new Resource(a.uids().next(), now, now, app.uid(), a.uid(), label.uid(), 0,
                made.identifier(), made.ipAddr(), "", RawJson.EMPTY_OBJECT, null));
        a.restart();

        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertTrue(h.state(app).description().contains("Resumed"), h.state(app).description());
        assertEquals(made.identifier(), h.resource(app).orElseThrow().identifier());
        assertEquals(1, driver.allocateCalls());
        assertTrue(driver.live().contains(made.identifier()));
    }

    @Test
    void electedForAnotherLiveNodeIsLeftAlone() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")));
        SimNode b = h.node("B", s -> s.driver(new FakeDriver("test")));
        Application app = h.app(h.label(def("test")));
        a.pass();
        h.advance(TICK, a, b);
        b.pass();
        a.pass();
        assertEquals(ELECTED, h.status(app));

        for (int i = 0; i < 5; i++) {
            h.advance(TIMINGS.nodeStaleAfter(), a, b);
            b.passAndJobs();
        }
        assertEquals(ELECTED, h.status(app), "A is slow, not dead: its allocation goes on");
        a.runJobs();
        assertEquals(ALLOCATED, h.status(app));
    }

    /** A new machine took the dead node's name: the election is the dead node's UID's, not the name's. */
    @Test
    void aNodeReusingADeadNodesNameDoesNotInheritItsElection() {
        FakeDriver dOld = new FakeDriver("test");
        FakeDriver dNew = new FakeDriver("test");
        SimNode old = h.node("A", s -> s.driver(dOld));
        Application app = h.app(h.label(def("test")));
        old.pass();   // claims; its job never runs: the machine dies here
        assertEquals(old.uid(), h.state(app).nodeUid());
        Instant electedAt = h.state(app).createdAt();

        SimNode successor = h.node("A", s -> s.driver(dNew));
        successor.passAndJobs();
        assertEquals(ELECTED, h.status(app), "not the successor's to resume or undo while the old UID may be live");

        electedAgainOnceStale(app, electedAt, successor);

        successor.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(successor.uid(), h.resource(app).orElseThrow().nodeUid());
        assertEquals(List.of(old.uid(), successor.uid()), h.store.states(app.uid()).stream()
                .filter(s -> s.status() == ELECTED).map(ApplicationState::nodeUid).toList());
        assertEquals(0, dOld.allocateCalls());
    }

    /** The same node (UID) restarted under another name still finds what it was elected for. */
    @Test
    void aRenamedNodeStillRecognisesItsElection() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        SimNode b = h.node("B", s -> s.driver(new FakeDriver("test")));
        Label label = h.label(def("test"));
        Application app = h.app(label);
        a.pass();
        h.advance(TICK, a, b);
        b.pass();
        a.pass();   // A claims; it restarts before its job runs, and comes back renamed
        assertEquals("Elected node: A", h.state(app).description());

        SimNode renamed = h.node("A-renamed", s -> s.driver(driver).uid(a.uid()));
        b.passAndJobs();
        assertEquals(ELECTED, h.status(app), "the holder's UID is live: B leaves it alone");
        renamed.pass();
        assertEquals(NEW, h.status(app));
        assertTrue(h.state(app).description().contains("A-renamed restarted"), h.state(app).description());
    }

    /** Once A's claim at {@code electedAt} is older than the staleness window, {@code observer} puts it back to NEW. */
    private void electedAgainOnceStale(Application app, Instant electedAt, SimNode observer) {
        h.advanceTo(electedAt.plus(TIMINGS.nodeStaleAfter()).plus(TICK), observer);
        observer.pass();
        assertEquals(NEW, h.status(app));
        assertTrue(h.state(app).description().contains("A stopped responding"), h.state(app).description());
    }
}
