package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.error.RetryLaterException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one bound on Argon2id work in a node: every password hash (user creation, password change)
 * and every verification (login) holds permits for the memory it allocates, 64 MiB for a default
 * hash, so their sum stays within a fixed budget however many requests arrive at once.
 *
 * <p>A request waits for its turn (first come, first served) at most {@code maxWait}; then it gets
 * a 503 with {@code Retry-After} rather than hold a web thread for long.
 */
public final class HashPermits {
    /** How long a request waits for Argon2 memory before the node answers 503. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(3);
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final int budgetKiB;
    private final Duration maxWait;
    // One permit per KiB of Argon2 memory; fair, so a burst of requests cannot starve an early one.
    private final Semaphore permits;

    /**
     * @param budgetKiB most Argon2 memory in use at once
     * @param maxWait   how long a computation waits for its memory before it is refused
     */
    public HashPermits(int budgetKiB, Duration maxWait) {
        if (budgetKiB < 1) {
            throw new IllegalArgumentException("budgetKiB must be >= 1: " + budgetKiB);
        }
        this.budgetKiB = budgetKiB;
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.permits = new Semaphore(budgetKiB, true);
    }

    /**
     * The budget for a JVM: a quarter of its maximum heap, no more than one hash of
     * {@code hashMemoryKiB} per core (Argon2 is CPU work too), and never less than one such hash.
     * With {@code -Xmx512m} and default hashes that is two at once; with 256 MiB, one.
     */
    public static HashPermits forHeap(long maxHeapBytes, int cores, int hashMemoryKiB, Duration maxWait) {
        long quarterOfHeapKiB = maxHeapBytes / 4 / 1024;
        long onePerCoreKiB = (long) Math.max(1, cores) * hashMemoryKiB;
        long budget = Math.max(hashMemoryKiB, Math.min(quarterOfHeapKiB, onePerCoreKiB));
        return new HashPermits((int) Math.min(Integer.MAX_VALUE, budget), maxWait);
    }

    /**
     * Runs {@code work}, an Argon2 computation needing {@code memoryKiB}, once that much of the
     * budget is free.
     *
     * @throws RetryLaterException (UNAVAILABLE) when the memory was not free within the wait
     */
    public <T> T run(int memoryKiB, Supplier<T> work) {
        // A stored hash asking for more than the whole budget (a foreign or odd row) runs alone.
        int weight = Math.max(1, Math.min(memoryKiB, budgetKiB));
        boolean acquired;
        try {
            acquired = permits.tryAcquire(weight, maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FishException(FishException.Kind.UNAVAILABLE, "Interrupted while checking credentials", e);
        }
        if (!acquired) {
            throw busy();
        }
        try {
            return work.get();
        } finally {
            permits.release(weight);
        }
    }

    /** The refusal when a password check or hash waited too long for its turn. */
    static RetryLaterException busy() {
        return new RetryLaterException(FishException.Kind.UNAVAILABLE,
                "Too many password checks at once, try again shortly", RETRY_AFTER);
    }

    /** Most Argon2 memory in use at once, in KiB. */
    public int budgetKiB() {
        return budgetKiB;
    }

    /** Computations waiting for memory (for metrics and tests). */
    public int waiting() {
        return permits.getQueueLength();
    }
}
