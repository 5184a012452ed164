package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TestDriverCapacityTest {
    private static final Path WS = Path.of("/tmp/unused-ws").toAbsolutePath();

    @ParameterizedTest(name = "limits {0}/{1} overbook {2}/{3}, label {4}/{5} ob {6}/{7}, used {8}/{9} x{10} ob {11}/{12} -> {13}")
    @CsvSource({
            // cpuL, ramL, cpuOb, ramOb, cpu, ram, wantCpuOb, wantRamOb, usedCpu, usedRam, count, usedCpuOb, usedRamOb, expected
            "4, 8, 0, 0, 2, 4, false, false, 0, 0, 0, true,  true,  2",  // the contract examples
            "4, 8, 0, 0, 2, 4, false, false, 2, 4, 1, false, false, 1",
            "4, 8, 0, 0, 2, 4, false, false, 4, 8, 2, false, false, 0",
            "4, 8, 0, 0, 1, 2, false, false, 0, 0, 0, true,  true,  4",
            "4, 8, 0, 0, 2, 4, false, false, 6, 12, 3, false, false, 0",  // already over the limit: 0, not negative
            "4, 8, 0, 0, 5, 1, true,  true,  0, 0, 0, true,  true,  0",  // bigger than the limit itself
            "4, 8, 4, 8, 5, 1, true,  true,  0, 0, 0, true,  true,  0",  //   ... even with overbook
            "4, 0, 0, 0, 1, 100, false, false, 1, 50, 1, false, false, 3", // RAM unlimited
            "0, 8, 0, 0, 100, 2, false, false, 0, 0, 0, true, true,  4",  // CPU unlimited
            "4, 8, 0, 0, 0, 0, false, false, 0, 0, 0, true,  true,  1000000", // a request of nothing
            // overbook: only the dimensions both the request and the current usage allow
            "4, 8, 4, 0, 2, 4, true,  false, 0, 0, 0, true,  true,  2",  // RAM still limits
            "4, 8, 4, 8, 2, 4, true,  true,  0, 0, 0, true,  true,  4",
            "4, 8, 4, 8, 2, 4, true,  false, 0, 0, 0, true,  true,  2",
            "4, 8, 4, 8, 2, 4, true,  true,  2, 4, 1, true,  true,  3",
            "4, 8, 4, 8, 2, 4, true,  true,  2, 4, 1, false, false, 1",  // a tenant that does not overbook
            "4, 8, 4, 8, 2, 4, true,  true,  2, 4, 1, true,  false, 1",
            "4, 8, 4, 8, 2, 4, true,  true,  2, 4, 1, false, true,  1",
            "4, 8, 4, 8, 2, 4, false, false, 2, 4, 1, true,  true,  1",  // a request that does not overbook
            "4, 8, 4, 8, 2, 4, true,  true,  0, 0, 0, false, false, 4",  // empty usage never blocks overbook
    })
    void capacityTable(int cpuLimit, int ramLimit, int cpuOverbook, int ramOverbook, int cpu, int ram,
                       boolean wantCpuOverbook, boolean wantRamOverbook, int usedCpu, int usedRam, int count,
                       boolean usedCpuOverbook, boolean usedRamOverbook, int expected) {
        TestDriverConfig config = new TestDriverConfig(cpuLimit, ramLimit, cpuOverbook, ramOverbook, false, WS,
                0, 0, 0, 0);
        Usage usage = new Usage(usedCpu, usedRam, count, false, usedCpuOverbook, usedRamOverbook);
        Resources wanted = new Resources(cpu, ram, null, null, null, false, wantCpuOverbook, wantRamOverbook, null);
        assertEquals(expected, TestDriver.capacity(config, usage, wanted));
    }

    @Test
    void noLimitsIsUnlimitedWhateverTheUsage() {
        TestDriverConfig config = new TestDriverConfig(0, 0, 0, 0, false, WS, 0, 0, 0, 0);
        Usage busy = new Usage(1000, 1000, 500, false, false, false);
        Resources big = new Resources(64, 256, null, null, null, false, false, false, null);
        assertEquals(TestDriver.UNLIMITED, TestDriver.capacity(config, busy, big));
    }

    @Test
    void usageBuiltWithPlusCountsDownToZero() {
        TestDriverConfig config = new TestDriverConfig(4, 8, 0, 0, false, WS, 0, 0, 0, 0);
        Resources label = new Resources(2, 4, null, null, null, false, false, false, null);
        Usage usage = Usage.NONE;
        assertEquals(2, TestDriver.capacity(config, usage, label));
        usage = usage.plus(label);
        assertEquals(1, TestDriver.capacity(config, usage, label));
        usage = usage.plus(label);
        assertEquals(0, TestDriver.capacity(config, usage, label));
    }
}
