package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.error.RetryLaterException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HashPermitsTest {
    private static final int HASH_KIB = Argon2idHasher.DEFAULT_MEMORY_KIB;
    private static final long MIB = 1024 * 1024;

    @Test
    void theBudgetIsAQuarterOfTheHeapAtMostOneHashPerCoreAndAtLeastOneHash() {
        Duration wait = Duration.ofSeconds(1);
        assertEquals(2 * HASH_KIB, HashPermits.forHeap(512 * MIB, 2, HASH_KIB, wait).budgetKiB());
        assertEquals(HASH_KIB, HashPermits.forHeap(256 * MIB, 2, HASH_KIB, wait).budgetKiB());
        assertEquals(4 * HASH_KIB, HashPermits.forHeap(64 * 1024 * MIB, 4, HASH_KIB, wait).budgetKiB());
        assertEquals(HASH_KIB, HashPermits.forHeap(64 * MIB, 8, HASH_KIB, wait).budgetKiB());
    }

    @Test
    void noMoreMemoryThanTheBudgetIsInUseAtOnce() throws Exception {
        HashPermits permits = new HashPermits(3 * 64, Duration.ofSeconds(30));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> permits.run(64, () -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return inFlight.decrementAndGet();
                })));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (permits.waiting() < threads - 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(threads - 3, permits.waiting());
            gate.countDown();
            for (Future<Integer> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
        assertEquals(3, maxInFlight.get());
    }

    @Test
    void aComputationThatWaitsTooLongIsRefusedWithRetryAfterAndNeverRuns() throws Exception {
        HashPermits permits = new HashPermits(64, Duration.ofMillis(100));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> holder = pool.submit(() -> permits.run(64, () -> {
                holding.countDown();
                try {
                    return release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }));
            holding.await(10, TimeUnit.SECONDS);
            AtomicBoolean ran = new AtomicBoolean();

            RetryLaterException refused = assertThrows(RetryLaterException.class,
                    () -> permits.run(1, () -> ran.getAndSet(true)));

            assertEquals(FishException.Kind.UNAVAILABLE, refused.kind());
            assertEquals(Duration.ofSeconds(1), refused.retryAfter());
            assertFalse(ran.get());
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        // The refusal took nothing: the whole budget is free again.
        assertEquals(Boolean.TRUE, permits.run(64, () -> true));
    }

    @Test
    void aHashCostlierThanTheWholeBudgetRunsAloneRatherThanNever() {
        HashPermits permits = new HashPermits(64, Duration.ofMillis(100));
        assertEquals("ran", permits.run(1024 * 1024, () -> "ran"));
    }
}
