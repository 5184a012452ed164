package io.aquarium.fish.core.election;

import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which definition of a label this node can serve now: the best-ranked one whose driver is
 * configured here, whose {@code node_filter} globs each match one of this node's identifiers, and
 * whose driver reports capacity for at least one more.
 */
public final class Eligibility {
    private static final Logger LOG = LoggerFactory.getLogger(Eligibility.class);

    private final Function<String, Optional<Driver>> drivers;
    private final List<String> nodeIdentifiers;

    public Eligibility(Function<String, Optional<Driver>> drivers, List<String> nodeIdentifiers) {
        this.drivers = drivers;
        this.nodeIdentifiers = List.copyOf(nodeIdentifiers);
    }

    /** The definition index to vote for, or -1; tries definitions in rank order starting at {@code firstIndex}. */
    public int firstServable(Label label, int firstIndex, CapacityLedger ledger) {
        int n = label.definitions().size();
        for (int k = 0; k < n; k++) {
            int index = Math.floorMod(firstIndex + k, n);
            LabelDefinition definition = label.definitions().get(index);
            Optional<Driver> driver = drivers.apply(definition.driver());
            if (driver.isEmpty() || !matchesNodeFilter(definition)) {
                continue;
            }
            if (hasCapacity(driver.get(), definition, ledger)) {
                return index;
            }
        }
        return -1;
    }

    public boolean matchesNodeFilter(LabelDefinition definition) {
        for (String pattern : definition.resources().nodeFilter()) {
            if (nodeIdentifiers.stream().noneMatch(id -> NodeFilterGlob.matches(pattern, id))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasCapacity(Driver driver, LabelDefinition definition, CapacityLedger ledger) {
        try {
            return driver.availableCapacity(ledger.usageFor(driver), definition) >= 1;
        } catch (RuntimeException e) {
            LOG.debug("Driver {} could not report capacity: {}", driver.name(), e.getMessage());
            return false;
        }
    }
}
