package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.config.ConfigLoader;
import io.aquarium.fish.core.config.ConfigReport;
import io.aquarium.fish.core.driver.DriverChecks;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything a start checks in a config, before anything is written: the node's keys
 * ({@link ConfigLoader#check}), the drivers named and each driver's {@code cfg}
 * ({@link DriverChecks}). {@code validate} and a starting node run this same check.
 */
public final class ConfigValidation {
    private ConfigValidation() {
    }

    /** @param factories production passes {@code ServiceLoader.load(DriverFactory.class)} */
    public static ConfigReport validate(ConfigLoader loader, Path file, Map<String, Object> overrides,
                                        Iterable<DriverFactory> factories, Clock clock) {
        return loader.check(file, overrides, (drivers, explicit, config, problems) -> {
            DriverContext context = new DriverContext(Path.of("").toAbsolutePath(),
                    config == null ? "" : config.nodeName(), clock, config == null ? null : config.directory());
            DriverChecks.check(drivers, explicit, context, factories, problems);
        });
    }
}
