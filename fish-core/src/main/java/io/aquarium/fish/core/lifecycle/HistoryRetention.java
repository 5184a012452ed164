package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.config.GoDuration;
import io.aquarium.fish.core.store.FinishedApplication;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes finished applications (RECALLED, DEALLOCATED, ERROR) with their history once
 * {@code history_retention} has passed since they finished, so the store and every list stop growing
 * with each application ever run. {@link #due} decides on data alone; {@link #sweep} reads the store
 * ({@link FishStore#finishedBefore}), asks it and deletes ({@link FishStore#deleteApplicationHistory}).
 *
 * <p>Bounded work: a sweep deletes at most {@link #BATCH} applications, each in its own short store
 * transaction, so no lock is held for long and a backlog (a first start with months of history) is
 * worked off over several sweeps, {@link #BACKLOG_PAUSE} apart, instead of in one long stall.
 *
 * <p>Every node of a cluster sweeps: the delete is idempotent and answers true to one node only, and
 * only that node counts the application, so each deletion is logged once.
 */
public final class HistoryRetention {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);
    /** Applications deleted at most per sweep: a few seconds of store work even on a cluster. */
    public static final int BATCH = 500;
    /** Between sweeps while nothing is left over: retention counts in hours or days, so this is prompt. */
    public static final Duration INTERVAL = Duration.ofSeconds(30);
    /** Between sweeps while a backlog lasts: lets the node's other work through between batches. */
    public static final Duration BACKLOG_PAUSE = Duration.ofSeconds(2);
    /** Before the first sweep: a starting node first serves, elects and reconciles. */
    public static final Duration FIRST_SWEEP = Duration.ofSeconds(10);

    /** What one sweep deleted: how many applications, and when the oldest of them finished (null: none). */
    public record Sweep(int deleted, Instant oldestFinishedAt, boolean batchFull) {
    }

    private final FishStore store;
    private final Clock clock;
    private final Duration retention;
    private final int batch;

    /** {@code retention} zero keeps everything: every sweep does nothing. */
    public HistoryRetention(FishStore store, Clock clock, Duration retention) {
        this(store, clock, retention, BATCH);
    }

    HistoryRetention(FishStore store, Clock clock, Duration retention, int batch) {
        if (retention.isNegative() || batch < 1) {
            throw new IllegalArgumentException("retention " + retention + ", batch " + batch);
        }
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.batch = batch;
    }

    /**
     * The applications to delete now, oldest finish first, at most {@code limit}: those that finished
     * more than {@code retention} before {@code now}. None when {@code retention} is zero (keep forever).
     */
    public static List<FinishedApplication> due(Collection<FinishedApplication> finished, Instant now,
                                                Duration retention, int limit) {
        if (retention.isZero()) {
            return List.of();
        }
        Instant cutoff = now.minus(retention);
        return finished.stream().filter(f -> f.finishedAt().isBefore(cutoff))
                .sorted(Comparator.comparing(FinishedApplication::finishedAt)
                        .thenComparing(FinishedApplication::applicationUid))
                .limit(limit).toList();
    }

    /** When the next sweep should run after {@code last}: soon while a backlog lasts, else {@link #INTERVAL}. */
    public static Duration nextDelay(Sweep last) {
        return last.batchFull() ? BACKLOG_PAUSE : INTERVAL;
    }

    /**
     * One sweep: reads at most one batch of applications finished before the cutoff, decides with
     * {@link #due}, deletes; logs one line when it deleted anything.
     */
    public Sweep sweep() {
        if (retention.isZero()) {
            return new Sweep(0, null, false);
        }
        Instant now = clock.instant();
        List<FinishedApplication> candidates = store.finishedBefore(now.minus(retention), batch);
        // In a random order: nodes sweeping at once then mostly delete different applications instead of
        // queueing on the same ones, where all but the first would only find them gone.
        List<FinishedApplication> due = new ArrayList<>(due(candidates, now, retention, batch));
        Collections.shuffle(due);
        int deleted = 0;
        Instant oldest = null;
        for (FinishedApplication app : due) {
            // False: another node deleted it first (and counts it), or it is already gone.
            if (store.deleteApplicationHistory(app.applicationUid())) {
                deleted++;
                if (oldest == null || app.finishedAt().isBefore(oldest)) {
                    oldest = app.finishedAt();
                }
            }
        }
        if (deleted > 0) {
            LOG.info("History retention: deleted {} finished application(s) and their history, oldest finished at {}"
                    + " (history_retention {})", deleted, oldest, GoDuration.format(retention));
        }
        return new Sweep(deleted, oldest, candidates.size() >= batch);
    }

    /**
     * Runs sweeps on {@code executor} until it shuts down: the first after {@link #FIRST_SWEEP}, each next
     * after {@link #nextDelay}. A failing sweep (store unavailable) is reported in one line and tried
     * again after {@link #INTERVAL}. Nothing is scheduled when retention is zero.
     */
    public void schedule(ScheduledExecutorService executor) {
        if (!retention.isZero()) {
            scheduleNext(executor, FIRST_SWEEP);
        }
    }

    private void scheduleNext(ScheduledExecutorService executor, Duration delay) {
        try {
            executor.schedule(() -> {
                Duration next = INTERVAL;
                try {
                    next = nextDelay(sweep());
                } catch (StoreException e) {
                    LOG.warn("Finished applications are deleted later: {}", e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn("History retention sweep failed", e);
                }
                scheduleNext(executor, next);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            // The node is stopping.
        }
    }
}
