package io.aquarium.fish.drivers.common;

import io.aquarium.fish.core.config.ConfigValues;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.Resources;

import java.util.Map;

/**
 * How many resources fit on this host. The totals are the host's CPUs and RAM (GB), replaced by
 * {@code cpu_limit}/{@code ram_limit} when set, else shifted by {@code cpu_alter}/{@code ram_alter}
 * (negative keeps some for the host itself); overbook adds room usable only by resources that all
 * allow multitenancy and overbooking.
 *
 * @param cpuTotal    vCPUs this driver may hand out
 * @param ramTotal    RAM in GB this driver may hand out
 * @param cpuOverbook extra vCPUs for resources that allow CPU overbooking
 * @param ramOverbook extra GB for resources that allow RAM overbooking
 */
public record HostCapacity(int cpuTotal, int ramTotal, int cpuOverbook, int ramOverbook) {
    /** What a request of no CPU and no RAM is reported as. */
    public static final int UNLIMITED = 1_000_000;

    /** Reads the capacity keys of {@code cfg} against a host of {@code hostCpu} vCPUs and {@code hostRamGb} GB. */
    public static HostCapacity from(ConfigValues cfg, int hostCpu, int hostRamGb) {
        return CapacityConfig.parse(cfg).forHost(hostCpu, hostRamGb);
    }

    /** {@link io.aquarium.fish.core.driver.Driver#totals()} of a local driver: its CPU and RAM totals. */
    public Map<String, Integer> totals() {
        return Map.of("cpu", cpuTotal, "ram", ramTotal);
    }

    /**
     * How many more of {@code wanted} fit next to {@code usage}; 0 when none. Overbooking needs
     * every resource involved (the held ones and the new one) to allow multitenancy and that kind of
     * overbooking, as the original node's local drivers count it.
     */
    public int available(Usage usage, Resources wanted) {
        Usage used = usage == null ? Usage.NONE : usage;
        boolean shared = wanted.multitenancy() && (used.isEmpty() || used.multitenancy());
        boolean cpuOb = shared && wanted.cpuOverbook() && (used.isEmpty() || used.cpuOverbook());
        boolean ramOb = shared && wanted.ramOverbook() && (used.isEmpty() || used.ramOverbook());
        long fit = Math.min(fits(cpuTotal, cpuOb ? cpuOverbook : 0, used.cpu(), wanted.cpu()),
                fits(ramTotal, ramOb ? ramOverbook : 0, used.ram(), wanted.ram()));
        return (int) Math.min(fit, UNLIMITED);
    }

    private static long fits(long total, long overbook, long used, long need) {
        if (need <= 0) {
            return UNLIMITED;
        }
        if (need > total) {
            return 0;
        }
        return Math.max(0, (total + overbook - used) / need);
    }
}
