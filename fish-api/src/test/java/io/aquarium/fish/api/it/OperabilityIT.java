package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.aquarium.fish.api.it.Configs.TEST_DRIVER;
import static io.aquarium.fish.api.it.Configs.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating a node as an operator would (issue 11): health probes without credentials, a broken
 * config caught by {@code validate} and by a start before it writes anything, {@code --version}.
 */
class OperabilityIT {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    /** One of each: a typo'd key, a bad duration, a malformed driver cfg, an unknown driver. */
    private static final String BROKEN = """
            node_name: broken
            api_addres: 127.0.0.1:0
            election_interval: 5 seconds
            drivers:
              - name: test
                cfg:
                  cpu_limit: many
              - name: dockr
            """;

    @RegisterExtension
    final FishNodes nodes = new FishNodes();

    @Test
    void aHealthyNodeIsLiveAndReadyWithoutCredentials(@TempDir Path dir) {
        FishProcess node = nodes.start("healthy", dir, node("healthy", TEST_DRIVER));
        FishApi anonymous = node.api().as(null, null);

        FishApi.Reply live = anonymous.get("/health/live");
        assertEquals(200, live.status(), live.body());
        assertEquals("{\"status\":\"UP\"}", live.body());

        FishApi.Reply ready = anonymous.get("/health/ready");
        assertEquals(200, ready.status(), ready.body());
        assertEquals("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"quorum\":\"UP\",\"drivers\":\"UP\"}}",
                ready.body());
        // Nothing else became public.
        assertEquals(401, anonymous.get("/api/v1/node/this/").status());
    }

    @Test
    void validateReportsEveryProblemInOneRunAndAStartWithThemWritesNothing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.yml"), BROKEN);

        Run validate = run(dir, "validate", "-c", "config.yml");
        assertEquals(2, validate.exit(), validate.output());
        List<String> errors = validate.output().lines().filter(l -> l.contains(": error: ")).toList();
        assertEquals(List.of(
                "config.yml:2: error: unknown key 'api_addres' (did you mean 'api_address'?)",
                "config.yml:3: error: invalid value for 'election_interval': invalid duration '5 seconds': unknown unit"
                        + " ' seconds' (use ns, us, ms, s, m, h or d)",
                "config.yml:7: error: test driver config 'cpu_limit': expected a non-negative integer (got 'many')",
                "config.yml:8: error: unknown driver 'dockr' (did you mean 'docker'?) in drivers entry 1"), errors);
        assertTrue(validate.output().contains("config.yml: 4 errors"), validate.output());
        assertFalse(validate.output().contains("\tat "), "no stack trace: " + validate.output());

        Run start = run(dir, "-c", "config.yml", "-v", "debug");
        assertEquals(2, start.exit(), start.output());
        assertEquals(errors, start.output().lines().filter(l -> l.contains(": error: ")).toList());
        assertFalse(start.output().contains("\tat "), "no stack trace: " + start.output());
        assertFalse(Files.exists(dir.resolve("fish_data")), "fish_data/ was created");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config.yml")), files.toList());
        }

        // Fixed, the same file validates with exit 0.
        Files.writeString(dir.resolve("config.yml"), node("fixed", TEST_DRIVER));
        Run fixed = run(dir, "validate", "-c", "config.yml");
        assertEquals(0, fixed.exit(), fixed.output());
        assertTrue(fixed.output().contains("config.yml: 0 errors, 0 warnings, OK"), fixed.output());
    }

    @Test
    void verbosityTakesOnlyTheListedLevels(@TempDir Path dir) {
        Run bogus = run(dir, "-v", "bogus");
        assertEquals(2, bogus.exit(), bogus.output());
        assertTrue(bogus.output().contains("expected one of [trace, debug, info, warn, error]"), bogus.output());
    }

    @Test
    void versionPrintsTheProjectVersionAndTheCommit(@TempDir Path dir) {
        Run version = run(dir, "--version");
        assertEquals(0, version.exit(), version.output());
        Matcher m = Pattern.compile("aquarium-fish (\\S+) \\(commit (\\S+)\\)").matcher(version.output().strip());
        assertTrue(m.matches(), version.output());
        assertNotEquals("unknown", m.group(1), version.output());
        assertTrue(m.group(1).matches("\\d+\\.\\d+\\.\\d+.*"), m.group(1));
        // Built in a git checkout (this test's own build): the full commit id.
        assertTrue(m.group(2).matches("[0-9a-f]{40}"), version.output());
    }

    /**
     * A two-node cluster with one node killed: the other lost quorum and is not ready (503, saying
     * how many nodes it sees); with the node back it is ready again.
     */
    @Test
    void aNodeThatLostQuorumIsNotReadyUntilItHasItBack(@TempDir Path dir) {
        List<FishProcess> cluster = Clusters.create(nodes, dir, Clusters.freePorts(2), TEST_DRIVER);
        Clusters.form(cluster);
        Clusters.awaitBaseline(cluster);
        FishApi survivor = cluster.get(0).api().as(null, null);
        assertEquals(200, survivor.get("/health/ready").status());

        cluster.get(1).kill();
        FishApi.Reply down = Poll.until("node-1 to be not ready", Duration.ofSeconds(60),
                () -> survivor.get("/health/ready"), r -> r.status() == 503);
        JsonNode body = down.json();
        assertEquals("DOWN", body.path("status").asText(), down.body());
        assertEquals("UP", body.path("checks").path("store").asText(), down.body());
        assertEquals("DOWN: 1 of 2 nodes visible, 2 needed", body.path("checks").path("quorum").asText(), down.body());
        assertEquals(200, survivor.get("/health/live").status());

        cluster.get(1).start();
        Poll.until("node-1 to be ready again", Duration.ofSeconds(90), () -> survivor.get("/health/ready"),
                r -> r.status() == 200);
    }

    private record Run(int exit, String output) {
    }

    /** Runs the packaged jar with {@code args} in {@code dir} to its end; stdout and stderr together. */
    private static Run run(Path dir, String... args) {
        Path jar = Path.of(System.getProperty(FishProcess.JAR_PROPERTY, "target/aquarium-fish.jar")).toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after " + RUN_TIMEOUT + ": " + command);
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
