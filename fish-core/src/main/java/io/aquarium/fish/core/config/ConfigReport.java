package io.aquarium.fish.core.config;

import java.util.List;

/**
 * The result of checking a config: every problem found, and the config when none is an error.
 *
 * @param config   the config, null when a problem is an error
 * @param drivers  the {@code drivers:} entries as read (what could be read of them), for the drivers' own checks
 * @param problems every error and warning, in the order of their lines in the file (as found within a
 *                 line; problems without a line, such as those of command-line values, last)
 */
public record ConfigReport(FishConfig config, List<DriverConfig> drivers, List<ConfigProblem> problems) {
    public ConfigReport {
        drivers = List.copyOf(drivers);
        problems = problems.stream()
                .sorted(java.util.Comparator.comparingInt(p -> p.line() > 0 ? p.line() : Integer.MAX_VALUE))
                .toList();
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
