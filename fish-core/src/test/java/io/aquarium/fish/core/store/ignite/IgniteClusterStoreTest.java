package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.Vote;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Ignite server nodes in this JVM, each behind its own store (as two fish nodes would be): the
 * compare-and-set and the unique rules hold across them, and a write on one is read on the other at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IgniteClusterStoreTest {
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00.123456Z");
    private static final int RACERS_PER_NODE = 8;

    private Path workDir;
    private IgniteStore first;
    private IgniteStore second;

    @BeforeAll
    void startTwoNodes() throws IOException {
        workDir = Files.createTempDirectory("fish-ignite-cluster");
        int firstPort = IgniteTestNodes.freePort();
        int secondPort = IgniteTestNodes.freePort();
        List<Integer> both = List.of(firstPort, secondPort);
        first = IgniteStore.start(IgniteTestNodes.config(workDir.resolve("a"), "fish-a", false, firstPort, both));
        second = IgniteStore.start(IgniteTestNodes.config(workDir.resolve("b"), "fish-b", false, secondPort, both));
    }

    @AfterAll
    void stopNodes() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        IgniteTestNodes.deleteRecursively(workDir);
    }

    @Test
    void bothNodesAreServersOfOneCluster() {
        assertEquals(2, first.ignite().cluster().forServers().nodes().size());
        assertEquals(2, second.ignite().cluster().forServers().nodes().size());
    }

    @Test
    void concurrentTransitionsOnBothNodesHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            Application app = new Application(UUID.randomUUID(), T0.plusSeconds(round), "alice", UUID.randomUUID(),
                    RawJson.EMPTY_OBJECT);
            ApplicationState initial = state(app, ApplicationStatus.NEW, "");
            first.createApplication(app, initial);
            List<ApplicationState> candidates = new ArrayList<>();
            for (int i = 0; i < 2 * RACERS_PER_NODE; i++) {
                candidates.add(state(app, ApplicationStatus.ELECTED, "Elected node: node-" + i));
            }

            List<Boolean> results = race(2 * RACERS_PER_NODE,
                    i -> storeOf(i).transition(app.uid(), ApplicationStatus.NEW, candidates.get(i)));

            assertEquals(1, results.stream().filter(r -> r).count(), "winners in round " + round);
            ApplicationState winner = candidates.get(results.indexOf(true));
            for (IgniteStore store : List.of(first, second)) {
                assertEquals(winner, store.currentState(app.uid()).orElseThrow());
                assertEquals(List.of(initial, winner), store.states(app.uid()));
            }
        }
    }

    @Test
    void writesOnOneNodeAreReadOnTheOtherAtOnce() {
        UUID app = UUID.randomUUID();
        Vote vote = new Vote(UUID.randomUUID(), T0, app, UUID.randomUUID(), 1, 0, 42L);
        Label label = label("visible-" + UUID.randomUUID(), 1);

        assertTrue(first.addVote(vote));
        second.createLabel(label);

        assertEquals(List.of(vote), second.votes(Filter.eq("application_uid", app.toString())
                .and(Filter.eq("round", 1L))));
        assertEquals(List.of(vote), second.votes(Filter.eq("application_uid", app.toString())));
        assertEquals(label, first.label(label.uid()).orElseThrow());
        assertEquals(List.of(label), first.labels(Filter.eq("name", label.name())));
        assertFalse(second.addVote(new Vote(UUID.randomUUID(), T0, app, vote.nodeUid(), 1, 1, 7L)));
        assertEquals(1, second.deleteVotes(app));
        assertEquals(List.of(), first.votes(Filter.eq("application_uid", app.toString())));
    }

    @Test
    void uniqueRulesHoldAcrossNodes() throws Exception {
        String name = "racy-" + UUID.randomUUID();
        List<Boolean> labelResults = race(2 * RACERS_PER_NODE, i -> {
            try {
                storeOf(i).createLabel(label(name, 1));
                return true;
            } catch (FishException e) {
                assertEquals(FishException.Kind.CONFLICT, e.kind());
                return false;
            }
        });
        UUID app = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        List<Boolean> voteResults = race(2 * RACERS_PER_NODE,
                i -> storeOf(i).addVote(new Vote(UUID.randomUUID(), T0.plusSeconds(i), app, node, 1, 0, i)));

        assertEquals(1, labelResults.stream().filter(r -> r).count());
        assertEquals(1, first.labels(Filter.eq("name", name)).size());
        assertEquals(1, second.labels(Filter.eq("name", name)).size());
        assertEquals(1, voteResults.stream().filter(r -> r).count());
        assertEquals(1, first.votes(Filter.eq("application_uid", app.toString())).size());
    }

    /**
     * The change feed may announce another node's write a moment before the local copy has it, so
     * each event comes again {@link IgniteChangeFeed#ECHO_AFTER} later for a pass that read too early.
     */
    @Test
    void aWriteOnOneNodeIsAnnouncedOnTheOtherAndAgainALittleLater() throws Exception {
        UUID app = UUID.randomUUID();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        CountDownLatch twice = new CountDownLatch(2);
        second.watch(event -> {
            if (event instanceof FishEvent.VoteCast cast && cast.applicationUid().equals(app)) {
                arrivals.add(System.nanoTime());
                twice.countDown();
            }
        });

        assertTrue(first.addVote(new Vote(UUID.randomUUID(), T0, app, UUID.randomUUID(), 0, 0, 1L)));

        assertTrue(twice.await(10, TimeUnit.SECONDS), "announcements: " + arrivals.size());
        assertTrue(arrivals.get(1) - arrivals.get(0) >= IgniteChangeFeed.ECHO_AFTER.toNanos(),
                "the echo came after " + (arrivals.get(1) - arrivals.get(0)) / 1_000_000 + " ms");
    }

    /** v2 subscribers on every node hear of labels: the feed carries the whole label, also when it is removed. */
    @Test
    void aLabelCreatedAndRemovedOnOneNodeIsAnnouncedWholeOnTheOther() throws Exception {
        Label label = label("feed-" + UUID.randomUUID(), 1);
        List<FishEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch removed = new CountDownLatch(1);
        second.watch(event -> {
            if (event instanceof FishEvent.LabelCreated created && created.label().uid().equals(label.uid())) {
                seen.add(event);
            } else if (event instanceof FishEvent.LabelRemoved gone && gone.label().uid().equals(label.uid())) {
                seen.add(event);
                removed.countDown();
            }
        });

        first.createLabel(label);
        assertTrue(first.deleteLabel(label.uid()));

        assertTrue(removed.await(10, TimeUnit.SECONDS), "events seen: " + seen);
        FishEvent.LabelCreated created = (FishEvent.LabelCreated) seen.stream()
                .filter(FishEvent.LabelCreated.class::isInstance).findFirst().orElseThrow();
        FishEvent.LabelRemoved gone = (FishEvent.LabelRemoved) seen.stream()
                .filter(FishEvent.LabelRemoved.class::isInstance).findFirst().orElseThrow();
        assertEquals(label.name(), created.label().name());
        assertEquals(label.name(), gone.label().name());
        assertEquals(1, gone.label().definitions().size());
    }

    /** Even racers use the first node's store, odd ones the second's. */
    private IgniteStore storeOf(int racer) {
        return racer % 2 == 0 ? first : second;
    }

    private static ApplicationState state(Application app, ApplicationStatus status, String description) {
        return new ApplicationState(UUID.randomUUID(), T0.plusSeconds(100), app.uid(), status, description);
    }

    private static Label label(String name, int version) {
        Resources resources = new Resources(1, 2, null, null, null, false, false, false, null);
        return new Label(UUID.randomUUID(), T0, name, version,
                List.of(new LabelDefinition("test", resources, null, null)), null);
    }

    private static <T> List<T> race(int threads, IntFunction<T> action) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                Callable<T> racer = () -> {
                    ready.countDown();
                    go.await();
                    return action.apply(n);
                };
                futures.add(executor.submit(racer));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
