package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.error.RetryLaterException;
import io.aquarium.fish.core.model.PasswordHash;
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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String ADDRESS = "192.0.2.10";

    private final UserOnlyStore store = new UserOnlyStore();
    private final CountingHasher hasher = new CountingHasher();
    private final MutableClock clock = new MutableClock(T0);

    private Authenticator authenticator(int cacheSize, int maxConcurrentHashes) {
        return authenticator(cacheSize, permits(maxConcurrentHashes, Duration.ofSeconds(30)));
    }

    private Authenticator authenticator(int cacheSize, HashPermits permits) {
        return new Authenticator(store, hasher, permits, new LoginThrottle(clock, Duration.ofSeconds(30)), clock, cacheSize, TTL);
    }

    /** Room for {@code hashes} of the test hasher's cost at once. */
    private HashPermits permits(int hashes, Duration maxWait) {
        return new HashPermits(hashes * hasher.memoryKiB(), maxWait);
    }

    private void addUser(String name, String password) {
        store.put(new User(name, T0, T0, hasher.hash(password)));
    }

    @Test
    void acceptsTheRightPasswordOnly() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);

        Optional<User> user = auth.authenticate("alice", "right", ADDRESS);
        assertTrue(user.isPresent());
        assertEquals("alice", user.get().name());
        assertTrue(auth.authenticate("alice", "wrong", ADDRESS).isEmpty());
        assertTrue(auth.authenticate("alice", "", ADDRESS).isEmpty());
        assertTrue(auth.authenticate("alice", null, ADDRESS).isEmpty());
        assertTrue(auth.authenticate("ALICE", "right", ADDRESS).isEmpty());
    }

    @Test
    void anUnknownUserCostsOneArgon2CheckLikeAWrongPassword() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);

        assertTrue(auth.authenticate("nobody", "pw", ADDRESS).isEmpty());
        assertEquals(1, hasher.verifications.get(), "an unknown name is checked against the dummy hash");
        assertTrue(auth.authenticate("alice", "wrong", ADDRESS).isEmpty());
        assertEquals(2, hasher.verifications.get());
        // Nothing to check at all: no name.
        assertTrue(auth.authenticate("", "pw", ADDRESS).isEmpty());
        assertEquals(2, hasher.verifications.get());
    }

    @Test
    void theDummyHashHasTheParametersOfARealOne() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);

        auth.authenticate("nobody", "pw", ADDRESS);
        auth.authenticate("alice", "wrong", ADDRESS);

        assertEquals(2, hasher.checked.size());
        PasswordHash dummy = hasher.checked.get(0);
        PasswordHash real = hasher.checked.get(1);
        assertEquals(real.memoryKiB(), dummy.memoryKiB());
        assertEquals(real.iterations(), dummy.iterations());
        assertEquals(real.threads(), dummy.threads());
        assertEquals(real.hash().length, dummy.hash().length);
        // Made once: every unknown name checks the same one.
        auth.authenticate("other", "pw", ADDRESS);
        assertSame(dummy, hasher.checked.get(2));
    }

    @Test
    void aWrongPasswordFloodIsRefusedBeforeItCostsArgon2() {
        addUser("alice", "right");
        addUser("bob", "pb");
        Authenticator auth = authenticator(100, 2);
        for (int i = 0; i < LoginThrottle.PAIR.freeFailures(); i++) {
            assertTrue(auth.authenticate("alice", "guess-" + i, ADDRESS).isEmpty());
        }
        int checked = hasher.verifications.get();

        RetryLaterException refused = assertThrows(RetryLaterException.class,
                () -> auth.authenticate("alice", "guess-more", ADDRESS));
        assertEquals(FishException.Kind.TOO_MANY_REQUESTS, refused.kind());
        assertEquals(Duration.ofSeconds(1), refused.retryAfter());
        // Even the right password waits out the lock: the lock is what slows guessing.
        assertThrows(RetryLaterException.class, () -> auth.authenticate("alice", "right", ADDRESS));
        assertEquals(checked, hasher.verifications.get(), "refused attempts cost no Argon2");

        // Others are not touched: another user from that address, alice from another address.
        assertTrue(auth.authenticate("bob", "pb", ADDRESS).isPresent());
        assertTrue(auth.authenticate("alice", "right", "198.51.100.7").isPresent());

        clock.advance(Duration.ofSeconds(1));
        assertTrue(auth.authenticate("alice", "right", ADDRESS).isPresent());
    }

    @Test
    void concurrentWrongGuessesFromOneSourceCostOnlyTheFreeFailures() throws Exception {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 4);
        int threads = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String guess = "guess-" + t;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return auth.authenticate("alice", guess, ADDRESS).isEmpty() ? "401" : "200";
                    } catch (RetryLaterException e) {
                        return e.kind().name();
                    }
                }));
            }
            start.countDown();
            int refused = 0;
            for (Future<String> result : results) {
                refused += "TOO_MANY_REQUESTS".equals(result.get(30, TimeUnit.SECONDS)) ? 1 : 0;
            }
            assertEquals(threads - LoginThrottle.PAIR.freeFailures(), refused);
        } finally {
            start.countDown();
            pool.shutdownNow();
        }
        assertEquals(LoginThrottle.PAIR.freeFailures(), hasher.verifications.get());
        assertEquals(1, hasher.maxInFlight.get(), "one check at a time for one user from one address");
    }

    @Test
    void unknownNamesAreThrottledLikeKnownOnes() {
        Authenticator auth = authenticator(100, 2);
        for (int i = 0; i < LoginThrottle.PAIR.freeFailures(); i++) {
            assertTrue(auth.authenticate("nobody", "guess-" + i, ADDRESS).isEmpty());
        }
        RetryLaterException refused = assertThrows(RetryLaterException.class,
                () -> auth.authenticate("nobody", "guess-more", ADDRESS));
        assertEquals(FishException.Kind.TOO_MANY_REQUESTS, refused.kind());
    }

    @Test
    void aCachedCredentialIsNeverThrottled() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "right", ADDRESS).isPresent());
        for (int i = 0; i < LoginThrottle.PAIR.freeFailures(); i++) {
            auth.authenticate("alice", "guess-" + i, ADDRESS);
        }
        assertThrows(RetryLaterException.class, () -> auth.authenticate("alice", "guess", ADDRESS));

        // The logged-in client (a Jenkins controller, say) keeps working through the attack.
        assertTrue(auth.authenticate("alice", "right", ADDRESS).isPresent());
    }

    @Test
    void noFreeArgon2SlotWithinTheWaitAnswersRetryLaterAndCountsNoFailure() throws Exception {
        addUser("alice", "pa");
        addUser("bob", "pb");
        Authenticator auth = authenticator(100, permits(1, Duration.ofMillis(200)));
        CountDownLatch gate = new CountDownLatch(1);
        hasher.gate = gate;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> holder = pool.submit(() -> auth.authenticate("alice", "pa", ADDRESS).isPresent());
            awaitInFlight(1);

            RetryLaterException busy = assertThrows(RetryLaterException.class,
                    () -> auth.authenticate("bob", "pb", ADDRESS));
            assertEquals(FishException.Kind.UNAVAILABLE, busy.kind());
            assertEquals(Duration.ofSeconds(1), busy.retryAfter());
            gate.countDown();
            assertTrue(holder.get(30, TimeUnit.SECONDS));
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
        hasher.gate = null;
        // A busy node is no failed login: bob's next five wrong guesses are still free.
        for (int i = 0; i < LoginThrottle.PAIR.freeFailures() - 1; i++) {
            assertTrue(auth.authenticate("bob", "guess-" + i, ADDRESS).isEmpty());
        }
        assertTrue(auth.authenticate("bob", "pb", ADDRESS).isPresent());
    }

    private void awaitInFlight(int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hasher.inFlight.get() < expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(expected, hasher.inFlight.get());
    }

    @Test
    void repeatedCredentialsAreVerifiedOnce() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);

        for (int i = 0; i < 5; i++) {
            assertTrue(auth.authenticate("alice", "right", ADDRESS).isPresent());
        }
        assertEquals(1, hasher.verifications.get());
        assertEquals(1, auth.cachedCredentials());
    }

    @Test
    void wrongPasswordsAreNeverServedFromTheCache() {
        addUser("alice", "right");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "right", ADDRESS).isPresent());

        assertTrue(auth.authenticate("alice", "wrong", ADDRESS).isEmpty());
        assertTrue(auth.authenticate("alice", "wrong", ADDRESS).isEmpty());
        assertEquals(3, hasher.verifications.get());
    }

    @Test
    void nameAndPasswordBoundariesDoNotCollide() {
        // "a" + NUL + "b\0c" and "a\0b" + NUL + "c" feed the same bytes to the MAC.
        addUser("a", "b\0c");
        addUser("a\0b", "other");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("a", "b\0c", ADDRESS).isPresent());

        assertTrue(auth.authenticate("a\0b", "c", ADDRESS).isEmpty());
    }

    @Test
    void passwordChangeInvalidatesTheCachedCredential() {
        addUser("alice", "old");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "old", ADDRESS).isPresent());

        // Written by "another node": this authenticator is not told.
        addUser("alice", "new");

        assertTrue(auth.authenticate("alice", "old", ADDRESS).isEmpty());
        assertTrue(auth.authenticate("alice", "new", ADDRESS).isPresent());
        assertTrue(auth.authenticate("alice", "new", ADDRESS).isPresent());
        assertEquals(3, hasher.verifications.get());
    }

    @Test
    void rehashingTheSamePasswordStillNeedsAFreshCheck() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());

        addUser("alice", "pw");

        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());
        assertEquals(2, hasher.verifications.get());
    }

    @Test
    void deletedUserIsRejectedDespiteTheCache() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());

        store.remove("alice");

        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isEmpty());
    }

    @Test
    void cachedCredentialsExpireAfterTheTtl() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());

        clock.advance(TTL.minusNanos(1));
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());
        assertEquals(1, hasher.verifications.get());

        clock.advance(Duration.ofNanos(1));
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());
        assertEquals(2, hasher.verifications.get());
    }

    @Test
    void aClockSteppingBackExpiresCachedCredentials() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(100, 2);
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());

        clock.advance(Duration.ofSeconds(-1));

        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());
        assertEquals(2, hasher.verifications.get());
    }

    @Test
    void cacheIsBoundedAndEvictsTheLeastRecentlyUsed() {
        addUser("a", "pa");
        addUser("b", "pb");
        addUser("c", "pc");
        Authenticator auth = authenticator(2, 2);

        auth.authenticate("a", "pa", ADDRESS);
        auth.authenticate("b", "pb", ADDRESS);
        auth.authenticate("a", "pa", ADDRESS); // hit: now b is the least recently used
        auth.authenticate("c", "pc", ADDRESS);
        assertEquals(2, auth.cachedCredentials());
        assertEquals(3, hasher.verifications.get());

        auth.authenticate("a", "pa", ADDRESS);
        auth.authenticate("c", "pc", ADDRESS);
        assertEquals(3, hasher.verifications.get(), "a and c stayed cached");
        auth.authenticate("b", "pb", ADDRESS);
        assertEquals(4, hasher.verifications.get(), "b was evicted");
        assertEquals(2, auth.cachedCredentials());
    }

    @Test
    void cacheSizeZeroDisablesCaching() {
        addUser("alice", "pw");
        Authenticator auth = authenticator(0, 2);
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());
        assertTrue(auth.authenticate("alice", "pw", ADDRESS).isPresent());
        assertEquals(2, hasher.verifications.get());
        assertEquals(0, auth.cachedCredentials());
    }

    @Test
    void invalidateForgetsOnlyThatUser() {
        addUser("alice", "pa");
        addUser("bob", "pb");
        Authenticator auth = authenticator(100, 2);
        auth.authenticate("alice", "pa", ADDRESS);
        auth.authenticate("bob", "pb", ADDRESS);

        auth.invalidate("alice");

        assertEquals(1, auth.cachedCredentials());
        auth.authenticate("bob", "pb", ADDRESS);
        assertEquals(2, hasher.verifications.get());
        auth.authenticate("alice", "pa", ADDRESS);
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
                        ok += auth.authenticate("jenkins", "token", ADDRESS).isPresent() ? 1 : 0;
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
        while (auth.waitingToCheck() < expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(expected, auth.waitingToCheck());
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
                results.add(pool.submit(() -> auth.authenticate(name, "wrong", ADDRESS).isPresent()));
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
        assertThrows(IllegalArgumentException.class, () -> new Authenticator(store, hasher,
                permits(1, Duration.ofSeconds(1)), new LoginThrottle(clock, Duration.ofSeconds(30)), clock, 1, Duration.ofSeconds(-1)));
    }
}
