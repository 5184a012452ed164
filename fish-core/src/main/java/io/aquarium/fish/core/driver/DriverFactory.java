package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.config.ConfigProblems;

import java.util.Map;

/**
 * Makes driver instances; found with {@link java.util.ServiceLoader} (each driver module lists its
 * factory in {@code META-INF/services/io.aquarium.fish.core.driver.DriverFactory}).
 */
public interface DriverFactory {
    /** The driver's name as labels and config use it: "test", "docker", "native". */
    String name();

    /**
     * Prepares an instance from its config ({@code cfg} of a {@code drivers:} entry, empty for
     * defaults). {@code instanceName} is {@code name} or {@code name/instance}. Invalid config or a
     * missing engine: {@link DriverException} with a message for the operator.
     */
    Driver create(String instanceName, Map<String, Object> config, DriverContext context);

    /**
     * Checks a {@code cfg} without creating or contacting anything, for {@code validate} and before a
     * node writes anything: each malformed value or unknown key is an error, what would only make the
     * driver unavailable here (an engine not reachable, a program missing) a warning. The keys given to
     * {@code problems} are the cfg's own ({@code cpu_limit}). The default reports nothing.
     */
    default void check(String instanceName, Map<String, Object> config, DriverContext context,
                       ConfigProblems problems) {
    }
}
