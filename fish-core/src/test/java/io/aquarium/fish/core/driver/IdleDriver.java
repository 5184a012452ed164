package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.LabelDefinition;

import java.util.Optional;

/** A test driver that accepts every definition, has no capacity and makes nothing; tests override what they need. */
public class IdleDriver implements Driver {
    private final String name;

    public IdleDriver(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    @Override
    public void validate(LabelDefinition definition) {
    }

    @Override
    public int availableCapacity(Usage usage, LabelDefinition definition) {
        return 0;
    }

    @Override
    public AllocatedResource allocate(AllocationRequest request) {
        throw new DriverException("not in this test");
    }

    @Override
    public Optional<DriverTask> task(String name) {
        return Optional.empty();
    }

    @Override
    public void deallocate(String identifier) {
    }
}
