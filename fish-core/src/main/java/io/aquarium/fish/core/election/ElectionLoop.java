package io.aquarium.fish.core.election;

import io.aquarium.fish.core.metrics.FishMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs {@link ElectionPass} on its own thread: every {@code interval} as a reconciling heartbeat,
 * at once when {@link #wake()} is called (an application was created, capacity freed, maintenance
 * changed...), and when the last pass said something falls due (a round deadline, a lifetime).
 * Wake-ups that arrive during a pass coalesce into one more pass; events the pass does not want (this
 * node's own votes and claims) wake nothing ({@link #offer}).
 */
public final class ElectionLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ElectionLoop.class);

    private final ElectionPass pass;
    private final Duration interval;
    private final Clock clock;
    private final FishMetrics metrics;
    private final Object lock = new Object();
    private final Thread thread;
    private boolean wakeRequested;
    private boolean running = true;

    public ElectionLoop(ElectionPass pass, Duration interval, Clock clock) {
        this(pass, interval, clock, FishMetrics.NOOP);
    }

    /** {@code metrics} gets the duration of every pass (failed ones too). */
    public ElectionLoop(ElectionPass pass, Duration interval, Clock clock, FishMetrics metrics) {
        this.pass = pass;
        this.interval = interval;
        this.clock = clock;
        this.metrics = metrics;
        this.thread = new Thread(this::loop, "fish-election");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Wakes the loop for {@code event} unless the pass says it cannot change anything. */
    public void offer(io.aquarium.fish.core.events.FishEvent event) {
        if (pass.wants(event)) {
            wake();
        }
    }

    public void wake() {
        synchronized (lock) {
            wakeRequested = true;
            lock.notifyAll();
        }
    }

    private void loop() {
        while (true) {
            synchronized (lock) {
                if (!running) {
                    return;
                }
                wakeRequested = false;
            }
            Instant next = clock.instant().plus(interval);
            long started = System.nanoTime();
            try {
                Optional<Instant> due = pass.run(true);
                if (due.isPresent() && due.get().isBefore(next)) {
                    next = due.get();
                }
            } catch (RuntimeException e) {
                LOG.warn("Election pass failed", e);
            }
            metrics.electionPass(Duration.ofNanos(System.nanoTime() - started));
            waitUntil(next);
        }
    }

    private void waitUntil(Instant next) {
        synchronized (lock) {
            while (running && !wakeRequested) {
                long millis = Duration.between(clock.instant(), next).toMillis();
                if (millis <= 0) {
                    return;
                }
                try {
                    lock.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
