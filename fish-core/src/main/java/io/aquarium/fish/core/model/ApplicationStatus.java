package io.aquarium.fish.core.model;

/** The states of an Application. Active ones still hold, or may still get, a resource. */
public enum ApplicationStatus {
    NEW, ELECTED, ALLOCATED, DEALLOCATE, RECALLED, DEALLOCATED, ERROR;

    public boolean isActive() {
        return this == NEW || this == ELECTED || this == ALLOCATED;
    }

    /**
     * Whether nothing follows this status: the application holds no resource and never will. DEALLOCATE
     * is not final: its node still frees the resource, with the label's definition.
     */
    public boolean isFinal() {
        return this == RECALLED || this == DEALLOCATED || this == ERROR;
    }
}
