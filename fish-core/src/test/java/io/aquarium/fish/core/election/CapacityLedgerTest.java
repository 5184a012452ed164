package io.aquarium.fish.core.election;

import io.aquarium.fish.core.model.Resources;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ledger's node-wide sums do not wrap. Labels stored before resources had upper bounds may still
 * ask for {@code cpu: 2147483647}; two of them must leave the node full, not at -2 vCPUs used.
 */
class CapacityLedgerTest {
    private static Resources resources(int cpu, int ram) {
        return new Resources(cpu, ram, null, null, null, false, false, false, null);
    }

    @Test
    void hugeResourcesSaturateTheLocalUsage() {
        FakeDriver driver = new FakeDriver("test");
        CapacityLedger ledger = new CapacityLedger();
        ledger.add(driver, resources(Integer.MAX_VALUE, Integer.MAX_VALUE));
        ledger.add(driver, resources(Integer.MAX_VALUE, 1));
        ledger.add(driver, resources(1, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, ledger.usageFor(driver).cpu());
        assertEquals(Integer.MAX_VALUE, ledger.usageFor(driver).ram());
        assertEquals(3, ledger.usageFor(driver).count());
    }

    @Test
    void sumsNearTheBoundsAreExact() {
        FakeDriver driver = new FakeDriver("test");
        CapacityLedger ledger = new CapacityLedger();
        for (int i = 0; i < 1000; i++) {
            ledger.add(driver, resources(4096, 65_536));
        }
        assertEquals(4_096_000, ledger.usageFor(driver).cpu());
        assertEquals(65_536_000, ledger.usageFor(driver).ram());
    }
}
