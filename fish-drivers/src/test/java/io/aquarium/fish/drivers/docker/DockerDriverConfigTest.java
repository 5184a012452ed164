package io.aquarium.fish.drivers.docker;

import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverFactory;
import io.aquarium.fish.drivers.common.CapacityConfig;
import io.aquarium.fish.drivers.common.HostCapacity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerDriverConfigTest {
    @TempDir
    Path dir;

    @Test
    void theHostComesFromTheConfigThenDockerHostThenTheDefaultSocket() {
        assertEquals(URI.create("unix:///var/run/docker.sock"), DockerDriverConfig.parse(Map.of(), Map.of()).dockerHost());
        assertEquals(URI.create("unix:///run/podman.sock"),
                DockerDriverConfig.parse(Map.of(), Map.of("DOCKER_HOST", "unix:///run/podman.sock")).dockerHost());
        assertEquals(URI.create("tcp://10.0.0.1:2375"), DockerDriverConfig.parse(
                Map.of("docker_host", "tcp://10.0.0.1:2375"), Map.of("DOCKER_HOST", "unix:///x")).dockerHost());
    }

    @Test
    void capacityKeysApplyToTheEngineHost() {
        DockerDriverConfig c = DockerDriverConfig.parse(Map.of("cpu_alter", -1, "ram_alter", -2, "cpu_overbook", 4),
                Map.of());
        assertEquals(new CapacityConfig(0, 0, -1, -2, 4, 0), c.capacity());
        assertEquals(new HostCapacity(7, 14, 4, 0), c.capacity().forHost(8, 16));
    }

    @Test
    void aBadHostIsRejected() {
        for (String bad : new String[]{"http://x", "unix://", "tcp://nohost", "just words"}) {
            DriverException e = assertThrows(DriverException.class,
                    () -> DockerDriverConfig.parse(Map.of("docker_host", bad), Map.of()));
            assertTrue(e.getMessage().contains("'docker_host'"), e.getMessage());
        }
    }

    @Test
    void taskImagesGoUnderTheConfiguredPrefix() {
        assertEquals(new ImageNamespace("fish-image"), DockerDriverConfig.parse(Map.of(), Map.of()).images());
        assertEquals(new ImageNamespace("registry.example.com:5000/ci/made"),
                DockerDriverConfig.parse(Map.of("image_prefix", "registry.example.com:5000/ci/made"), Map.of()).images());
        for (String bad : new String[]{"Fish", "fish-image/", "/x", "a:b", "x@sha256", "a//b"}) {
            DriverException e = assertThrows(DriverException.class,
                    () -> DockerDriverConfig.parse(Map.of("image_prefix", bad), Map.of()));
            assertTrue(e.getMessage().startsWith("docker driver config 'image_prefix': expected a repository path"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingEngineMakesTheDriverUnavailableWithAClearReason() {
        String socket = "unix://" + dir.resolve("docker.sock");
        DriverException e = assertThrows(DriverException.class, () -> new DockerDriverFactory(Map.of())
                .create("docker", Map.of("docker_host", socket), new DriverContext(dir, "n", Clock.systemUTC())));
        assertEquals("docker driver: no Docker engine socket at " + socket, e.getMessage());
    }

    @Test
    void listedForServiceLoader() {
        assertTrue(ServiceLoader.load(DriverFactory.class).stream()
                .anyMatch(p -> p.type() == DockerDriverFactory.class));
    }
}
