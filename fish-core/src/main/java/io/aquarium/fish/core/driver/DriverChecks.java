package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.config.ConfigKeys;
import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.config.Suggestions;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code drivers:} part of a config check: every entry names a known driver, once, and its
 * {@code cfg} passes that driver's own {@link DriverFactory#check}. Creates no driver.
 */
public final class DriverChecks {
    private DriverChecks() {
    }

    /**
     * @param configs  the entries as read; empty = every known driver with its defaults
     * @param explicit whether {@code configs} came from the config (their problems then carry their
     *                 {@code drivers[i]} position)
     */
    public static void check(List<DriverConfig> configs, boolean explicit, DriverContext context,
                             Iterable<DriverFactory> factories, ConfigProblems problems) {
        Map<String, DriverFactory> known;
        try {
            known = DriverRegistry.factoriesByName(factories);
        } catch (DriverException e) {
            problems.error(null, e.getMessage());
            return;
        }
        List<DriverConfig> wanted = configs.isEmpty()
                ? known.keySet().stream().map(DriverConfig::new).toList()
                : configs;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < wanted.size(); i++) {
            DriverConfig config = wanted.get(i);
            ConfigProblems at = explicit ? problems.under(ConfigKeys.DRIVERS + "[" + i + "]") : problems;
            DriverFactory factory = known.get(config.driver());
            if (factory == null) {
                at.error("name", Suggestions.unknownKey("unknown driver", config.driver(), new TreeSet<>(known.keySet()))
                        + " in drivers entry " + i);
                continue;
            }
            if (!seen.add(config.name())) {
                // FishConfig reports a repeated name already.
                continue;
            }
            try {
                factory.check(config.name(), config.cfg(), context, explicit ? at.under("cfg") : at);
            } catch (RuntimeException e) {
                at.error("cfg", config.name() + " driver config: " + e.getMessage());
            }
        }
    }
}
