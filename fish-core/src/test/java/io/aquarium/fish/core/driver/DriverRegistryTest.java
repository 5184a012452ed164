package io.aquarium.fish.core.driver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.aquarium.fish.core.config.DriverConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverRegistryTest {
    private static final DriverContext CONTEXT = new DriverContext(Path.of("work"), "node-1", Clock.systemUTC());

    private final List<String> closed = new ArrayList<>();
    private ListAppender<ILoggingEvent> logs;
    private Logger registryLogger;

    @BeforeEach
    void captureLogs() {
        registryLogger = (Logger) LoggerFactory.getLogger(DriverRegistry.class);
        logs = new ListAppender<>();
        logs.start();
        registryLogger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        registryLogger.detachAppender(logs);
    }

    @Test
    void noConfigMakesOneDefaultInstanceOfEveryFactory() {
        RecordingFactory alpha = new RecordingFactory("alpha");
        RecordingFactory beta = new RecordingFactory("beta");
        try (DriverRegistry registry = DriverRegistry.load(List.of(), CONTEXT, List.of(alpha, beta))) {
            assertEquals(List.of("alpha", "beta"), names(registry.all()));
            assertEquals(List.of(Map.of()), alpha.configs);
            assertEquals(List.of(Map.of()), beta.configs);
            assertSame(CONTEXT, ((FakeDriver) registry.driver("alpha").orElseThrow()).context);
        }
    }

    @Test
    void nullConfigListMeansDefaultsToo() {
        try (DriverRegistry registry = DriverRegistry.load(null, CONTEXT, List.of(new RecordingFactory("alpha")))) {
            assertEquals(List.of("alpha"), names(registry.all()));
        }
    }

    @Test
    void configEntriesMakeNamedInstancesInConfigOrder() {
        RecordingFactory alpha = new RecordingFactory("alpha");
        RecordingFactory beta = new RecordingFactory("beta");
        List<DriverConfig> configs = List.of(
                new DriverConfig("beta", Map.of("x", 1)),
                new DriverConfig("alpha/dev", Map.of("y", "two")),
                new DriverConfig("alpha"));
        try (DriverRegistry registry = DriverRegistry.load(configs, CONTEXT, List.of(alpha, beta))) {
            assertEquals(List.of("beta", "alpha/dev", "alpha"), names(registry.all()));
            assertEquals(List.of(Map.of("y", "two"), Map.of()), alpha.configs);
            assertEquals(List.of(Map.of("x", 1)), beta.configs);
            assertEquals("alpha/dev", registry.driver("alpha/dev").orElseThrow().name());
            assertEquals("alpha", registry.driver("alpha").orElseThrow().name());
            assertTrue(registry.driver("alpha/other").isEmpty());
            assertTrue(registry.driver("gamma").isEmpty());
        }
    }

    @Test
    void onlyTheListedInstancesExist() {
        try (DriverRegistry registry = DriverRegistry.load(List.of(new DriverConfig("alpha/dev")), CONTEXT,
                List.of(new RecordingFactory("alpha"), new RecordingFactory("beta")))) {
            assertEquals(List.of("alpha/dev"), names(registry.all()));
            assertTrue(registry.driver("alpha").isEmpty(), "the default instance is not configured");
            assertTrue(registry.driver("beta").isEmpty());
        }
    }

    @Test
    void unknownDriverIsAStartupErrorListingTheKnownOnes() {
        RecordingFactory beta = new RecordingFactory("beta");
        RecordingFactory alpha = new RecordingFactory("alpha");
        DriverException e = assertThrows(DriverException.class, () -> DriverRegistry.load(
                List.of(new DriverConfig("alpha"), new DriverConfig("docker/x")), CONTEXT, List.of(beta, alpha)));
        assertEquals("unknown driver 'docker' in drivers config; known: alpha, beta", e.getMessage());
        assertTrue(alpha.configs.isEmpty(), "nothing is created before the config is known to be valid");
    }

    @Test
    void sameInstanceTwiceIsAStartupError() {
        DriverException e = assertThrows(DriverException.class, () -> DriverRegistry.load(
                List.of(new DriverConfig("alpha/a"), new DriverConfig("alpha/a")), CONTEXT,
                List.of(new RecordingFactory("alpha"))));
        assertTrue(e.getMessage().contains("'alpha/a' is listed twice"), e.getMessage());
    }

    @Test
    void twoFactoriesWithOneNameAreRejected() {
        assertThrows(DriverException.class, () -> DriverRegistry.load(List.of(), CONTEXT,
                List.of(new RecordingFactory("alpha"), new RecordingFactory("alpha"))));
    }

    @Test
    void failingFactoryLeavesThatDriverOutAndWarns() {
        DriverFactory broken = new FailingFactory("broken", new DriverException("engine not found"));
        DriverFactory buggy = new FailingFactory("buggy", new IllegalStateException("oops"));
        try (DriverRegistry registry = DriverRegistry.load(List.of(), CONTEXT,
                List.of(broken, new RecordingFactory("alpha"), buggy))) {
            assertEquals(List.of("alpha"), names(registry.all()));
            assertTrue(registry.driver("broken").isEmpty());
        }
        List<String> warnings = messages(Level.WARN);
        assertTrue(warnings.contains("Driver broken is unavailable: engine not found"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Driver buggy is unavailable: ")
                && w.contains("oops")), warnings.toString());
    }

    @Test
    void driverNamingItselfDifferentlyIsLeftOutAndClosed() {
        DriverFactory liar = new DriverFactory() {
            @Override
            public String name() {
                return "liar";
            }

            @Override
            public Driver create(String instanceName, Map<String, Object> config, DriverContext context) {
                return new FakeDriver("other", context);
            }
        };
        try (DriverRegistry registry = DriverRegistry.load(List.of(), CONTEXT, List.of(liar))) {
            assertTrue(registry.all().isEmpty());
        }
        assertEquals(List.of("other"), closed);
    }

    @Test
    void brokenServiceProviderIsSkipped() {
        RecordingFactory alpha = new RecordingFactory("alpha");
        Iterable<DriverFactory> loader = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < 2;
            }

            @Override
            public DriverFactory next() {
                if (next >= 2) {
                    throw new NoSuchElementException();
                }
                if (next++ == 0) {
                    throw new ServiceConfigurationError("Provider com.example.Missing not found");
                }
                return alpha;
            }
        };
        try (DriverRegistry registry = DriverRegistry.load(List.of(), CONTEXT, loader)) {
            assertEquals(List.of("alpha"), names(registry.all()));
        }
    }

    @Test
    void closeClosesEveryDriverOnceEvenWhenOneFails() {
        DriverFactory explosive = new DriverFactory() {
            @Override
            public String name() {
                return "explosive";
            }

            @Override
            public Driver create(String instanceName, Map<String, Object> config, DriverContext context) {
                return new FakeDriver(instanceName, context) {
                    @Override
                    public void close() {
                        super.close();
                        throw new IllegalStateException("close failed");
                    }
                };
            }
        };
        DriverRegistry registry = DriverRegistry.load(List.of(), CONTEXT,
                List.of(new RecordingFactory("alpha"), explosive, new RecordingFactory("beta")));
        registry.close();
        registry.close();
        assertEquals(List.of("beta", "explosive", "alpha"), closed);
        assertFalse(messages(Level.WARN).isEmpty());
    }

    @Test
    void allIsUnmodifiable() {
        try (DriverRegistry registry = DriverRegistry.load(List.of(), CONTEXT, List.of(new RecordingFactory("a")))) {
            assertThrows(UnsupportedOperationException.class, () -> registry.all().clear());
        }
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static List<String> names(List<Driver> drivers) {
        return drivers.stream().map(Driver::name).toList();
    }

    private final class RecordingFactory implements DriverFactory {
        private final String name;
        private final List<Map<String, Object>> configs = new ArrayList<>();

        RecordingFactory(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Driver create(String instanceName, Map<String, Object> config, DriverContext context) {
            configs.add(config);
            return new FakeDriver(instanceName, context);
        }
    }

    private record FailingFactory(String name, RuntimeException failure) implements DriverFactory {
        @Override
        public Driver create(String instanceName, Map<String, Object> config, DriverContext context) {
            throw failure;
        }
    }

    private class FakeDriver extends IdleDriver {
        private final String name;
        private final DriverContext context;

        FakeDriver(String name, DriverContext context) {
            super(name);
            this.name = name;
            this.context = context;
        }

        @Override
        public void close() {
            closed.add(name);
        }
    }
}
