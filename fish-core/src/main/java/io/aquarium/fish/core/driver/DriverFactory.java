package io.aquarium.fish.core.driver;

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
}
