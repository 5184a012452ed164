package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.api.rest.Params;
import io.aquarium.fish.api.rest.RequestBodies;
import io.aquarium.fish.api.rest.wire.LocationWire;
import io.aquarium.fish.api.rest.wire.Requests.LocationRequest;
import io.aquarium.fish.api.rest.wire.Requests.ServiceMappingRequest;
import io.aquarium.fish.api.rest.wire.ServiceMappingWire;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.service.LocationService;
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
import java.util.List;
import java.util.Map;

/** Locations and service mappings. */
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class LocationResource {
    private final LocationService locations;
    private final RequestBodies bodies;

    public LocationResource(LocationService locations, RequestBodies bodies) {
        this.locations = locations;
        this.bodies = bodies;
    }

    @GET
    @Path("location")
    public List<LocationWire> list(@QueryParam("filter") String filter) {
        return locations.locations(Filter.parse(filter, Entity.LOCATION.filterColumns())).stream()
                .map(LocationWire::of).toList();
    }

    @POST
    @Path("location")
    @Consumes(MediaType.WILDCARD)
    public LocationWire create(@Context SecurityContext sc, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                               InputStream body) {
        LocationRequest request = bodies.read(body, contentType, LocationRequest.class);
        return LocationWire.of(locations.createLocation(FishPrincipal.of(sc), request.name(), request.description()));
    }

    @GET
    @Path("servicemapping")
    public List<ServiceMappingWire> mappings(@QueryParam("filter") String filter) {
        return locations.mappings(Filter.parse(filter, Entity.SERVICE_MAPPING.filterColumns())).stream()
                .map(ServiceMappingWire::of).toList();
    }

    @POST
    @Path("servicemapping")
    @Consumes(MediaType.WILDCARD)
    public ServiceMappingWire createMapping(@Context SecurityContext sc,
                                            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                            InputStream body) {
        ServiceMappingRequest r = bodies.read(body, contentType, ServiceMappingRequest.class);
        var app = r.applicationUid() == null || r.applicationUid().isEmpty()
                ? null : Params.uuid("application_UID", r.applicationUid());
        return ServiceMappingWire.of(locations.createMapping(FishPrincipal.of(sc), r.service(), r.redirect(),
                r.locationName(), app));
    }

    @GET
    @Path("servicemapping/{uid}")
    public ServiceMappingWire mapping(@PathParam("uid") String uid) {
        return ServiceMappingWire.of(locations.mapping(Params.uuid("uid", uid)));
    }

    @DELETE
    @Path("servicemapping/{uid}")
    public Map<String, String> deleteMapping(@Context SecurityContext sc, @PathParam("uid") String uid) {
        locations.deleteMapping(FishPrincipal.of(sc), Params.uuid("uid", uid));
        return Map.of("message", "ServiceMapping removed");
    }
}
