package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.api.rest.Params;
import io.aquarium.fish.api.rest.wire.ResourceWire;
import io.aquarium.fish.api.rest.wire.VoteWire;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.service.InventoryService;
import io.aquarium.fish.core.store.Entity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;

/** Resources and votes: what the cluster runs and how it was elected. */
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class InventoryResource {
    private final InventoryService inventory;

    public InventoryResource(InventoryService inventory) {
        this.inventory = inventory;
    }

    @GET
    @Path("resource")
    public List<ResourceWire> resources(@Context SecurityContext sc, @QueryParam("filter") String filter) {
        return inventory.resources(FishPrincipal.of(sc), Filter.parse(filter, Entity.RESOURCE.filterColumns()))
                .stream().map(ResourceWire::of).toList();
    }

    @GET
    @Path("resource/{uid}")
    public ResourceWire resource(@Context SecurityContext sc, @PathParam("uid") String uid) {
        return ResourceWire.of(inventory.resource(FishPrincipal.of(sc), Params.uuid("uid", uid)));
    }

    /** SSH pass-through needs the original's proxyssh, which this node does not run. */
    @GET
    @Path("resource/{uid}/access")
    public ResourceWire access(@Context SecurityContext sc, @PathParam("uid") String uid) {
        inventory.resource(FishPrincipal.of(sc), Params.uuid("uid", uid));
        throw FishException.notFound("Resource access is not available: this node runs no SSH proxy");
    }

    @GET
    @Path("vote")
    public List<VoteWire> votes(@Context SecurityContext sc, @QueryParam("filter") String filter) {
        return inventory.votes(FishPrincipal.of(sc), Filter.parse(filter, Entity.VOTE.filterColumns()))
                .stream().map(VoteWire::of).toList();
    }
}
