package io.aquarium.fish.core.service;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Location;
import io.aquarium.fish.core.model.ServiceMapping;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;

import java.util.List;
import java.util.UUID;

/** Locations and the service mappings that redirect external services per location. */
public final class LocationService {
    private final FishStore store;
    private final UidGenerator uids;
    private final MonotonicClock clock;

    public LocationService(FishStore store, UidGenerator uids, MonotonicClock clock) {
        this.store = store;
        this.uids = uids;
        this.clock = clock;
    }

    public List<Location> locations(Filter filter) {
        return store.locations(filter);
    }

    public Location createLocation(User caller, String name, String description) {
        Access.requireAdmin(caller, "create locations");
        requireText("Location: name", name);
        Location location = new Location(name, clock.now(), description);
        store.createLocation(location);
        return location;
    }

    public List<ServiceMapping> mappings(Filter filter) {
        return store.serviceMappings(filter);
    }

    public ServiceMapping mapping(UUID uid) {
        return store.serviceMapping(uid).orElseThrow(() -> FishException.notFound("ServiceMapping not found: " + uid));
    }

    public ServiceMapping createMapping(User caller, String service, String redirect, String locationName,
                                       UUID applicationUid) {
        Access.requireAdmin(caller, "create service mappings");
        requireText("ServiceMapping: service", service);
        requireText("ServiceMapping: redirect", redirect);
        if (applicationUid != null && !ServiceMapping.ANY_APPLICATION.equals(applicationUid)
                && store.application(applicationUid).isEmpty()) {
            throw FishException.badRequest("Unable to find Application with UID: " + applicationUid);
        }
        ServiceMapping mapping = new ServiceMapping(uids.next(), clock.now(), service, redirect, locationName,
                applicationUid);
        store.createServiceMapping(mapping);
        return mapping;
    }

    public void deleteMapping(User caller, UUID uid) {
        Access.requireAdmin(caller, "delete service mappings");
        if (!store.deleteServiceMapping(uid)) {
            throw FishException.notFound("ServiceMapping not found: " + uid);
        }
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw FishException.badRequest(what + " can't be empty");
        }
        if (value.length() > 1024) {
            throw FishException.badRequest(what + " is longer than 1024 characters");
        }
    }
}
