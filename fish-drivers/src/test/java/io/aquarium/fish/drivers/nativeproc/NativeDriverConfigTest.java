package io.aquarium.fish.drivers.nativeproc;

import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.drivers.common.HostCapacity;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeDriverConfigTest {
    private static final Path BASE = Path.of("/srv/node");

    @Test
    void defaults() {
        NativeDriverConfig c = NativeDriverConfig.parse(Map.of(), BASE, 4, 16);
        assertEquals(BASE.resolve("fish_native_workspace"), c.workspacePath());
        assertFalse(c.userPerResource());
        assertEquals(Duration.ofSeconds(5), c.termGrace());
        assertEquals(Path.of("/sys/fs/cgroup/aquarium-fish"), c.cgroupPath());
        assertEquals(new HostCapacity(4, 16, 0, 0), c.capacity());
    }

    @Test
    void everyKeyIsRead() {
        NativeDriverConfig c = NativeDriverConfig.parse(Map.of("workspace_path", "ws", "user_per_resource", true,
                "term_grace", 1, "cgroup_path", "/sys/fs/cgroup/x", "cpu_limit", 2, "ram_alter", -4,
                "ram_overbook", 8), BASE, 4, 16);
        assertEquals(BASE.resolve("ws"), c.workspacePath());
        assertTrue(c.userPerResource());
        assertEquals(Duration.ofSeconds(1), c.termGrace());
        assertEquals(Path.of("/sys/fs/cgroup/x"), c.cgroupPath());
        assertEquals(new HostCapacity(2, 12, 0, 8), c.capacity());
    }

    @Test
    void wrongValuesNameTheirKey() {
        for (Map<String, Object> bad : new Map[]{Map.of("user_per_resource", "yes"), Map.of("term_grace", -1),
                Map.of("term_grace", 601), Map.of("workspace_path", ""), Map.of("cpu_limit", 1.5)}) {
            DriverException e = assertThrows(DriverException.class, () -> NativeDriverConfig.parse(bad, BASE, 4, 16));
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @Test
    void unknownKeysAreIgnored() {
        assertEquals(NativeDriverConfig.parse(Map.of(), BASE, 4, 16),
                NativeDriverConfig.parse(Map.of("surprise", 1), BASE, 4, 16));
    }
}
