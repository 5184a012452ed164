package io.aquarium.fish.core.node;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonotonicClockTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456789Z");

    /** A wall clock tests set by hand. */
    private static final class SettableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void truncatesToMicroseconds() {
        MonotonicClock clock = new MonotonicClock(Clock.fixed(T0, ZoneOffset.UTC));
        assertEquals(Instant.parse("2025-03-01T12:00:00.123456Z"), clock.now());
    }

    @Test
    void advancesOneMicrosecondWhileTheWallClockStandsStill() {
        MonotonicClock clock = new MonotonicClock(Clock.fixed(T0, ZoneOffset.UTC));
        Instant first = clock.now();
        Instant second = clock.now();
        Instant third = clock.now();
        assertEquals(first.plusNanos(1_000), second);
        assertEquals(second.plusNanos(1_000), third);
    }

    @Test
    void followsTheWallClockWhenItIsAhead() {
        SettableClock wall = new SettableClock();
        MonotonicClock clock = new MonotonicClock(wall);
        clock.now();
        wall.now.set(T0.plusSeconds(10));
        assertEquals(Instant.parse("2025-03-01T12:00:10.123456Z"), clock.now());
    }

    @Test
    void staysIncreasingWhenTheWallClockStepsBack() {
        SettableClock wall = new SettableClock();
        MonotonicClock clock = new MonotonicClock(wall);
        Instant before = clock.now();
        wall.now.set(T0.minus(Duration.ofHours(1)));
        Instant after = clock.now();
        assertTrue(after.isAfter(before), before + " then " + after);
        assertEquals(before.plusNanos(1_000), after);
    }

    @Test
    void handlesInstantsBeforeTheEpoch() {
        Instant early = Instant.parse("1969-12-31T23:59:59.999999500Z");
        MonotonicClock clock = new MonotonicClock(Clock.fixed(early, ZoneOffset.UTC));
        assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z"), clock.now());
        assertEquals(Instant.EPOCH, clock.now());
    }

    @Test
    void isStrictlyIncreasingAcrossThreads() throws Exception {
        MonotonicClock clock = new MonotonicClock(Clock.fixed(T0, ZoneOffset.UTC));
        Set<Instant> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    Instant previous = Instant.MIN;
                    boolean increasing = true;
                    for (int i = 0; i < 10_000; i++) {
                        Instant now = clock.now();
                        increasing &= now.isAfter(previous);
                        previous = now;
                        seen.add(now);
                    }
                    return increasing;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(80_000, seen.size());
    }

    @Test
    void exposesTheUnderlyingClock() {
        Clock wall = Clock.fixed(T0, ZoneOffset.UTC);
        assertSame(wall, new MonotonicClock(wall).clock());
    }
}
