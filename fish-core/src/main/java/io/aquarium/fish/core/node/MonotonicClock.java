package io.aquarium.fish.core.node;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timestamps for rows whose order matters (states, votes, labels): microsecond precision (what the
 * store keeps) and strictly increasing across all callers, even when the wall clock stands still
 * or steps back. During a backward step it runs one microsecond per call until the wall clock
 * catches up.
 */
public final class MonotonicClock {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final Clock clock;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);

    public MonotonicClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Instant now() {
        Instant wall = clock.instant();
        long wallMicros = Math.addExact(Math.multiplyExact(wall.getEpochSecond(), MICROS_PER_SECOND),
                wall.getNano() / 1_000);
        long micros = lastMicros.accumulateAndGet(wallMicros, (last, candidate) -> Math.max(candidate, last + 1));
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L);
    }

    /** The wall clock underneath, for times that need no ordering (timeouts, cache ages). */
    public Clock clock() {
        return clock;
    }
}
