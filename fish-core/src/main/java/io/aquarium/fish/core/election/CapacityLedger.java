package io.aquarium.fish.core.election;

import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.Resources;

import java.util.HashMap;
import java.util.Map;

/**
 * What this node holds or has promised, for capacity checks. Local drivers share the host, so
 * their usage is summed node-wide; a remote driver's usage is its own. Rebuilt every election
 * pass from the store (allocated), the allocator (in flight) and this pass's own positive votes.
 * Its sums saturate rather than wrap ({@link Usage#plus(Usage)}).
 */
public final class CapacityLedger {
    private Usage local = Usage.NONE;
    private final Map<String, Usage> remote = new HashMap<>();

    public void add(Driver driver, Resources resources) {
        if (driver.isRemote()) {
            remote.merge(driver.name(), Usage.NONE.plus(resources), Usage::plus);
        } else {
            local = local.plus(resources);
        }
    }

    public Usage usageFor(Driver driver) {
        return driver.isRemote() ? remote.getOrDefault(driver.name(), Usage.NONE) : local;
    }
}
