package io.aquarium.fish.core.model;

/** A disk a definition asks for. {@code cloneOf} is the wire's "clone": a snapshot to clone from. */
public record ResourcesDisk(String type, String label, int size, boolean reuse, String cloneOf) {
    public ResourcesDisk {
        type = type == null ? "" : type;
        label = label == null ? "" : label;
        cloneOf = cloneOf == null ? "" : cloneOf;
    }
}
