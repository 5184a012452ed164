package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.auth.Authenticator;
import io.aquarium.fish.core.service.ApplicationService;
import io.aquarium.fish.core.service.InventoryService;
import io.aquarium.fish.core.service.LabelService;
import io.aquarium.fish.core.service.LocationService;
import io.aquarium.fish.core.service.NodeService;
import io.aquarium.fish.core.service.UserService;

/** The use cases a node offers to its APIs. */
public record NodeServices(Authenticator authenticator, UserService users, LabelService labels,
                           ApplicationService applications, NodeService nodes, InventoryService inventory,
                           LocationService locations) {
}
