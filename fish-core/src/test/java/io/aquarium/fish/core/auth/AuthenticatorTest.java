package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.model.User;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    private final UserOnlyStore store = new UserOnlyStore();
    private final CountingHasher hasher = new CountingHasher();
    private final MutableClock clock = new MutableClock(T0);

    private Authenticator authenticator(int cacheSize, int maxConcurrentHashes) {
        return new Authenticator(store, hasher, clock, cacheSize, TTL, maxConcurrentHashes);
    }

    private void addUser(String name, String password) {
        store.put(new User(name, T0, T0, hasher.hash(password)));
    }

    @Test
    void acceptsTheRightPasswordOnly() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);

        Optional<User> user = auth.authenticate("alice", "right");
        assertTrue(user.isPresent());
        assertEquals("alice", user.get().name());
        assertTrue(auth.authenticate("alice", "wrong").isEmpty());
        assertTrue(auth.authenticate("alice", "").isEmpty());
        assertTrue(auth.authenticate("alice", null).isEmpty());
        assertTrue(auth.authenticate("ALICE", "right").isEmpty());
    }

    @Test
    void unknownUserFailsWithoutHashing() {
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("nobody", "pw").isEmpty());
        assertTrue(auth.authenticate("", "pw").isEmpty());
        assertEquals(0, hasher.verifications.get());
    }

    @Test
    void repeatedCredentialsAreVerifiedOnce() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);

        for (int i = 0; i < 5; i++) {
            assertTrue(auth.authenticate("alice", "right").isPresent());
        }
        assertEquals(1, hasher.verifications.get());
        assertEquals(1, auth.cachedCredentials());
    }

    @Test
    void wrongPasswordsAreNeverServedFromTheCache() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "right").isPresent());

        assertTrue(auth.authenticate("alice", "wrong").isEmpty());
        assertTrue(auth.authenticate("alice", "wrong").isEmpty());
        assertEquals(3, hasher.verifications.get());
    }

    @Test
    void nameAndPasswordBoundariesDoNotCollide() {
        // "a" + NUL + "b\0c" and "a\0b" + NUL + "c" feed the same bytes to the MAC.
        addUser("a", "b\0c");
        addUser("a\0b", "other");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("a", "b\0c").isPresent());

        assertTrue(auth.authenticate("a\0b", "c").isEmpty());
    }

    @Test
    void passwordChangeInvalidatesTheCachedCredential() {
        addUser("alice", "old");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "old").isPresent());

        // Written by "another node": this authenticator is not told.
        addUser("alice", "new");

        assertTrue(auth.authenticate("alice", "old").isEmpty());
        assertTrue(auth.authenticate("alice", "new").isPresent());
        assertTrue(auth.authenticate("alice", "new").isPresent());
        assertEquals(3, hasher.verifications.get());
    }

    @Test
    void rehashingTheSamePasswordStillNeedsAFreshCheck() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw").isPresent());

        addUser("alice", "pw");

        assertTrue(auth.authenticate("alice", "pw").isPresent());
        assertEquals(2, hasher.verifications.get());
    }

    @Test
    void deletedUserIsRejectedDespiteTheCache() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw").isPresent());

        store.remove("alice");

        assertTrue(auth.authenticate("alice", "pw").isEmpty());
    }

    @Test
    void cachedCredentialsExpireAfterTheTtl() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw").isPresent());

        clock.advance(TTL.minusNanos(1));
        assertTrue(auth.authenticate("alice", "pw").isPresent());
        assertEquals(1, hasher.verifications.get());

        clock.advance(Duration.ofNanos(1));
        assertTrue(auth.authenticate("alice", "pw").isPresent());
        assertEquals(2, hasher.verifications.get());
    }

    @Test
    void aClockSteppingBackExpiresCachedCredentials() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw").isPresent());

        clock.advance(Duration.ofSeconds(-1));

        assertTrue(auth.authenticate("alice", "pw").isPresent());
        assertEquals(2, hasher.verifications.get());
    }

    @Test
    void cacheIsBoundedAndEvictsTheLeastRecentlyUsed() {
        addUser("a", "pa");
        addUser("b", "pb");
        addUser("c", "pc");
        Authenticator auth = authenticator(2, 2);

        auth.authenticate("a", "pa");
        auth.authenticate("b", "pb");
        auth.authenticate("a", "pa"); // hit: now b is the least recently used
        auth.authenticate("c", "pc");
        assertEquals(2, auth.cachedCredentials());
        assertEquals(3, hasher.verifications.get());

        auth.authenticate("a", "pa");
        auth.authenticate("c", "pc");
        assertEquals(3, hasher.verifications.get(), "a and c stayed cached");
        auth.authenticate("b", "pb");
        assertEquals(4, hasher.verifications.get(), "b was evicted");
        assertEquals(2, auth.cachedCredentials());
    }

    @Test
    void cacheSizeZeroDisablesCaching() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(0, 2);
        assertTrue(auth.authenticate("alice", "pw").isPresent());
        assertTrue(auth.authenticate("alice", "pw").isPresent());
        assertEquals(2, hasher.verifications.get());
        assertEquals(0, auth.cachedCredentials());
    }

    @Test
    void invalidateForgetsOnlyThatUser() {
        addUser("alice", "pa");
        addUser("bob", "pb");
        Authenticator auth = authenticator(100, 2);
        auth.authenticate("alice", "pa");
        auth.authenticate("bob", "pb");

        auth.invalidate("alice");

        assertEquals(1, auth.cachedCredentials());
        auth.authenticate("bob", "pb");
        assertEquals(2, hasher.verifications.get());
        auth.authenticate("alice", "pa");
        assertEquals(3, hasher.verifications.get());
    }

    @Test
    void concurrentRequestsWithOneCredentialHashOnce() throws Exception {
        addUser("jenkins", "token");
        Authenticator auth = authenticator(100, 1);
        CountDownLatch gate = new CountDownLatch(1);
        hasher.gate = gate;
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        ok += auth.authenticate("jenkins", "token").isPresent() ? 1 : 0;
                    }
                    return ok;
                }));
            }
            // A cold cache: all 50 miss; 49 queue while the first one hashes.
            awaitWaiting(auth, 49);
            gate.countDown();
            for (Future<Integer> result : results) {
                assertEquals(200, result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
        assertEquals(1, hasher.verifications.get());
    }

    private static void awaitWaiting(Authenticator auth, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (auth.waitingForHash() < expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(expected, auth.waitingForHash());
    }

    @Test
    void concurrentArgon2IsBounded() throws Exception {
        int permits = 3;
        int threads = 20;
        for (int i = 0; i < threads; i++) {
            addUser("user" + i, "pw");
        }
        Authenticator auth = authenticator(100, permits);
        CountDownLatch gate = new CountDownLatch(1);
        hasher.gate = gate;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = "user" + i;
                results.add(pool.submit(() -> auth.authenticate(name, "wrong").isPresent()));
            }
            // Hold the gate until every other request is queued behind the semaphore.
            awaitWaiting(auth, threads - permits);
            assertEquals(permits, hasher.inFlight.get());
            gate.countDown();
            for (Future<Boolean> result : results) {
                assertFalse(result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
        assertEquals(permits, hasher.maxInFlight.get());
        assertEquals(threads, hasher.verifications.get());
    }

    @Test
    void rejectsNonsensicalSettings() {
        assertThrows(IllegalArgumentException.class, () -> authenticator(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> authenticator(1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Authenticator(store, hasher, clock, 1, Duration.ofSeconds(-1), 1));
    }
}
