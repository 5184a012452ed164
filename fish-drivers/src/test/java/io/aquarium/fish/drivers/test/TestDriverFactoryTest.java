package io.aquarium.fish.drivers.test;
import io.aquarium.fish.core.config.ConfigProblems;

import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverFactory;
import io.aquarium.fish.core.driver.DriverRegistry;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestDriverFactoryTest {
    @TempDir
    Path work;

    @Test
    void serviceLoaderFindsTheTestDriver() {
        List<DriverFactory> factories = ServiceLoader.load(DriverFactory.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertTrue(factories.stream().anyMatch(f -> f instanceof TestDriverFactory && f.name().equals("test")),
                factories.toString());
    }

    @Test
    void registryWithoutConfigGetsADefaultTestDriver() {
        DriverContext context = new DriverContext(work, "node-1", Clock.systemUTC());
        try (DriverRegistry registry = DriverRegistry.load(List.of(), context,
                ServiceLoader.load(DriverFactory.class))) {
            Driver test = registry.driver("test").orElseThrow();
            LabelDefinition def = new LabelDefinition("test",
                    new Resources(1, 1, null, null, null, false, false, false, ""), RawJson.EMPTY_OBJECT, null);
            assertEquals(TestDriver.UNLIMITED, test.availableCapacity(Usage.NONE, def));
            String id = test.allocate(new AllocationRequest(UUID.randomUUID(), def, RawJson.EMPTY_OBJECT)).identifier();
            assertTrue(Files.exists(work.resolve("fish_test_workspace").resolve(id)));
        }
    }

    @Test
    void registryMakesNamedInstancesAndSkipsOnesThatFailToStart() {
        DriverContext context = new DriverContext(work, "node-1", Clock.systemUTC());
        List<DriverConfig> configs = List.of(
                new DriverConfig("test/dev", Map.of("cpu_limit", 2, "ram_limit", 2)),
                new DriverConfig("test/broken", Map.of("fail_config_apply", 255)),
                new DriverConfig("test/typo", Map.of("cpu_limit", "two")));
        try (DriverRegistry registry = DriverRegistry.load(configs, context,
                ServiceLoader.load(DriverFactory.class))) {
            assertEquals(List.of("test/dev"), registry.all().stream().map(Driver::name).toList());
            assertEquals(2, ((TestDriver) registry.driver("test/dev").orElseThrow()).config().cpuLimit());
        }
        DriverException unknown = assertThrows(DriverException.class, () -> DriverRegistry.load(
                List.of(new DriverConfig("vmx")), context, ServiceLoader.load(DriverFactory.class)));
        assertEquals("unknown driver 'vmx' in drivers config; known: docker, native, test", unknown.getMessage());
    }

    @Test
    void checkReportsEveryBadValueAndUnknownKeyWithoutRollingTheKnobs() {
        ConfigProblems problems = new ConfigProblems("fish.yml", Map.of());
        new TestDriverFactory().check("test", Map.of("cpu_limt", 2, "ram_limit", "lots", "fail_snapshot", 300,
                        "fail_status", 0,
                        "fail_config_apply", 255),
                new io.aquarium.fish.core.driver.DriverContext(Path.of("/tmp"), "n", java.time.Clock.systemUTC()),
                problems);
        List<String> messages = problems.list().stream().map(p -> p.severity() + " " + p.message()).sorted().toList();
        assertEquals(List.of(
                "ERROR test driver config 'fail_snapshot': expected an integer from 0 (never fail) to 255 (always fail) (got 300)",
                "ERROR test driver config 'ram_limit': expected a non-negative integer (got 'lots')",
                "ERROR test driver config: unknown key 'cpu_limt' (did you mean 'cpu_limit'?)",
                "WARNING test driver config: key 'fail_status' of the original Fish is not supported by this driver"
                        + " and is ignored"), messages);
        org.junit.jupiter.api.Assertions.assertTrue(problems.hasErrors());
    }
}
