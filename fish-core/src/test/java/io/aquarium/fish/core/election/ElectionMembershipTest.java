package io.aquarium.fish.core.election;

import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.store.StoreTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.aquarium.fish.core.election.ElectionHarness.def;
import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Elections under a fake topology: the membership each node's store reports is set by the test, as
 * the Ignite store would report it on either side of a network split.
 */
class ElectionMembershipTest {
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

    private static MembershipView view(MembershipState state, long term, SimNode... present) {
        List<String> members = Stream.of(present).map(n -> n.uid().toString()).toList();
        return new MembershipView(state, state.writable(), term, members.size(), 3, 2, members);
    }

    @Test
    void aNodeWithoutQuorumNeitherVotesNorClaims() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        a.store().membership(view(MembershipState.MINORITY, 2, a));
        Application app = h.app(h.label(def("test")));

        a.passAndJobs();
        a.passAndJobs();
        assertEquals(NEW, h.status(app));
        assertTrue(h.votes(app).isEmpty(), "no vote from the minority");
        assertEquals(0, driver.allocateCalls());

        a.store().membership(view(MembershipState.MEMBER, 3, a));
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app), "quorum back: it serves again");
    }

    @Test
    void aClaimIsReleasedWhenQuorumIsLostBeforeTheDriverIsCalled() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        a.store().membership(view(MembershipState.MEMBER, 1, a));
        Application app = h.app(h.label(def("test")));

        a.pass();
        assertEquals(ELECTED, h.status(app), "claimed with quorum");
        a.store().membership(view(MembershipState.MINORITY, 2, a)); // the cut is detected now
        a.runJobs();
        assertEquals(0, driver.allocateCalls(), "the driver is never called for a fenced claim");
        assertEquals(List.of(NEW, ELECTED, NEW), h.history(app));
        assertTrue(h.state(app).description().contains("Claim released"), h.state(app).description());
    }

    @Test
    void aClaimIsReleasedWhenQuorumCameBackInAnotherTerm() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        a.store().membership(view(MembershipState.MEMBER, 1, a));
        Application app = h.app(h.label(def("test")));

        a.pass();
        a.store().membership(view(MembershipState.MEMBER, 3, a)); // lost and regained meanwhile
        a.runJobs();
        assertEquals(0, driver.allocateCalls());
        assertEquals(NEW, h.status(app));
    }

    @Test
    void theMajorityTakesOverAHolderItsTopologyDroppedAfterAGraceNotItsHeartbeat() {
        FakeDriver aDriver = new FakeDriver("test");
        FakeDriver bDriver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(aDriver));
        SimNode b = h.node("B", s -> s.driver(bDriver));
        a.store().membership(view(MembershipState.MEMBER, 1, a, b));
        b.store().membership(view(MembershipState.MEMBER, 1, a, b));
        Application app = h.app(h.label(def("test")));
        // Both vote; the round is decided once both did. Whoever wins claims; make sure it is A.
        for (int i = 0; i < 4 && h.status(app) == NEW; i++) {
            a.pass();
            b.pass();
        }
        assertEquals(ELECTED, h.status(app));
        SimNode holder = h.state(app).description().endsWith("A") ? a : b;
        SimNode other = holder == a ? b : a;
        FakeDriver otherDriver = holder == a ? bDriver : aDriver;

        // The holder is cut off before allocating; its heartbeat row still looks fresh.
        other.store().membership(view(MembershipState.MEMBER, 1, other));
        other.pass();
        assertEquals(ELECTED, h.status(app), "the holder may still be giving up a machine it made");
        h.advance(ElectionDecision.DROPPED_HOLDER_GRACE.minusSeconds(1), a, b);
        other.pass();
        assertEquals(ELECTED, h.status(app), "its heartbeat row looks fresh, its grace is not over");
        h.advance(Duration.ofSeconds(1), a, b);
        other.pass();
        assertEquals(NEW, h.status(app), "taken back once the grace is over, though the heartbeat still looks fresh");
        for (int i = 0; i < 3 && h.status(app) != ALLOCATED; i++) {
            other.passAndJobs();
        }
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(1, otherDriver.allocateCalls());
    }
    @Test
    void aMoveToAllocatedWithoutAnAnswerKeepsTheMachineAndIsResumed() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        a.store().membership(view(MembershipState.MEMBER, 1, a));
        Application app = h.app(h.label(def("test")));
        a.pass();
        assertEquals(ELECTED, h.status(app));
        a.store().beforeNextTransition((uid, expected, next) -> {
            if (next.status() == ALLOCATED) {
                // The cluster did not answer in time: the move may yet commit, or not.
                throw new StoreTimeoutException("no answer within 10000 ms (its outcome is unknown)");
            }
        });

        a.runJobs();
        assertEquals(ELECTED, h.status(app), "the move did not commit here");
        assertEquals(1, driver.live().size(), "the machine is kept: freeing it could leave ALLOCATED without one");
        assertTrue(h.resource(app).isPresent(), "and so is its resource row");

        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app), "the next pass resumes it from the row");
        assertEquals(1, driver.allocateCalls());
        assertEquals(1, driver.live().size());
    }
}
