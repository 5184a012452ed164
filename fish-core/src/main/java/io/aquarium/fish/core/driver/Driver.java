package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;

import java.util.Optional;

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

    /** Rejects definition options this driver cannot use, with a message for the user. */
    void validate(LabelDefinition definition) throws DriverException;

    /**
     * How many more resources of {@code definition} fit now, given {@code usage} (this node's for a
     * local driver, this instance's for a remote one). 0 = none; may be slow for remote drivers.
     */
    int availableCapacity(Usage usage, LabelDefinition definition) throws DriverException;

    /** Creates the resource; {@code metadata} is the merged application+label metadata. */
    AllocatedResource allocate(LabelDefinition definition, RawJson metadata) throws DriverException;

    ResourceStatus status(String identifier) throws DriverException;

    /** The task of that name, if this driver supports it. */
    Optional<DriverTask> task(String name);

    /** Destroys the resource; succeeding for an identifier that is already gone. */
    void deallocate(String identifier) throws DriverException;

    @Override
    default void close() {
    }
}
