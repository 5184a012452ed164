package io.aquarium.fish.drivers.common;

import io.aquarium.fish.core.config.ConfigValues;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCapacityTest {
    private static HostCapacity parse(Map<String, Object> cfg, int hostCpu, int hostRam) {
        return HostCapacity.from(new ConfigValues("x driver", cfg, CapacityConfig.KEYS, DriverException::new), hostCpu, hostRam);
    }

    @Test
    void totalsDefaultToTheHost() {
        assertEquals(new HostCapacity(8, 32, 0, 0), parse(Map.of(), 8, 32));
    }

    @Test
    void alterShiftsTheHostTotalsAndNeverGoesBelowZero() {
        assertEquals(new HostCapacity(6, 28, 0, 0), parse(Map.of("cpu_alter", -2, "ram_alter", -4), 8, 32));
        assertEquals(new HostCapacity(10, 0, 0, 0), parse(Map.of("cpu_alter", 2, "ram_alter", -40), 8, 32));
    }

    @Test
    void limitsReplaceTheHostTotals() {
        assertEquals(new HostCapacity(2, 4, 1, 3),
                parse(Map.of("cpu_limit", 2, "ram_limit", 4, "cpu_alter", 5, "cpu_overbook", 1, "ram_overbook", 3),
                        8, 32));
    }

    @Test
    void wrongValuesNameTheirKey() {
        DriverException e = assertThrows(DriverException.class, () -> parse(Map.of("cpu_overbook", -1), 8, 32));
        assertTrue(e.getMessage().contains("'cpu_overbook'"), e.getMessage());
        e = assertThrows(DriverException.class, () -> parse(Map.of("ram_alter", "lots"), 8, 32));
        assertTrue(e.getMessage().contains("'ram_alter'") && e.getMessage().contains("'lots'"), e.getMessage());
    }

    @ParameterizedTest(name = "total {0}/{1} ob {2}/{3}, want {4}/{5} mt {6} ob {7}, used {8}/{9} x{10} mt {11} ob {12} -> {13}")
    @CsvSource({
            // cpuT, ramT, cpuOb, ramOb, cpu, ram, wantMt, wantOb, usedCpu, usedRam, count, usedMt, usedOb, expected
            "8, 16, 0, 0, 2, 4, true,  false, 0, 0, 0, true,  true,  4",
            "8, 16, 0, 0, 2, 4, true,  false, 2, 4, 1, true,  true,  3",
            "8, 16, 0, 0, 2, 4, false, false, 6, 12, 3, false, false, 1", // no tenancy: no overbook, plain room
            "8, 16, 0, 0, 9, 1, true,  true,  0, 0, 0, true,  true,  0",  // bigger than the host
            "8, 16, 0, 0, 2, 4, true,  false, 8, 16, 4, true,  true,  0",
            "8, 16, 0, 0, 2, 4, true,  false, 10, 20, 5, true, true,  0", // over already: 0, not negative
            "8, 16, 8, 16, 2, 4, true, true,  8, 16, 4, true,  true,  4",  // overbook when everyone allows it
            "8, 16, 8, 16, 2, 4, true, true,  8, 16, 4, false, true,  0",  // a held resource without tenancy
            "8, 16, 8, 16, 2, 4, false, true, 8, 16, 4, true,  true,  0",  // a request without tenancy
            "8, 16, 8, 16, 2, 4, true, true,  8, 16, 4, true,  false, 0",  // a held resource without overbook
            "8, 16, 8, 16, 2, 4, true, true,  0, 0, 0, false, false, 8",  // empty usage never blocks
            "8, 16, 0, 0, 0, 0, false, false, 0, 0, 0, true,  true,  1000000", // a request of nothing
    })
    void capacityTable(int cpuT, int ramT, int cpuOb, int ramOb, int cpu, int ram, boolean wantMt, boolean wantOb,
                       int usedCpu, int usedRam, int count, boolean usedMt, boolean usedOb, int expected) {
        HostCapacity capacity = new HostCapacity(cpuT, ramT, cpuOb, ramOb);
        Usage usage = new Usage(usedCpu, usedRam, count, usedMt, usedOb, usedOb);
        Resources wanted = new Resources(cpu, ram, null, null, null, wantMt, wantOb, wantOb, null);
        assertEquals(expected, capacity.available(usage, wanted));
    }
}
