package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.error.RetryLaterException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoginThrottleTest {
    private static final String HOME = "192.0.2.1";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, Duration.ofSeconds(30));

    private void fail(String name, String address) {
        try (LoginThrottle.Attempt attempt = throttle.admit(name, address)) {
            attempt.failed();
        }
    }

    private void succeed(String name, String address) {
        try (LoginThrottle.Attempt attempt = throttle.admit(name, address)) {
            attempt.succeeded();
        }
    }

    private Duration refusal(String name, String address) {
        RetryLaterException refused = assertThrows(RetryLaterException.class, () -> throttle.admit(name, address));
        assertEquals(FishException.Kind.TOO_MANY_REQUESTS, refused.kind());
        return refused.retryAfter();
    }

    @Test
    void aPairIsLockedAfterItsFreeFailuresForATimeThatDoubles() {
        failTimes("alice", HOME, LoginThrottle.PAIR.freeFailures() - 1);
        throttle.admit("alice", HOME).close(); // still free
        fail("alice", HOME);

        assertEquals(Duration.ofSeconds(1), refusal("alice", HOME));
        clock.advance(Duration.ofSeconds(1));
        fail("alice", HOME);
        assertEquals(Duration.ofSeconds(2), refusal("alice", HOME));
        clock.advance(Duration.ofSeconds(2));
        fail("alice", HOME);
        assertEquals(Duration.ofSeconds(4), refusal("alice", HOME));
    }

    @Test
    void theLockStopsAtTheRulesMaximum() {
        for (int i = 0; i < 30; i++) {
            clock.advance(LoginThrottle.PAIR.maxLock());
            fail("alice", HOME);
        }
        assertEquals(LoginThrottle.PAIR.maxLock(), refusal("alice", HOME));
        // A clock stepping back does not stretch it either.
        clock.advance(Duration.ofHours(-3));
        assertEquals(LoginThrottle.PAIR.maxLock(), refusal("alice", HOME));
    }

    @Test
    void aPairHasOneCheckAtATimeAndTheNextWaitsForItsOutcome() throws Exception {
        failTimes("alice", HOME, LoginThrottle.PAIR.freeFailures() - 1);
        LoginThrottle.Attempt running = throttle.admit("alice", HOME);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Duration> next = pool.submit(() -> refusal("alice", HOME));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (throttle.waiting() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, throttle.waiting());
            // Other pairs do not wait.
            throttle.admit("alice", "198.51.100.1").close();

            running.failed();

            assertEquals(Duration.ofSeconds(1), next.get(10, TimeUnit.SECONDS), "it saw the failure that locked");
        } finally {
            running.close();
            pool.shutdownNow();
        }
    }

    @Test
    void aPairWhoseCheckRunsTooLongMakesTheNextAttemptRetryLater() {
        LoginThrottle impatient = new LoginThrottle(clock, Duration.ofMillis(50));
        try (LoginThrottle.Attempt running = impatient.admit("alice", HOME)) {
            RetryLaterException busy = assertThrows(RetryLaterException.class, () -> impatient.admit("alice", HOME));
            assertEquals(FishException.Kind.UNAVAILABLE, busy.kind());
        }
        impatient.admit("alice", HOME).close();
    }

    @Test
    void pastItsFreeFailuresANameLetsOneAttemptThroughAtATime() {
        for (int i = 0; i < LoginThrottle.NAME.freeFailures(); i++) {
            fail("alice", "198.51.100." + i);
        }
        clock.advance(Duration.ofSeconds(1));

        LoginThrottle.Attempt probe = throttle.admit("alice", "203.0.113.1");
        assertEquals(Duration.ofSeconds(1), refusal("alice", "203.0.113.2"), "a second concurrent guess waits");
        probe.failed();
        assertEquals(Duration.ofSeconds(2), refusal("alice", "203.0.113.2"));
    }

    @Test
    void anAttemptThatNeverRanCountsNothing() {
        failTimes("alice", HOME, LoginThrottle.PAIR.freeFailures());
        clock.advance(Duration.ofSeconds(1));

        throttle.admit("alice", HOME).close(); // e.g. no Argon2 slot came free

        throttle.admit("alice", HOME).close();
    }

    @Test
    void successForgetsThePairsFailures() {
        failTimes("alice", HOME, LoginThrottle.PAIR.freeFailures() - 1);
        succeed("alice", HOME);
        failTimes("alice", HOME, LoginThrottle.PAIR.freeFailures() - 1);
        throttle.admit("alice", HOME).close();
    }

    @Test
    void failuresAreForgottenAfterAQuietWhile() {
        failTimes("alice", HOME, LoginThrottle.PAIR.freeFailures());
        clock.advance(LoginThrottle.FORGET_AFTER);
        failTimes("alice", HOME, LoginThrottle.PAIR.freeFailures() - 1);
        throttle.admit("alice", HOME).close();
    }

    @Test
    void aNameGuessedFromManyAddressesIsLockedExceptWhereItsUserLoggedInBefore() {
        succeed("alice", HOME);
        for (int i = 0; i < LoginThrottle.NAME.freeFailures(); i++) {
            fail("alice", "198.51.100." + i);
        }
        assertEquals(Duration.ofSeconds(1), refusal("alice", "203.0.113.9"));
        // alice's own address is exempt from the name rule: the attack cannot lock her out there.
        throttle.admit("alice", HOME).close();
        // Other names are untouched.
        throttle.admit("bob", "203.0.113.9").close();
    }

    @Test
    void anAddressTryingManyNamesIsLockedExceptForPairsThatLoggedInBefore() {
        String shared = "203.0.113.50";
        succeed("carol", shared);
        for (int i = 0; i < LoginThrottle.ADDRESS.freeFailures(); i++) {
            fail("user-" + i, shared);
        }
        assertEquals(Duration.ofSeconds(1), refusal("dave", shared));
        throttle.admit("carol", shared).close();
        throttle.admit("dave", HOME).close();
    }

    @Test
    void stateIsBoundedDroppingTheLeastRecentlyFailingKeys() {
        LoginThrottle.Rule strict = new LoginThrottle.Rule(1, Duration.ofMinutes(1), Duration.ofMinutes(1));
        LoginThrottle small = new LoginThrottle(clock, Duration.ofSeconds(30), strict, strict, strict, 2);
        try (LoginThrottle.Attempt a = small.admit("a", "192.0.2.1")) {
            a.failed();
        }
        assertThrows(RetryLaterException.class, () -> small.admit("a", "192.0.2.1"));
        for (int i = 2; i <= 3; i++) {
            try (LoginThrottle.Attempt other = small.admit("user-" + i, "192.0.2." + i)) {
                other.failed();
            }
        }
        // a's keys were the least recently used of three: forgotten, so admitted again.
        small.admit("a", "192.0.2.1").close();
    }

    @Test
    void anIpv6HostCountsByItsSlash64() {
        assertEquals(LoginThrottle.addressKey("2001:db8:1:2::1"), LoginThrottle.addressKey("[2001:db8:1:2:ffff::9]"));
        assertNotEquals(LoginThrottle.addressKey("2001:db8:1:2::1"), LoginThrottle.addressKey("2001:db8:1:3::1"));
        assertEquals("192.0.2.1", LoginThrottle.addressKey("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", LoginThrottle.addressKey("192.0.2.1"));

        failTimes("alice", "2001:db8:1:2::1", LoginThrottle.PAIR.freeFailures());
        refusal("alice", "2001:db8:1:2::abcd");
    }

    private void failTimes(String name, String address, int times) {
        for (int i = 0; i < times; i++) {
            fail(name, address);
        }
    }
}
