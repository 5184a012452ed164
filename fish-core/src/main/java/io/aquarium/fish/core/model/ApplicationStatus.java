package io.aquarium.fish.core.model;

/** The states of an Application. Active ones still hold, or may still get, a resource. */
public enum ApplicationStatus {
    NEW, ELECTED, ALLOCATED, DEALLOCATE, RECALLED, DEALLOCATED, ERROR;

    public boolean isActive() {
        return this == NEW || this == ELECTED || this == ALLOCATED;
    }
}
