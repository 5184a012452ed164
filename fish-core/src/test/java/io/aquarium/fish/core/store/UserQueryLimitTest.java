package io.aquarium.fish.core.store;

import io.aquarium.fish.core.error.FishException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** At most so many user-filtered lists run at once; one more is refused (503) rather than queued for long. */
class UserQueryLimitTest {
    @Test
    void aQueryBeyondTheBoundIsRefusedUntilAPlaceFrees() throws Exception {
        UserQueryLimit limit = new UserQueryLimit(Duration.ofMillis(50), 1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> limit.run(() -> {
            inside.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        }));
        assertTrue(inside.await(30, TimeUnit.SECONDS));

        FishException e = assertThrows(FishException.class, () -> limit.run(() -> "never"));

        assertEquals(FishException.Kind.UNAVAILABLE, e.kind());
        assertEquals("Too many filtered lists are running on this node (1 at most); try again", e.getMessage());
        release.countDown();
        assertEquals("held", holder.get(30, TimeUnit.SECONDS));
        assertEquals("ran", limit.run(() -> "ran"));
    }

    @Test
    void aFailedQueryFreesItsPlace() {
        UserQueryLimit limit = new UserQueryLimit(Duration.ofMillis(50), 1);
        assertThrows(IllegalStateException.class, () -> limit.run(() -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals("ran", limit.run(() -> "ran"));
    }

    @Test
    void theTimeoutMessageNamesTheLimit() {
        FishException e = new UserQueryLimit().timedOut();
        assertEquals(FishException.Kind.UNAVAILABLE, e.kind());
        assertEquals("The filter did not finish within 500 ms; narrow it or try again", e.getMessage());
    }
}
