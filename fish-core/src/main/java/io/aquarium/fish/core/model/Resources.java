package io.aquarium.fish.core.model;

import java.util.List;
import java.util.Map;

/**
 * What a label definition needs from a node. {@code cpu} in vCPUs, {@code ram} in GB,
 * {@code lifetime} a duration string ("" = node default, negative = forever).
 */
public record Resources(int cpu, int ram, Map<String, ResourcesDisk> disks, String network,
                        List<String> nodeFilter, boolean multitenancy, boolean cpuOverbook,
                        boolean ramOverbook, String lifetime) {
    public Resources {
        disks = disks == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(disks));
        network = network == null ? "" : network;
        nodeFilter = nodeFilter == null ? List.of() : List.copyOf(nodeFilter);
        lifetime = lifetime == null ? "" : lifetime;
    }
}
