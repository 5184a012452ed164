package io.aquarium.fish.core.election;

import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.Vote;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.aquarium.fish.core.election.ElectionHarness.TIMINGS;
import static io.aquarium.fish.core.election.ElectionHarness.def;
import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Votes, rounds, winners and claims, with several nodes on one store and a hand-moved clock. */
class ElectionRoundTest {
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
    void singleNodeGoesFromNewToAllocatedInOnePassAndItsJob() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        Application app = h.app(h.label(def("test")));
        List<String> rowAtAllocated = new ArrayList<>();
        a.store().beforeEveryTransition((uid, from, next) -> {
            if (next.status() == ALLOCATED) {
                rowAtAllocated.add(h.store.resourceOfApplication(uid).map(Resource::identifier).orElse("missing"));
            }
        });

        a.pass();
        assertEquals(ELECTED, h.status(app));
        assertEquals("Elected node: A", h.state(app).description(), "the name, for clients");
        assertEquals(a.uid(), h.state(app).nodeUid(), "the UID, for the nodes");
        assertEquals(0, driver.allocateCalls(), "the driver is never called on the election path");
        assertEquals(1, a.queuedJobs());

        assertEquals(1, a.runJobs());
        assertEquals(List.of(NEW, ELECTED, ALLOCATED), h.history(app));
        Resource resource = h.resource(app).orElseThrow();
        assertEquals(a.uid(), resource.nodeUid());
        assertEquals(0, resource.definitionIndex());
        assertEquals(List.of(resource.identifier()), rowAtAllocated, "resource row exists before ALLOCATED");
        assertTrue(driver.live().contains(resource.identifier()));
        assertTrue(h.votes(app).isEmpty(), "the election's votes are deleted once allocated");
    }

    @Test
    void tieOnTheSameDefinitionIsWonByTheEarliestVote() {
        FakeDriver da = new FakeDriver("test");
        FakeDriver db = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(da));
        SimNode b = h.node("B", s -> s.driver(db));
        Application first = h.app(h.label(def("test")));

        Optional<Instant> due = a.pass();
        assertEquals(NEW, h.status(first), "B is live and has not voted yet");
        Vote voteA = h.votes(first).get(0);
        assertEquals(Optional.of(voteA.createdAt().plus(TIMINGS.roundTimeout())), due);

        h.advance(TICK, a, b);
        b.pass();
        assertEquals(NEW, h.status(first), "B sees the round decided for A and leaves the claim to A");
        List<Vote> votes = h.votes(first);
        assertEquals(2, votes.size());
        assertEquals(voteA, VoteRule.winner(votes, 0, 1).orElseThrow());
        List<Vote> reversed = new ArrayList<>(votes);
        Collections.reverse(reversed);
        assertEquals(voteA, VoteRule.winner(reversed, 0, 1).orElseThrow());

        a.pass();
        b.pass();
        a.runJobs();
        b.runJobs();
        assertEquals("Elected node: A", electedDescriptions(first).get(0));
        assertEquals(1, electedDescriptions(first).size());
        assertEquals(List.of(1, 0), List.of(da.allocateCalls(), db.allocateCalls()));
        assertEquals(a.uid(), h.resource(first).orElseThrow().nodeUid());

        // Same nodes, other order: now B votes first and wins.
        Application second = h.app(h.label(def("test")));
        h.advance(TICK, a, b);
        b.pass();
        h.advance(TICK, a, b);
        a.pass();
        b.pass();
        a.runJobs();
        b.runJobs();
        assertEquals(List.of("Elected node: B"), electedDescriptions(second));
        assertEquals(b.uid(), h.resource(second).orElseThrow().nodeUid());
    }

    @Test
    void lowerDefinitionIndexWinsAcrossNodesEvenWhenVotedLater() {
        FakeDriver one = new FakeDriver("one");
        FakeDriver zero = new FakeDriver("zero");
        SimNode a = h.node("A", s -> s.driver(one));
        SimNode b = h.node("B", s -> s.driver(zero));
        Application app = h.app(h.label(def("zero"), def("one")));

        a.pass();
        assertEquals(1, h.votes(app).get(0).available());
        h.advance(TICK, a, b);
        b.pass();
        assertEquals(ELECTED, h.status(app));
        assertEquals("Elected node: B", h.state(app).description());
        assertEquals(b.uid(), h.state(app).nodeUid());

        a.passAndJobs();
        b.runJobs();
        assertEquals(0, h.resource(app).orElseThrow().definitionIndex());
        assertEquals(List.of(0, 1), List.of(one.allocateCalls(), zero.allocateCalls()));
    }

    @Test
    void silentLiveNodeDelaysTheRoundOnlyUntilItsDeadline() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")));
        SimNode silent = h.node("S", s -> s.driver(new FakeDriver("test")));
        Application app = h.app(h.label(def("test")));

        Instant deadline = a.pass().orElseThrow();
        assertEquals(h.votes(app).get(0).createdAt().plus(TIMINGS.roundTimeout()), deadline);
        assertEquals(NEW, h.status(app));

        h.advanceTo(deadline.minusNanos(1000), a, silent);
        assertEquals(Optional.of(deadline), a.pass());
        assertEquals(NEW, h.status(app), "still waiting for the live node S");

        h.advanceTo(deadline, a, silent);
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
    }

    @Test
    void deadNodeIsNotWaitedFor() {
        SimNode dead = h.node("D", s -> s.driver(new FakeDriver("test")));
        h.advance(TIMINGS.nodeStaleAfter().plus(TICK));
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")));
        Application app = h.app(h.label(def("test")));

        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertFalse(h.votes(app).stream().anyMatch(v -> v.nodeUid().equals(dead.uid())));
    }

    @Test
    void nodeInMaintenanceVotesNoAndResumesWhenItLeaves() {
        FakeDriver driver = new FakeDriver("test");
        SimNode a = h.node("A", s -> s.driver(driver));
        a.maintenance(true);
        Application app = h.app(h.label(def("test")));

        a.pass();
        assertEquals(List.of(-1), h.votes(app).stream().map(Vote::available).toList());
        a.passAndJobs();
        assertEquals(NEW, h.status(app));
        assertEquals(1, h.votes(app).size(), "a node that cannot serve never opens a round");

        a.maintenance(false);
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(1, driver.allocateCalls());
    }

    @Test
    void noVoteFromAMaintenanceNodeLetsTheRoundFinishEarly() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")));
        SimNode b = h.node("B", s -> s.driver(new FakeDriver("test")));
        b.maintenance(true);
        Application app = h.app(h.label(def("test")));

        b.pass();
        h.advance(TICK, a, b);
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(app), "no need to wait for the deadline: every live node voted");
        assertEquals(a.uid(), h.resource(app).orElseThrow().nodeUid());
    }

    @Test
    void definitionsWhoseNodeFilterDoesNotMatchAreNotVotedFor() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test"))
                .identifiers("FishName:A", "OS:linux", "Arch:amd64"));
        Application skipFirst = h.app(h.label(def("test", List.of("OS:darwin")),
                def("test", List.of("OS:linux*", "Arch:amd6?"))));
        Application none = h.app(h.label(def("test", List.of("OS:linux", "Arch:arm64")), def("test", List.of("[a-"))));

        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(skipFirst));
        assertEquals(1, h.resource(skipFirst).orElseThrow().definitionIndex());
        assertEquals(NEW, h.status(none));
        assertEquals(List.of(-1), h.votes(none).stream().map(Vote::available).toList());
    }

    @Test
    void capacityExhaustedServesFirstComeFirstServedAndResumesAfterDeallocation() {
        FakeDriver driver = new FakeDriver("test").capacity(1);
        SimNode a = h.node("A", s -> s.driver(driver));
        Label label = h.label(def("test"));
        // The older application gets the larger UID, so an order by UID would pick the wrong one.
        var u1 = a.uids().next();
        var u2 = a.uids().next();
        Application older = h.app(label, u1.compareTo(u2) > 0 ? u1 : u2);
        h.advance(TICK);
        Application newer = h.app(label, u1.compareTo(u2) > 0 ? u2 : u1);

        a.passAndJobs();
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(older));
        assertEquals(NEW, h.status(newer));
        assertEquals(1, driver.allocateCalls());

        assertTrue(h.move(older, ALLOCATED, DEALLOCATE));
        a.passAndJobs();
        assertEquals(DEALLOCATED, h.status(older));
        assertTrue(h.resource(older).isEmpty());

        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(newer));
        assertEquals(2, driver.allocateCalls());
        assertEquals(1, driver.maxLive());
    }

    @Test
    void anAllocationFinishingWhileAPassReadsIsStillCounted() {
        FakeDriver driver = new FakeDriver("test").capacity(1);
        SimNode a = h.node("A", s -> s.driver(driver));
        Label label = h.label(def("test"));
        Application x = h.app(label);
        a.pass();
        assertEquals(1, a.queuedJobs(), "x is claimed, its allocation queued");
        Application y = h.app(label);
        // The job writes x's resource row and leaves the in-flight set right after the pass read the rows.
        a.store().afterNextResourcesOfNode(a::runJobs);
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(x));
        assertEquals(NEW, h.status(y), "the only slot is x's");
        assertEquals(1, driver.allocateCalls());
    }

    @Test
    void capacityPromisedByAVoteFromAnEarlierPassIsNotPromisedTwice() {
        // S is live but silent, so every round here is decided by its deadline, in a later pass than the vote.
        FakeDriver driver = new FakeDriver("test").capacity(1);
        SimNode a = h.node("A", s -> s.driver(driver));
        SimNode silent = h.node("S", s -> { });
        Label label = h.label(def("test"));
        Application x = h.app(label);
        Application y = h.app(label);

        for (int i = 0; i < 6; i++) {
            a.passAndJobs();
            h.advance(TIMINGS.roundTimeout().plusSeconds(1), a, silent);
        }
        assertEquals(ALLOCATED, h.status(x));
        assertEquals(NEW, h.status(y));
        assertEquals(List.of(NEW), h.history(y), "y never won while x held the only slot");
        assertEquals(1, driver.allocateCalls());
    }

    @Test
    void yesVoteOfAnOlderApplicationInAnOpenRoundIsAPromiseToo() {
        FakeDriver driver = new FakeDriver("test").capacity(1);
        SimNode a = h.node("A", s -> s.driver(driver));
        Label label = h.label(def("test"));
        Application x = h.app(label);
        a.passAndJobs();
        assertEquals(ALLOCATED, h.status(x));
        SimNode silent = h.node("S", s -> { });   // joins now: from here on rounds wait for S or the deadline

        Application p = h.app(label);
        Instant pDeadline = a.passAndJobs().orElseThrow();   // full: A says no to p; the round waits for S
        assertTrue(h.move(x, ALLOCATED, DEALLOCATE));
        a.passAndJobs();
        assertEquals(DEALLOCATED, h.status(x));
        h.advance(TICK, a, silent);
        Application q = h.app(label);
        a.pass();                                      // the free slot goes to q (p's round already has A's no)
        assertEquals(List.of(0), h.votes(q).stream().map(Vote::available).toList());

        h.advanceTo(pDeadline, a, silent);
        a.passAndJobs();
        assertTrue(h.votes(p).stream().noneMatch(v -> v.available() >= 0), "the slot is promised to q");
        for (int i = 0; i < 3; i++) {
            h.advance(TIMINGS.roundTimeout(), a, silent);
            a.passAndJobs();
        }
        assertEquals(ALLOCATED, h.status(q));
        assertEquals(List.of(NEW), h.history(p));
        assertEquals(2, driver.allocateCalls());
        assertEquals(1, driver.maxLive());
    }

    @Test
    void winnerThatNeverClaimsIsReplacedAfterTheClaimTimeout() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")));
        // One slot only: B's losing yes vote of round 0 must not keep it from voting yes in round 1.
        SimNode b = h.node("B", s -> s.driver(new FakeDriver("test").capacity(1)));
        Application app = h.app(h.label(def("test")));

        a.pass();   // A votes first and will win, then hangs (its heartbeat goes on)
        Instant roundStart = h.votes(app).get(0).createdAt();
        h.advance(TICK, a, b);
        Instant claimDeadline = roundStart.plus(TIMINGS.roundTimeout()).plus(TIMINGS.claimTimeout());
        assertEquals(Optional.of(claimDeadline), b.pass());

        h.advanceTo(claimDeadline.minusNanos(1000), a, b);
        b.pass();
        assertTrue(h.votes(app).stream().allMatch(v -> v.round() == 0), "A still has time to claim");

        h.advanceTo(claimDeadline, a, b);
        Instant round1Deadline = b.pass().orElseThrow();
        Vote opened = h.votes(app).stream().filter(v -> v.round() == 1).findFirst().orElseThrow();
        assertEquals(b.uid(), opened.nodeUid());
        assertEquals(NEW, h.status(app), "A is live: round 1 waits for it or for its deadline");

        h.advanceTo(round1Deadline, a, b);
        b.passAndJobs();
        assertEquals(ALLOCATED, h.status(app));
        assertEquals(b.uid(), h.resource(app).orElseThrow().nodeUid());
    }

    @Test
    void twoNodesThatBothBelieveTheyWonClaimOnlyOnce() {
        // Neither node has a row, so each sees only itself as live and decides the round alone.
        FakeDriver one = new FakeDriver("one");
        FakeDriver zero = new FakeDriver("zero");
        SimNode a = h.node("A", s -> s.driver(one).unannounced());
        SimNode b = h.node("B", s -> s.driver(zero).unannounced());
        Application app = h.app(h.label(def("zero"), def("one")));
        List<Boolean> bClaimedFirst = new ArrayList<>();
        // Just before A's NEW -> ELECTED: B runs a whole pass; it sees A's vote (def 1), its own (def 0) wins.
        a.store().beforeNextTransition((uid, from, next) -> {
            b.pass();
            bClaimedFirst.add(h.status(app) == ELECTED);
        });

        a.pass();
        assertEquals(List.of(true), bClaimedFirst);
        a.runJobs();
        b.runJobs();
        assertEquals(List.of("Elected node: B"), electedDescriptions(app));
        assertEquals(List.of(0, 1), List.of(one.allocateCalls(), zero.allocateCalls()));
        assertEquals(ALLOCATED, h.status(app));
    }

    @Test
    void concurrentPassesOfManyNodesAllocateEachApplicationOnce() throws Exception {
        List<SimNode> nodes = new ArrayList<>();
        List<FakeDriver> drivers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FakeDriver d = new FakeDriver("test");
            drivers.add(d);
            nodes.add(h.node("N" + i, s -> s.driver(d).unannounced()));
        }
        Label label = h.label(def("test"));
        List<Application> apps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            apps.add(h.app(label));
        }
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (SimNode node : nodes) {
                done.add(threads.submit(() -> {
                    go.await();
                    return node.pass();
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        nodes.forEach(SimNode::runJobs);
        for (Application app : apps) {
            assertEquals(ALLOCATED, h.status(app));
            assertEquals(1, electedDescriptions(app).size());
        }
        assertEquals(apps.size(), drivers.stream().mapToInt(FakeDriver::allocateCalls).sum());
        assertEquals(apps.size(), h.store.resources(Filter.ALL).size());
    }

    @Test
    void votesOfAnApplicationCreatedDuringAPassAreKept() {
        SimNode a = h.node("A", s -> s.driver(new FakeDriver("test")));
        SimNode b = h.node("B", s -> s.driver(new FakeDriver("test")));
        Label label = h.label(def("test"));
        List<Application> created = new ArrayList<>();
        // B has read the active applications; meanwhile one is created and A votes for it.
        b.store().afterNextCurrentStates(() -> {
            created.add(h.app(label));
            a.pass();
        });

        b.pass();
        Application late = created.get(0);
        assertEquals(List.of(a.uid()), h.votes(late).stream().map(Vote::nodeUid).toList(),
                "B must not clean up the votes of an election it has not seen yet");
    }

    private List<String> electedDescriptions(Application app) {
        return h.store.states(app.uid()).stream().filter(s -> s.status() == ELECTED)
                .map(ApplicationState::description).toList();
    }
}
