package io.aquarium.fish.core.service;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.model.Vote;
import io.aquarium.fish.core.store.FishStore;

import java.util.List;
import java.util.UUID;

/** Read access to what the cluster runs: resources (admin or owner) and votes (admin). */
public final class InventoryService {
    private final FishStore store;

    public InventoryService(FishStore store) {
        this.store = store;
    }

    public List<Resource> resources(User caller, Filter filter) {
        Access.requireAdmin(caller, "list resources");
        return store.resources(filter);
    }

    public Resource resource(User caller, UUID uid) {
        Resource resource = store.resource(uid).orElseThrow(() -> FishException.notFound("Resource not found: " + uid));
        if (!caller.isAdmin()) {
            String owner = store.application(resource.applicationUid()).map(Application::ownerName).orElse("");
            Access.requireOwner(caller, owner, "Resource " + uid);
        }
        return resource;
    }

    public List<Vote> votes(User caller, Filter filter) {
        Access.requireAdmin(caller, "list votes");
        return store.votes(filter);
    }
}
