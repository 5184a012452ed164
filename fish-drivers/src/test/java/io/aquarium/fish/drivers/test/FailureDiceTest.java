package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.driver.DriverException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureDiceTest {
    @Test
    void zeroNeverFailsAndMaxAlwaysFails() {
        FailureDice dice = new FailureDice(new Random(1));
        for (int i = 0; i < 1000; i++) {
            assertFalse(dice.fails(0));
            assertTrue(dice.fails(255));
        }
        assertDoesNotThrow(() -> dice.roll("allocate", 0));
        DriverException e = assertThrows(DriverException.class, () -> dice.roll("allocate", 255));
        assertEquals("test driver: allocate failed (255)", e.getMessage());
    }

    @Test
    void inBetweenFailsWithThatChanceInTwoHundredFiftyFour() {
        assertEquals(0.5, failureRate(127, 20_000), 0.02);
        assertEquals(10.0 / 254, failureRate(10, 20_000), 0.01);
        assertEquals(1.0, failureRate(254, 2_000));
    }

    @Test
    void sameSeedSameOutcomes() {
        assertEquals(outcomes(42), outcomes(42));
        assertNotEquals(outcomes(42), outcomes(43));
    }

    @Test
    void namesAreAlphanumeric() {
        FailureDice dice = new FailureDice(new Random(7));
        for (int i = 0; i < 200; i++) {
            assertTrue(dice.randomAlphanumeric(6).matches("[A-Za-z0-9]{6}"));
        }
    }

    private static double failureRate(int knob, int rolls) {
        FailureDice dice = new FailureDice(new Random(12345));
        int failures = 0;
        for (int i = 0; i < rolls; i++) {
            failures += dice.fails(knob) ? 1 : 0;
        }
        return (double) failures / rolls;
    }

    private static List<Boolean> outcomes(long seed) {
        FailureDice dice = new FailureDice(new Random(seed));
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            out.add(dice.fails(100));
        }
        return out;
    }
}
