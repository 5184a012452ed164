package io.aquarium.fish.core.config;

import java.util.List;

/**
 * The result of checking a config: every problem found, and the config when none is an error.
 *
 * @param config   the config, null when a problem is an error
 * @param drivers  the {@code drivers:} entries as read (what could be read of them), for the drivers' own checks
 * @param problems every error and warning, in the order found
 */
public record ConfigReport(FishConfig config, List<DriverConfig> drivers, List<ConfigProblem> problems) {
    public ConfigReport {
        drivers = List.copyOf(drivers);
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return errors().isEmpty();
    }

    public List<ConfigProblem> errors() {
        return problems.stream().filter(ConfigProblem::isError).toList();
    }

    public List<ConfigProblem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }
}
