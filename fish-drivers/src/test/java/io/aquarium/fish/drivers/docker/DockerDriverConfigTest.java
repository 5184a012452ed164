package io.aquarium.fish.drivers.docker;
import java.util.List;
import io.aquarium.fish.core.config.ConfigProblem;
import io.aquarium.fish.core.config.ConfigProblems;

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

    @Test
    void checkMakesAMissingSocketAWarningAndTheOriginalsKeysWarnings() {
        ConfigProblems problems = new ConfigProblems(null, Map.of());
        new DockerDriverFactory(Map.of()).check("docker", Map.of("docker_host", "unix:///nonexistent/docker.sock",
                "images_path", "/x", "cpu_overbook", -1), null, problems);
        List<ConfigProblem> list = problems.list();
        assertEquals(List.of("ERROR docker driver config 'cpu_overbook': expected an integer from 0 to 2147483647 (got -1)",
                "WARNING docker driver config: key 'images_path' of the original Fish is not supported by this driver"
                        + " and is ignored",
                "WARNING docker driver docker: no Docker engine socket at unix:///nonexistent/docker.sock; the driver"
                        + " will be unavailable until an engine listens there"),
                list.stream().map(p -> p.severity() + " " + p.message()).sorted().toList());
    }

    @Test
    void checkReportsADockerHostThatIsNoAddress() {
        ConfigProblems problems = new ConfigProblems(null, Map.of());
        new DockerDriverFactory(Map.of()).check("docker", Map.of("docker_host", "http://x"), null, problems);
        assertEquals(List.of("docker driver config 'docker_host': expected unix:///path or tcp://host:port (got 'http://x')"),
                problems.list().stream().map(ConfigProblem::message).toList());
    }
}
