package io.aquarium.fish.core.driver;

/**
 * What a node (for local drivers) or a driver instance (for remote ones) already holds: summed
 * CPU and RAM of its active resources, their count, and whether all of them tolerate tenancy and
 * overbooking (false as soon as one does not).
 */
public record Usage(int cpu, int ram, int count, boolean multitenancy, boolean cpuOverbook, boolean ramOverbook) {
    public static final Usage NONE = new Usage(0, 0, 0, true, true, true);

    public boolean isEmpty() {
        return count == 0;
    }

    public Usage plus(io.aquarium.fish.core.model.Resources r) {
        return new Usage(cpu + r.cpu(), ram + r.ram(), count + 1, multitenancy && r.multitenancy(),
                cpuOverbook && r.cpuOverbook(), ramOverbook && r.ramOverbook());
    }
}
