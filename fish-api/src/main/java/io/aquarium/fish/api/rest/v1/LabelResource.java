package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.api.rest.Params;
import io.aquarium.fish.api.rest.RequestBodies;
import io.aquarium.fish.api.rest.wire.AuthenticationWire;
import io.aquarium.fish.api.rest.wire.LabelWire;
import io.aquarium.fish.api.rest.wire.Requests.DefinitionRequest;
import io.aquarium.fish.api.rest.wire.Requests.LabelRequest;
import io.aquarium.fish.api.rest.wire.ResourcesWire;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.service.LabelService;
import io.aquarium.fish.core.store.Entity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Path("api/v1/label")
@Produces(MediaType.APPLICATION_JSON)
public final class LabelResource {
    private final LabelService labels;
    private final RequestBodies bodies;

    public LabelResource(LabelService labels, RequestBodies bodies) {
        this.labels = labels;
        this.bodies = bodies;
    }

    @GET
    public List<LabelWire> list(@Context SecurityContext sc, @QueryParam("filter") String filter) {
        return labels.list(FishPrincipal.of(sc), Filter.parse(filter, Entity.LABEL.filterColumns())).stream()
                .map(LabelWire::of).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public LabelWire create(@Context SecurityContext sc, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                            InputStream body) {
        LabelRequest request = bodies.read(body, contentType, LabelRequest.class);
        // REST v1 (v0.7.7) has no remove_at, so it creates no temporary (version 0) labels: v2 does.
        if (request.version() == null || request.version() < 1) {
            throw FishException.badRequest("Label: Version can't be less than 1");
        }
        List<LabelDefinition> definitions = new ArrayList<>();
        if (request.definitions() != null) {
            for (int i = 0; i < request.definitions().size(); i++) {
                definitions.add(definition(i, request.definitions().get(i)));
            }
        }
        return LabelWire.of(labels.create(FishPrincipal.of(sc), new LabelService.NewLabel(request.name(),
                request.version(), definitions,
                bodies.rawObject(request.metadata(), "metadata"))));
    }

    private LabelDefinition definition(int index, DefinitionRequest d) {
        if (d == null) {
            throw FishException.badRequest("Label definition " + index + " is null");
        }
        if (d.resources() == null) {
            throw FishException.badRequest("Label definition " + index + ": resources are required");
        }
        ResourcesWire resources = d.resources();
        AuthenticationWire auth = d.authentication();
        return new LabelDefinition(d.driver() == null ? "" : d.driver(), resources.toModel(),
                bodies.rawObject(d.options(), "options"), auth == null ? null : auth.toModel());
    }

    @GET
    @Path("{uid}")
    public LabelWire get(@Context SecurityContext sc, @PathParam("uid") String uid) {
        return LabelWire.of(labels.get(FishPrincipal.of(sc), Params.uuid("uid", uid)));
    }

    @DELETE
    @Path("{uid}")
    public Map<String, String> delete(@Context SecurityContext sc, @PathParam("uid") String uid) {
        labels.delete(FishPrincipal.of(sc), Params.uuid("uid", uid));
        return Map.of("message", "Label removed");
    }
}
