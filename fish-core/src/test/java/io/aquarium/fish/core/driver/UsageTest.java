package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.Resources;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Usage sums never wrap: a node holding more than an int counts stays full, never looks empty. */
class UsageTest {
    private static Resources resources(int cpu, int ram) {
        return new Resources(cpu, ram, null, null, null, true, true, true, null);
    }

    @Test
    void sumsNearTheIntLimitSaturateInsteadOfWrapping() {
        Usage huge = Usage.NONE.plus(resources(Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
        Usage twice = huge.plus(resources(Integer.MAX_VALUE, 2));
        assertEquals(Integer.MAX_VALUE, twice.cpu());
        assertEquals(Integer.MAX_VALUE, twice.ram());
        assertEquals(2, twice.count());
        assertEquals(Integer.MAX_VALUE, twice.plus(twice).cpu());
    }

    @Test
    void sumsBelowTheLimitAreExact() {
        Usage u = Usage.NONE.plus(resources(4096, 65_536)).plus(resources(1, 1));
        assertEquals(new Usage(4097, 65_537, 2, true, true, true), u);
        Usage strict = u.plus(new Usage(0, 0, 1, false, true, false));
        assertFalse(strict.multitenancy());
        assertFalse(strict.ramOverbook());
        assertEquals(3, strict.count());
    }

    @Test
    void saturatedSumClampsBothWays() {
        assertEquals(Integer.MAX_VALUE, Usage.saturatedSum(Integer.MAX_VALUE, 1));
        assertEquals(Integer.MIN_VALUE, Usage.saturatedSum(Integer.MIN_VALUE, -1));
        assertEquals(-1, Usage.saturatedSum(Integer.MAX_VALUE, Integer.MIN_VALUE));
    }
}
