package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public record ResourcesWire(@JsonProperty("cpu") Integer cpu,
                            @JsonProperty("ram") Integer ram,
                            @JsonProperty("disks") Map<String, DiskWire> disks,
                            @JsonProperty("network") String network,
                            @JsonProperty("node_filter") List<String> nodeFilter,
                            @JsonProperty("multitenancy") boolean multitenancy,
                            @JsonProperty("cpu_overbook") boolean cpuOverbook,
                            @JsonProperty("ram_overbook") boolean ramOverbook,
                            @JsonProperty("lifetime") String lifetime) {

    static ResourcesWire of(Resources r) {
        Map<String, DiskWire> disks = new LinkedHashMap<>();
        r.disks().forEach((k, d) -> disks.put(k, DiskWire.of(d)));
        return new ResourcesWire(r.cpu(), r.ram(), disks, r.network(), r.nodeFilter(), r.multitenancy(),
                r.cpuOverbook(), r.ramOverbook(), r.lifetime());
    }

    public Resources toModel() {
        Map<String, ResourcesDisk> modelDisks = new LinkedHashMap<>();
        if (disks != null) {
            disks.forEach((k, d) -> modelDisks.put(k, d == null ? new ResourcesDisk("", "", 0, false, "") : d.toModel()));
        }
        return new Resources(cpu == null ? 0 : cpu, ram == null ? 0 : ram, modelDisks, network, nodeFilter,
                multitenancy, cpuOverbook, ramOverbook, lifetime);
    }

    public record DiskWire(@JsonProperty("type") String type,
                           @JsonProperty("label") String label,
                           @JsonProperty("size") Integer size,
                           @JsonProperty("reuse") boolean reuse,
                           @JsonProperty("clone") String cloneOf) {
        static DiskWire of(ResourcesDisk d) {
            return new DiskWire(d.type(), d.label(), d.size(), d.reuse(), d.cloneOf());
        }

        ResourcesDisk toModel() {
            return new ResourcesDisk(type, label, size == null ? 0 : size, reuse, cloneOf);
        }
    }
}
