package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.store.StoreException;
import io.aquarium.fish.core.store.StoreTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallDeadlineTest {
    private static final int MAX_WAITING = 3;
    private final CallDeadline deadline = new CallDeadline(MAX_WAITING);
    private static final Duration WITHIN = Duration.ofMillis(200);
    /** Released at the end: the calls left waiting stand for Ignite calls the cluster never answers. */
    private final CountDownLatch cluster = new CountDownLatch(1);

    @AfterEach
    void release() {
        cluster.countDown();
        deadline.close();
    }

    private Integer waitForCluster() {
        try {
            cluster.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    @Test
    void aCallThatGetsNoAnswerEndsAtTheDeadlineWithItsOutcomeUnknown() {
        StoreTimeoutException e = assertThrows(StoreTimeoutException.class,
                () -> deadline.call("create application", WITHIN, this::waitForCluster));
        assertTrue(e.getMessage().contains("create application"), e.getMessage());
        assertTrue(e.getMessage().contains("outcome is unknown"), e.getMessage());
    }

    @Test
    void answersAndFailuresComeThroughUnchanged() {
        assertEquals(7, deadline.call("read", WITHIN, () -> 7));
        IllegalStateException failure = new IllegalStateException("node stopped");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> deadline.call("read", WITHIN, () -> {
            throw failure;
        })));
    }

    @Test
    void aCallMadeInsideACallStaysOnItsThread() {
        AtomicReference<Thread> inner = new AtomicReference<>();
        Thread outer = deadline.call("transaction", WITHIN, () -> {
            deadline.call("read inside it", WITHIN, () -> {
                inner.set(Thread.currentThread());
                return null;
            });
            return Thread.currentThread();
        });
        assertSame(outer, inner.get(), "an Ignite transaction belongs to its thread");
        assertNotEquals(Thread.currentThread(), outer, "the outer call ran on a call thread");
    }

    @Test
    void callsBeyondTheLimitOfWaitingOnesAreRefusedAtOnce() {
        for (int i = 0; i < MAX_WAITING; i++) {
            assertThrows(StoreTimeoutException.class, () -> deadline.call("stuck", WITHIN, this::waitForCluster));
        }
        StoreException refused = assertThrows(StoreException.class, () -> deadline.call("one more", WITHIN, () -> 1));
        assertTrue(refused.getMessage().contains("already waiting"), refused.getMessage());
    }
}
