package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.Authentication;

/** What a driver reports for a resource it created: its id for later calls and its network identity. */
public record AllocatedResource(String identifier, String ipAddr, String hwAddr, Authentication authentication) {
    public AllocatedResource {
        if (identifier == null || identifier.isEmpty()) {
            throw new IllegalArgumentException("a resource needs an identifier");
        }
        ipAddr = ipAddr == null ? "" : ipAddr;
        hwAddr = hwAddr == null ? "" : hwAddr;
    }
}
