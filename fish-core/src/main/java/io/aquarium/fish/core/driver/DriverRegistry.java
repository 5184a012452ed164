package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.config.DriverConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's driver instances, made once at startup from the {@code drivers:} config. A mistyped
 * driver name stops the node (the operator must fix the file), while a driver whose engine is
 * missing only makes that driver unavailable: the node still serves what its other drivers can.
 */
public final class DriverRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverRegistry.class);
    // A broken provider entry fails once and is skipped; this only guards against a loader that keeps failing.
    private static final int MAX_PROVIDER_ERRORS = 100;

    private final List<Driver> drivers;
    private final Map<String, Driver> byName;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DriverRegistry(List<Driver> drivers) {
        this.drivers = List.copyOf(drivers);
        Map<String, Driver> map = new LinkedHashMap<>();
        for (Driver d : drivers) {
            map.put(d.name(), d);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /**
     * Makes the configured instances ({@code configs} empty = one default instance of every factory).
     *
     * @param factories production passes {@code ServiceLoader.load(DriverFactory.class)}
     * @throws DriverException when a config entry names a driver no factory provides, or names an
     *                         instance twice; no driver has been created then
     */
    public static DriverRegistry load(List<DriverConfig> configs, DriverContext context,
                                      Iterable<DriverFactory> factories) {
        Map<String, DriverFactory> known = factoriesByName(factories);
        List<DriverConfig> wanted = configs == null || configs.isEmpty()
                ? known.keySet().stream().map(DriverConfig::new).toList()
                : configs;
        checkNames(wanted, known);

        List<Driver> created = new ArrayList<>();
        for (DriverConfig config : wanted) {
            create(known.get(config.driver()), config, context).ifPresent(created::add);
        }
        return new DriverRegistry(created);
    }

    /** The instance labels call {@code name} ("test", "test/dev"), if it is configured and available. */
    public Optional<Driver> driver(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every available instance, in config order. */
    public List<Driver> all() {
        return drivers;
    }

    /** Closes every driver (last created first); a failing close is logged and does not stop the others. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = drivers.size() - 1; i >= 0; i--) {
            Driver d = drivers.get(i);
            try {
                d.close();
            } catch (RuntimeException e) {
                LOG.warn("Driver {} did not close cleanly: {}", d.name(), e.getMessage(), e);
            }
        }
    }

    static Map<String, DriverFactory> factoriesByName(Iterable<DriverFactory> factories) {
        Map<String, DriverFactory> known = new LinkedHashMap<>();
        Iterator<DriverFactory> it = factories.iterator();
        int errors = 0;
        while (true) {
            DriverFactory factory;
            try {
                if (!it.hasNext()) {
                    break;
                }
                factory = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("A driver factory could not be loaded: {}", e.getMessage());
                if (++errors >= MAX_PROVIDER_ERRORS) {
                    break;
                }
                continue;
            }
            DriverFactory previous = known.putIfAbsent(factory.name(), factory);
            if (previous != null) {
                throw new DriverException("two driver factories are named '" + factory.name() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return known;
    }

    private static void checkNames(List<DriverConfig> wanted, Map<String, DriverFactory> known) {
        TreeSet<String> seen = new TreeSet<>();
        for (DriverConfig config : wanted) {
            if (!known.containsKey(config.driver())) {
                throw new DriverException("unknown driver '" + config.driver() + "' in drivers config; known: "
                        + String.join(", ", new TreeSet<>(known.keySet())));
            }
            if (!seen.add(config.name())) {
                throw new DriverException("driver '" + config.name() + "' is listed twice in drivers config");
            }
        }
    }

    private static Optional<Driver> create(DriverFactory factory, DriverConfig config, DriverContext context) {
        Driver driver;
        try {
            driver = factory.create(config.name(), config.cfg(), context);
        } catch (DriverException e) {
            LOG.warn("Driver {} is unavailable: {}", config.name(), e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            // Not a reported failure but a bug in the driver: keep the stack trace for whoever fixes it.
            LOG.warn("Driver {} is unavailable: {}", config.name(), e.toString(), e);
            return Optional.empty();
        }
        if (driver == null) {
            LOG.warn("Driver {} is unavailable: its factory made no driver", config.name());
            return Optional.empty();
        }
        if (!config.name().equals(driver.name())) {
            // Labels and the registry must agree on the name, or a label could never find its driver.
            LOG.warn("Driver {} is unavailable: it calls itself '{}'", config.name(), driver.name());
            closeQuietly(driver);
            return Optional.empty();
        }
        LOG.info("Driver {} is available{}", driver.name(), driver.isRemote() ? " (remote)" : "");
        return Optional.of(driver);
    }

    private static void closeQuietly(Driver driver) {
        try {
            driver.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing a rejected driver failed", e);
        }
    }
}
