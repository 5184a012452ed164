package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.LabelDefinition;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A way to provide resources (containers, processes, VMs...). One instance per {@code drivers:}
 * entry. Calls that create or destroy things may block (they run on the allocator's workers, never
 * on the election path); everything must be thread-safe.
 */
public interface Driver extends AutoCloseable {
    /** "driver" or "driver/instance", as label definitions name it. */
    String name();

    /** Remote drivers (clouds) don't consume this host's CPU/RAM, so their usage is counted alone. */
    boolean isRemote();

    /**
     * Whether its resources are processes of this node's host: they call out from the host's own
     * addresses, which therefore never tell one from another (the Meta API knows them by their token).
     */
    default boolean runsOnTheHost() {
        return false;
    }

    /** Rejects definition options this driver cannot use, with a message for the user. */
    void validate(LabelDefinition definition) throws DriverException;

    /**
     * How many more resources of {@code definition} fit now, given {@code usage} (this node's for a
     * local driver, this instance's for a remote one). 0 = none; may be slow for remote drivers.
     */
    int availableCapacity(Usage usage, LabelDefinition definition) throws DriverException;

    /**
     * What this instance hands out at most, by resource ({@code "cpu"} in vCPUs, {@code "ram"} in GB),
     * overbooking aside; a resource without a limit is absent. Reported as {@code fish_driver_capacity}.
     */
    default Map<String, Integer> totals() {
        return Map.of();
    }

    /** Creates the resource for {@code request}'s application, definition and merged metadata. */
    AllocatedResource allocate(AllocationRequest request) throws DriverException;

    /** The task of that name, if this driver supports it. */
    Optional<DriverTask> task(String name);

    /** Destroys the resource; succeeding for an identifier that is already gone. */
    void deallocate(String identifier) throws DriverException;

    /**
     * Called once when the node starts, before it allocates anything: removes what this driver
     * made for this node but is not in {@code identifiersInUse} (the identifiers of every resource
     * the node's store records, of any driver), such as a resource created just before a crash and
     * never recorded. Resources that are recorded but whose application ended are not this call's
     * business: the node releases them through {@link #deallocate}.
     */
    default void reconcile(Set<String> identifiersInUse) throws DriverException {
    }

    @Override
    default void close() {
    }
}
