package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.Resources;

/**
 * What a node (for local drivers) or a driver instance (for remote ones) already holds: summed
 * CPU and RAM of its active resources, their count, and whether all of them tolerate tenancy and
 * overbooking (false as soon as one does not).
 *
 * <p>Sums saturate at {@link Integer#MAX_VALUE} instead of wrapping: a wrapped sum is negative, and a
 * node holding more than it can count would then look empty and take even more.
 */
public record Usage(int cpu, int ram, int count, boolean multitenancy, boolean cpuOverbook, boolean ramOverbook) {
    public static final Usage NONE = new Usage(0, 0, 0, true, true, true);

    public boolean isEmpty() {
        return count == 0;
    }

    public Usage plus(Resources r) {
        return plus(new Usage(r.cpu(), r.ram(), 1, r.multitenancy(), r.cpuOverbook(), r.ramOverbook()));
    }

    public Usage plus(Usage other) {
        return new Usage(saturatedSum(cpu, other.cpu), saturatedSum(ram, other.ram), saturatedSum(count, other.count),
                multitenancy && other.multitenancy, cpuOverbook && other.cpuOverbook, ramOverbook && other.ramOverbook);
    }

    static int saturatedSum(int a, int b) {
        long sum = (long) a + b;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum));
    }
}
