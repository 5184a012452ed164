package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.drivers.common.RandomNames;

import java.util.random.RandomGenerator;

/**
 * Rolls the fail knobs: 0 never fails, 255 always fails, 1-254 fails with that chance in 254.
 * Also draws the resource names, so one seeded generator makes a whole test reproducible.
 */
final class FailureDice {
    static final int NEVER = 0;
    static final int ALWAYS = 255;

    private final RandomGenerator random;

    FailureDice(RandomGenerator random) {
        this.random = random;
    }

    /** @throws DriverException "test driver: {@code what} failed (N)" when the knob says so */
    void roll(String what, int knob) {
        if (fails(knob)) {
            throw new DriverException("test driver: " + what + " failed (" + knob + ")");
        }
    }

    boolean fails(int knob) {
        if (knob <= NEVER) {
            return false;
        }
        if (knob >= ALWAYS) {
            return true;
        }
        return nextInt(254) < knob;
    }

    String randomAlphanumeric(int length) {
        return RandomNames.draw(random, RandomNames.ALPHANUMERIC, length);
    }

    // RandomGenerator implementations are not all thread-safe, and drivers are called from many workers.
    private int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }
}
