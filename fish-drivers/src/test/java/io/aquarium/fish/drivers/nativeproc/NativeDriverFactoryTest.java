package io.aquarium.fish.drivers.nativeproc;
import io.aquarium.fish.core.config.ConfigProblem;
import io.aquarium.fish.core.config.ConfigProblems;

import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverFactory;
import io.aquarium.fish.core.driver.DriverRegistry;
import io.aquarium.fish.drivers.test.TestDriverFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeDriverFactoryTest {
    @TempDir
    Path dir;

    private DriverContext context() {
        return new DriverContext(dir, "node-1", Clock.systemUTC());
    }

    @Test
    void listedForServiceLoader() {
        assertTrue(ServiceLoader.load(DriverFactory.class).stream()
                .anyMatch(p -> p.type() == NativeDriverFactory.class));
    }

    @Test
    void aMissingSetsidMakesTheDriverUnavailableWithAClearReason() {
        NativeDriverFactory factory = new NativeDriverFactory(Map.of("PATH", "/usr/bin"),
                (name, path) -> name.equals("setsid") ? Optional.empty() : Commands.find(name, path));
        DriverException e = assertThrows(DriverException.class, () -> factory.create("native", Map.of(), context()));
        assertEquals("native driver: program 'setsid' not found (needed to run workloads in their own session)",
                e.getMessage());
    }

    @Test
    void userPerResourceNeedsTheUserTools() {
        NativeDriverFactory factory = new NativeDriverFactory(Map.of("PATH", "/usr/bin"),
                (name, path) -> name.equals("useradd") ? Optional.empty() : Commands.find(name, path));
        DriverException e = assertThrows(DriverException.class,
                () -> factory.create("native", Map.of("user_per_resource", true), context()));
        assertTrue(e.getMessage().contains(OsUsers.isRoot() ? "'useradd'" : "root"), e.getMessage());
    }

    @Test
    void theNodeKeepsItsOtherDriversWhenNativeIsUnavailable() {
        NativeDriverFactory broken = new NativeDriverFactory(Map.of(), (name, path) -> Optional.empty());
        try (DriverRegistry registry = DriverRegistry.load(
                List.of(new DriverConfig("test", Map.of("workspace_path", dir.resolve("t").toString())),
                        new DriverConfig("native")),
                context(), List.of(new TestDriverFactory(), broken))) {
            assertEquals(List.of("test"), registry.all().stream().map(d -> d.name()).toList());
        }
    }

    @Test
    void aWorkspaceInsideTheNodesDataDirectoryIsRefused() {
        // What "directory: ." gives: the default workspace lands in the data directory, next to ca.key.
        DriverContext dataHere = new DriverContext(dir, "node-1", Clock.systemUTC(), dir);
        DriverException e = assertThrows(DriverException.class,
                () -> new NativeDriverFactory().create("native", Map.of(), dataHere));
        assertEquals("native driver config 'workspace_path': " + dir.resolve("fish_native_workspace")
                + " is inside the node's data directory; workloads must not run there", e.getMessage());

        DriverContext beside = new DriverContext(dir, "node-1", Clock.systemUTC(), dir.resolve("fish_data"));
        assertEquals(dir.resolve("fish_native_workspace"),
                new NativeDriverFactory().create("native", Map.of(), beside).config().workspacePath());
    }

    @Test
    void anInstanceKeepsItsName() {
        assertEquals("native/ci", new NativeDriverFactory().create("native/ci",
                Map.of("workspace_path", dir.toString()), context()).name());
    }

    @Test
    void checkMakesMissingProgramsWarningsAndBadValuesErrors() {
        NativeDriverFactory factory = new NativeDriverFactory(Map.of("PATH", "/usr/bin"), (name, path) -> Optional.empty());
        ConfigProblems problems = new ConfigProblems(null, Map.of());
        factory.check("native", Map.of("term_grace", 9999, "sudo_path", "/usr/bin/sudo"), context(), problems);
        assertEquals(List.of("ERROR native driver config 'term_grace': expected an integer from 0 to 600 (got 9999)",
                        "WARNING native driver config: key 'sudo_path' of the original Fish is not supported by this"
                                + " driver and is ignored",
                        "WARNING native driver native: program 'setsid' not found on PATH; the driver will be unavailable"),
                problems.list().stream().map(p -> p.severity() + " " + p.message()).sorted().toList());
    }
}
