package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.driver.DriverException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestDriverConfigTest {
    @TempDir
    Path work;

    @Test
    void emptyConfigIsUnlimitedLocalWithDefaultWorkspace() {
        TestDriverConfig c = TestDriverConfig.parse(Map.of(), work);
        assertEquals(new TestDriverConfig(0, 0, 0, 0, false, work.resolve("fish_test_workspace"), 0, 0, 0, 0), c);
        assertTrue(c.unlimited());
    }

    @Test
    void readsEveryKey() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("cpu_limit", 4);
        cfg.put("ram_limit", 8L);
        cfg.put("cpu_overbook", 2);
        cfg.put("ram_overbook", BigInteger.valueOf(3));
        cfg.put("is_remote", true);
        cfg.put("workspace_path", "ws/sub");
        cfg.put("fail_config_apply", 0);
        cfg.put("fail_config_validate", 1);
        cfg.put("fail_snapshot", 254);
        cfg.put("fail_deallocate", 255);
        TestDriverConfig c = TestDriverConfig.parse(cfg, work);
        assertEquals(new TestDriverConfig(4, 8, 2, 3, true, work.resolve("ws/sub"), 0, 1, 254, 255), c);
        assertFalse(c.unlimited());
    }

    @Test
    void absoluteWorkspaceIsKeptAndNullValuesTakeDefaults() {
        Path elsewhere = work.resolve("abs").toAbsolutePath();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("workspace_path", elsewhere.toString());
        cfg.put("cpu_limit", null);
        cfg.put("unknown_key", "ignored with a warning");
        TestDriverConfig c = TestDriverConfig.parse(cfg, work.resolve("other"));
        assertEquals(elsewhere, c.workspacePath());
        assertEquals(0, c.cpuLimit());
    }

    @Test
    void wrongTypesAreRejectedNamingTheKey() {
        assertInvalid(Map.of("cpu_limit", "4"), "test driver config 'cpu_limit': expected a non-negative integer (got '4')");
        assertInvalid(Map.of("ram_limit", -1), "test driver config 'ram_limit': expected a non-negative integer (got -1)");
        assertInvalid(Map.of("cpu_overbook", 1.5), "test driver config 'cpu_overbook': expected a non-negative integer (got 1.5)");
        assertInvalid(Map.of("ram_overbook", 3_000_000_000L), "'ram_overbook': expected a non-negative integer");
        assertInvalid(Map.of("is_remote", "yes"), "test driver config 'is_remote': expected true or false (got 'yes')");
        assertInvalid(Map.of("is_remote", 1), "'is_remote': expected true or false (got 1)");
        assertInvalid(Map.of("workspace_path", 5), "test driver config 'workspace_path': expected a directory path (got 5)");
        assertInvalid(Map.of("workspace_path", " "), "'workspace_path'");
        assertInvalid(Map.of("fail_snapshot", 256),
                "test driver config 'fail_snapshot': expected an integer from 0 (never fail) to 255 (always fail) (got 256)");
        assertInvalid(Map.of("fail_deallocate", List.of(1)), "'fail_deallocate': expected an integer from 0 (never fail) to 255 (always fail) (got a list)");
        assertInvalid(Map.of("fail_config_apply", Map.of("a", 1)), "(got a mapping)");
        assertInvalid(Map.of("fail_snapshot", true), "'fail_snapshot'");
    }

    @Test
    void longValuesAreCutInMessages() {
        DriverException e = assertThrows(DriverException.class,
                () -> TestDriverConfig.parse(Map.of("cpu_limit", "x".repeat(500)), work));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void workspaceMustBeAbsolute() {
        assertThrows(IllegalArgumentException.class,
                () -> new TestDriverConfig(0, 0, 0, 0, false, Path.of("relative"), 0, 0, 0, 0));
    }

    private void assertInvalid(Map<String, Object> cfg, String expected) {
        DriverException e = assertThrows(DriverException.class, () -> TestDriverConfig.parse(cfg, work));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
