package io.aquarium.fish.drivers.common;

import io.aquarium.fish.core.config.ConfigValues;
import java.util.Set;

/**
 * The capacity keys of a local driver's config, before the host they apply to is known.
 *
 * @param cpuLimit vCPUs to hand out instead of the host's (0 = the host's)
 * @param ramLimit GB to hand out instead of the host's (0 = the host's)
 * @param cpuAlter added to the host's vCPUs when there is no limit (negative keeps some back)
 * @param ramAlter added to the host's GB when there is no limit
 */
public record CapacityConfig(int cpuLimit, int ramLimit, int cpuAlter, int ramAlter, int cpuOverbook,
                             int ramOverbook) {
    /** The config keys this record reads. */
    public static final Set<String> KEYS =
            Set.of("cpu_limit", "ram_limit", "cpu_alter", "ram_alter", "cpu_overbook", "ram_overbook");

    public static CapacityConfig parse(ConfigValues cfg) {
        return new CapacityConfig(
                cfg.integer("cpu_limit", 0, 0, Integer.MAX_VALUE),
                cfg.integer("ram_limit", 0, 0, Integer.MAX_VALUE),
                cfg.integer("cpu_alter", 0, -100_000, 100_000),
                cfg.integer("ram_alter", 0, -100_000_000, 100_000_000),
                cfg.integer("cpu_overbook", 0, 0, Integer.MAX_VALUE),
                cfg.integer("ram_overbook", 0, 0, Integer.MAX_VALUE));
    }

    /** The totals on a host of {@code hostCpu} vCPUs and {@code hostRamGb} GB. */
    public HostCapacity forHost(int hostCpu, int hostRamGb) {
        return new HostCapacity(
                cpuLimit > 0 ? cpuLimit : Math.max(0, hostCpu + cpuAlter),
                ramLimit > 0 ? ramLimit : Math.max(0, hostRamGb + ramAlter),
                cpuOverbook, ramOverbook);
    }
}
