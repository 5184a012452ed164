package io.aquarium.fish.core.store;

import io.aquarium.fish.core.error.FishException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds the lists whose filter a user wrote ({@link io.aquarium.fish.core.filter.Filter#fromUserText()}):
 * the database gives each at most {@link #timeout()}, and at most {@link #concurrent()} run at once on
 * a node. A store's connections (H2 has 16) and CPU are shared with logins, elections and the Meta
 * API; however costly users make their filters, those keep most of them.
 */
public final class UserQueryLimit {
    public static final Duration TIMEOUT = Duration.ofMillis(500);
    public static final int CONCURRENT = 4;

    private final Duration timeout;
    private final int concurrent;
    private final Semaphore running;

    public UserQueryLimit() {
        this(TIMEOUT, CONCURRENT);
    }

    public UserQueryLimit(Duration timeout, int concurrent) {
        this.timeout = timeout;
        this.concurrent = concurrent;
        this.running = new Semaphore(concurrent, true);
    }

    public Duration timeout() {
        return timeout;
    }

    public int concurrent() {
        return concurrent;
    }

    /**
     * Runs {@code query} once one of the {@link #concurrent()} places is free; waits for one no longer
     * than a query may run, so the answer still comes within about twice {@link #timeout()}.
     */
    public <T> T run(Supplier<T> query) {
        boolean admitted;
        try {
            admitted = running.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new FishException(FishException.Kind.UNAVAILABLE, "Too many filtered lists are running on this node ("
                    + concurrent + " at most); try again");
        }
        try {
            return query.get();
        } finally {
            running.release();
        }
    }

    /** What a store throws when the database stopped a query at {@link #timeout()}. */
    public FishException timedOut() {
        return new FishException(FishException.Kind.UNAVAILABLE, "The filter did not finish within "
                + timeout.toMillis() + " ms; narrow it or try again");
    }
}
