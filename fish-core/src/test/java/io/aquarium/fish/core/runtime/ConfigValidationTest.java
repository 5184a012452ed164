package io.aquarium.fish.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquarium.fish.core.config.ConfigLoader;
import io.aquarium.fish.core.config.ConfigProblem;
import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.config.ConfigReport;
import io.aquarium.fish.core.config.ConfigValues;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ConfigValidationTest {
    @TempDir
    Path dir;

    /** Reads {@code size} (1-10) and {@code engine}; an engine "down" is a warning; never creates anything. */
    private static final class CheckingFactory implements DriverFactory {
        @Override
        public String name() {
            return "box";
        }

        @Override
        public Driver create(String instanceName, Map<String, Object> config, DriverContext context) {
            throw new AssertionError("a check must not create a driver");
        }

        @Override
        public void check(String instanceName, Map<String, Object> config, DriverContext context,
                          ConfigProblems problems) {
            ConfigValues c = new ConfigValues("box driver", config, Set.of("size", "engine"), Set.of("legacy_path"),
                    DriverException::new, problems);
            c.integer("size", 1, 1, 10);
            if ("down".equals(c.string("engine", "up"))) {
                problems.warning("engine", "box driver " + instanceName + ": engine not reachable");
            }
        }
    }

    private ConfigReport validate(String yaml) throws IOException {
        Path file = dir.resolve("fish.yml");
        Files.writeString(file, yaml);
        return ConfigValidation.validate(new ConfigLoader(LoggerFactory.getLogger("test"), () -> "host"), file, Map.of(),
                List.of(new CheckingFactory()), Clock.systemUTC());
    }

    @Test
    void aTypoABadDurationABadDriverCfgAndAnUnknownDriverAreAllReportedAtOnce() throws IOException {
        ConfigReport report = validate("""
                api_addres: 127.0.0.1:0
                election_interval: 5 seconds
                drivers:
                  - name: box
                    cfg:
                      size: 99
                      sise: 2
                      legacy_path: /opt
                  - name: bx
                """);
        assertFalse(report.ok());
        List<String> errors = report.errors().stream().map(p -> p.line() + " " + p.message()).toList();
        assertEquals(5, errors.size(), errors::toString);
        assertEquals("1 unknown key 'api_addres' (did you mean 'api_address'?)", errors.get(0));
        assertTrue(errors.get(1).startsWith("2 invalid value for 'election_interval': "), errors.get(1));
        assertEquals("6 box driver config 'size': expected an integer from 1 to 10 (got 99)", errors.get(2));
        assertEquals("7 box driver config: unknown key 'sise' (did you mean 'size'?)", errors.get(3));
        assertEquals("9 unknown driver 'bx' (did you mean 'box'?) in drivers entry 1", errors.get(4));
        assertEquals(List.of("8 box driver config: key 'legacy_path' of the original Fish is not supported by this"
                + " driver and is ignored"), report.warnings().stream().map(p -> p.line() + " " + p.message()).toList());
        assertEquals("drivers[0].cfg.size", report.errors().get(2).key());
    }

    @Test
    void anUnreachableEngineIsOnlyAWarning() throws IOException {
        ConfigReport report = validate("""
                drivers:
                  - name: box
                    cfg: {engine: down}
                """);
        assertTrue(report.ok(), () -> report.problems().toString());
        assertNotNull(report.config());
        ConfigProblem warning = report.warnings().get(0);
        assertEquals("box driver box: engine not reachable", warning.message());
        assertEquals(3, warning.line());
    }

    @Test
    void withoutDriversEveryKnownDriverIsCheckedWithItsDefaults() throws IOException {
        assertTrue(validate("node_name: n1\n").ok());
    }
}
