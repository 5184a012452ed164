package io.aquarium.fish.api.it;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits on a running node from outside: reads a value until it satisfies a condition or the
 * deadline passes, then fails with the last value seen. Black-box tests cannot inject a clock, so
 * they poll real time; the interval keeps that cheap.
 */
final class Poll {
    static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {
    }

    /** The first value read that satisfies {@code condition}; fails after {@code timeout}. */
    static <T> T until(String what, Duration timeout, Supplier<T> read, Predicate<? super T> condition) {
        Outcome<T> outcome = poll(timeout, read, condition);
        if (!outcome.met()) {
            throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what
                    + "; last seen: " + outcome.last());
        }
        return outcome.last();
    }

    /** The first value read that satisfies {@code condition}, or empty when {@code timeout} passed first. */
    static <T> Optional<T> within(Duration timeout, Supplier<T> read, Predicate<? super T> condition) {
        Outcome<T> outcome = poll(timeout, read, condition);
        return outcome.met() ? Optional.of(outcome.last()) : Optional.empty();
    }

    /** The last value read and whether it satisfied the condition. */
    record Outcome<T>(T last, boolean met) {
    }

    /** Reads until {@code condition} holds or {@code timeout} passed. */
    static <T> Outcome<T> poll(Duration timeout, Supplier<T> read, Predicate<? super T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T last = read.get();
            if (condition.test(last)) {
                return new Outcome<>(last, true);
            }
            if (System.nanoTime() - deadline >= 0) {
                return new Outcome<>(last, false);
            }
            pause(INTERVAL);
        }
    }

    /** Reads for the whole {@code period} and fails as soon as a value differs from {@code expected}. */
    static <T> void stays(String what, Duration period, Supplier<T> read, T expected) {
        long end = System.nanoTime() + period.toNanos();
        do {
            T seen = read.get();
            if (!Objects.equals(seen, expected)) {
                throw new AssertionError("Expected " + what + " to stay " + expected + " for " + period.toMillis()
                        + " ms, but saw " + seen);
            }
            pause(INTERVAL);
        } while (System.nanoTime() - end < 0);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
