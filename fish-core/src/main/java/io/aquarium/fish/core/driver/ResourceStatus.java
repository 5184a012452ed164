package io.aquarium.fish.core.driver;

/** Whether a driver still holds a resource it once allocated. */
public enum ResourceStatus { ALLOCATED, NONE }
