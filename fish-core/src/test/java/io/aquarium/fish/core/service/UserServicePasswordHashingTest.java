package io.aquarium.fish.core.service;

import io.aquarium.fish.core.auth.Argon2idHasher;
import io.aquarium.fish.core.auth.Authenticator;
import io.aquarium.fish.core.auth.HashPermits;
import io.aquarium.fish.core.auth.LoginThrottle;
import io.aquarium.fish.core.auth.PasswordGenerator;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.error.RetryLaterException;
import io.aquarium.fish.core.model.PasswordHash;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.store.h2.H2Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Password hashing (user creation, password change) and login checks share one bound on Argon2 memory. */
class UserServicePasswordHashingTest {
    private static final String ADDRESS = "192.0.2.10";
    private final GatedHasher hasher = new GatedHasher();
    private final Clock clock = Clock.systemUTC();
    private H2Store store;
    private User admin;

    @BeforeEach
    void openStore(@TempDir Path dir) {
        store = H2Store.open(dir.resolve("fish_data"));
        admin = new User(User.ADMIN, clock.instant(), clock.instant(), hasher.hash("admin-pw"));
        store.createUser(admin);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private UserService users(HashPermits permits, Authenticator authenticator) {
        return new UserService(store, hasher, permits, new PasswordGenerator(new SecureRandom()),
                new MonotonicClock(clock), authenticator);
    }

    private Authenticator authenticator(HashPermits permits) {
        return new Authenticator(store, hasher, permits, new LoginThrottle(clock, Duration.ofSeconds(30)), clock, 100, Duration.ofMinutes(5));
    }

    @Test
    void passwordChangesAndLoginsTogetherStayWithinTheBound() throws Exception {
        HashPermits permits = new HashPermits(2 * hasher.memoryKiB(), Duration.ofSeconds(30));
        Authenticator authenticator = authenticator(permits);
        UserService users = users(permits, authenticator);
        int each = 8;
        for (int i = 0; i < each; i++) {
            users.createOrUpdate(admin, "login-" + i, "pw");
        }
        CountDownLatch gate = new CountDownLatch(1);
        hasher.gate = gate;
        ExecutorService pool = Executors.newFixedThreadPool(2 * each);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                String name = "login-" + i;
                results.add(pool.submit(() -> users.createOrUpdate(admin, "changed-" + name, "new-pw")));
                results.add(pool.submit((Callable<?>) () -> authenticator.authenticate(name, "pw", ADDRESS)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (permits.waiting() < 2 * each - 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(2 * each - 2, permits.waiting(), "all but two wait for Argon2 memory");
            assertEquals(2, hasher.inFlight.get());
            gate.countDown();
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
        assertEquals(2, hasher.maxInFlight.get());
    }

    @Test
    void aPasswordChangeThatFindsNoArgon2MemoryIs503AndChangesNothing() throws Exception {
        HashPermits permits = new HashPermits(hasher.memoryKiB(), Duration.ofMillis(100));
        Authenticator authenticator = authenticator(permits);
        UserService users = users(permits, authenticator);
        users.createOrUpdate(admin, "bob", "old-pw");
        PasswordHash before = store.user("bob").orElseThrow().hash();
        User bob = authenticator.authenticate("bob", "old-pw", ADDRESS).orElseThrow();
        CountDownLatch gate = new CountDownLatch(1);
        hasher.gate = gate;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = pool.submit(() -> users.createOrUpdate(admin, "carol", "pw"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hasher.inFlight.get() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }

            RetryLaterException busy = assertThrows(RetryLaterException.class,
                    () -> users.createOrUpdate(bob, "bob", "new-pw"));

            assertEquals(FishException.Kind.UNAVAILABLE, busy.kind());
            assertEquals(Duration.ofSeconds(1), busy.retryAfter());
            gate.countDown();
            holder.get(30, TimeUnit.SECONDS);
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
        assertEquals(before, store.user("bob").orElseThrow().hash());
        assertTrue(authenticator.authenticate("bob", "old-pw", ADDRESS).isPresent());
    }

    /** Cheap real Argon2id (64 KiB) that counts hashes and checks running at once; a set gate holds each. */
    private static final class GatedHasher extends Argon2idHasher {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile CountDownLatch gate;

        GatedHasher() {
            super(new SecureRandom(), 64, 1, 1);
        }

        @Override
        public PasswordHash hash(String password) {
            return held(() -> super.hash(password));
        }

        @Override
        public boolean verify(String password, PasswordHash stored) {
            return held(() -> super.verify(password, stored));
        }

        private <T> T held(java.util.function.Supplier<T> work) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                CountDownLatch waitFor = gate;
                if (waitFor != null && !waitFor.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("gate never opened");
                }
                return work.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
