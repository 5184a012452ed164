package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.store.FinishedApplication;
import io.aquarium.fish.core.store.h2.H2Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static io.aquarium.fish.core.model.ApplicationStatus.RECALLED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History retention: the pure decision as a table (finished applications, now, retention, limit in;
 * the ones to delete out), and sweeps over a real H2 store with a fixed clock.
 */
class HistoryRetentionTest {
    private static final Instant NOW = Instant.parse("2025-06-08T12:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);
    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final UUID C = UUID.fromString("00000000-0000-0000-0000-00000000000c");

    private static FinishedApplication finished(UUID uid, Duration ago) {
        return new FinishedApplication(uid, NOW.minus(ago));
    }

    static Stream<Arguments> decisions() {
        FinishedApplication aEightDays = finished(A, Duration.ofDays(8));
        FinishedApplication bWeekAndASecond = finished(B, WEEK.plusSeconds(1));
        FinishedApplication cSixDays = finished(C, Duration.ofDays(6));
        FinishedApplication bExactlyAWeek = finished(B, WEEK);
        FinishedApplication cEightDays = finished(C, Duration.ofDays(8));
        return Stream.of(
                Arguments.of("nothing finished", List.of(), WEEK, 10, List.of()),
                Arguments.of("older than the retention, oldest first", List.of(bWeekAndASecond, cSixDays, aEightDays),
                        WEEK, 10, List.of(aEightDays, bWeekAndASecond)),
                Arguments.of("finished exactly the retention ago is kept one more sweep", List.of(bExactlyAWeek),
                        WEEK, 10, List.of()),
                Arguments.of("at most the limit, oldest first", List.of(bWeekAndASecond, aEightDays), WEEK, 1,
                        List.of(aEightDays)),
                Arguments.of("same finish time: by UID", List.of(cEightDays, aEightDays), WEEK, 10,
                        List.of(aEightDays, cEightDays)),
                Arguments.of("zero keeps forever", List.of(aEightDays, bWeekAndASecond), Duration.ZERO, 10, List.of()),
                Arguments.of("a short retention", List.of(cSixDays), Duration.ofDays(1), 10, List.of(cSixDays)),
                Arguments.of("finished in the future (another node's clock ahead)",
                        List.of(new FinishedApplication(A, NOW.plusSeconds(5))), Duration.ofSeconds(1), 10, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void due(String name, List<FinishedApplication> finished, Duration retention, int limit,
             List<FinishedApplication> expected) {
        assertEquals(expected, HistoryRetention.due(finished, NOW, retention, limit));
    }

    @Test
    void aFullBatchBringsTheNextSweepSooner() {
        assertEquals(HistoryRetention.BACKLOG_PAUSE, HistoryRetention.nextDelay(new HistoryRetention.Sweep(500, NOW, true)));
        assertEquals(HistoryRetention.INTERVAL, HistoryRetention.nextDelay(new HistoryRetention.Sweep(3, NOW, false)));
        assertEquals(HistoryRetention.INTERVAL, HistoryRetention.nextDelay(new HistoryRetention.Sweep(0, null, false)));
    }

    // ---- sweeps over a store ----

    @TempDir
    Path dir;
    H2Store store;

    @BeforeEach
    void open() {
        store = H2Store.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** An application created long ago and moved along {@code path}, its last move {@code ago} before NOW. */
    private Application app(Duration ago, ApplicationStatus... path) {
        Instant at = NOW.minus(ago).minusSeconds(path.length);
        Application app = new Application(UUID.randomUUID(), at.minus(Duration.ofHours(1)), "jenkins",
                UUID.randomUUID(), new RawJson("{}"));
        store.createApplication(app, new ApplicationState(UUID.randomUUID(), app.createdAt(), app.uid(), NEW, ""));
        ApplicationStatus previous = NEW;
        for (ApplicationStatus next : path) {
            at = at.plusSeconds(1);
            assertTrue(store.transition(app.uid(), previous,
                    new ApplicationState(UUID.randomUUID(), at, app.uid(), next, "")));
            previous = next;
        }
        return app;
    }

    private HistoryRetention retention(Duration retention, int batch) {
        return new HistoryRetention(store, Clock.fixed(NOW, ZoneOffset.UTC), retention, batch);
    }

    private boolean exists(Application app) {
        return store.application(app.uid()).isPresent();
    }

    @Test
    void sweepsDeleteExpiredFinishedApplicationsABatchAtATimeAndKeepTheRest() {
        Application oldest = app(Duration.ofDays(30), ELECTED, ALLOCATED, DEALLOCATE, DEALLOCATED);
        Application recalled = app(Duration.ofDays(20), RECALLED);
        Application failed = app(Duration.ofDays(10), ELECTED, ERROR);
        Application recent = app(Duration.ofDays(1), ELECTED, ALLOCATED, DEALLOCATE, DEALLOCATED);
        Application running = app(Duration.ofDays(40), ELECTED, ALLOCATED);
        Application waiting = app(Duration.ofDays(40));
        Application releasing = app(Duration.ofDays(40), ELECTED, ALLOCATED, DEALLOCATE, ERROR);
        Resource kept = new Resource(UUID.randomUUID(), NOW.minus(Duration.ofDays(41)), NOW.minus(Duration.ofDays(41)),
                releasing.uid(), UUID.randomUUID(), releasing.labelUid(), 0, "test-1", "", "", new RawJson("{}"), null);
        store.createResource(kept);
        HistoryRetention sweeper = retention(WEEK, 2);

        HistoryRetention.Sweep first = sweeper.sweep();

        assertEquals(new HistoryRetention.Sweep(2, NOW.minus(Duration.ofDays(30)), true), first);
        assertFalse(exists(oldest));
        assertFalse(exists(recalled));
        assertTrue(exists(failed));

        HistoryRetention.Sweep second = sweeper.sweep();

        assertEquals(new HistoryRetention.Sweep(1, NOW.minus(Duration.ofDays(10)), false), second);
        assertFalse(exists(failed));
        for (Application keptApp : List.of(recent, running, waiting, releasing)) {
            assertTrue(exists(keptApp), keptApp.uid().toString());
        }
        assertEquals(new HistoryRetention.Sweep(0, null, false), sweeper.sweep());

        // Once its node released the resource, the failed deallocation goes too.
        assertTrue(store.deleteResource(kept.uid()));
        assertEquals(1, sweeper.sweep().deleted());
        assertFalse(exists(releasing));
    }

    @Test
    void zeroRetentionKeepsEverything() {
        Application ancient = app(Duration.ofDays(3650), RECALLED);

        HistoryRetention.Sweep sweep = retention(Duration.ZERO, 10).sweep();

        assertEquals(0, sweep.deleted());
        assertNull(sweep.oldestFinishedAt());
        assertTrue(exists(ancient));
    }

    @Test
    void sweepersRacingCountEachApplicationOnce() {
        List<Application> apps = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            apps.add(app(Duration.ofDays(8).plusMinutes(i), RECALLED));
        }
        List<CompletableFuture<HistoryRetention.Sweep>> sweeps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HistoryRetention sweeper = retention(WEEK, 100);
            sweeps.add(CompletableFuture.supplyAsync(sweeper::sweep));
        }

        int deleted = sweeps.stream().mapToInt(f -> f.join().deleted()).sum();

        assertEquals(apps.size(), deleted);
        assertTrue(apps.stream().noneMatch(this::exists));
        assertEquals(Optional.empty(), store.currentState(apps.get(0).uid()));
    }
}
