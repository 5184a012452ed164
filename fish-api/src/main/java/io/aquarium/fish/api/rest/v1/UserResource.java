package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.api.rest.RequestBodies;
import io.aquarium.fish.api.rest.wire.Requests.UserRequest;
import io.aquarium.fish.api.rest.wire.UserPasswordWire;
import io.aquarium.fish.api.rest.wire.UserWire;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.service.UserService;
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

@Path("api/v1/user")
@Produces(MediaType.APPLICATION_JSON)
public final class UserResource {
    private final UserService users;
    private final RequestBodies bodies;

    public UserResource(UserService users, RequestBodies bodies) {
        this.users = users;
        this.bodies = bodies;
    }

    @GET
    public List<UserWire> list(@Context SecurityContext sc, @QueryParam("filter") String filter) {
        return users.list(FishPrincipal.of(sc), Filter.parse(filter, Entity.USER.filterColumns())).stream()
                .map(UserWire::of).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public UserPasswordWire createOrUpdate(@Context SecurityContext sc,
                                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                           InputStream body) {
        UserRequest request = bodies.read(body, contentType, UserRequest.class);
        UserService.PasswordSet set = users.createOrUpdate(FishPrincipal.of(sc), request.name(), request.password());
        return UserPasswordWire.of(set.user(), set.generatedPassword());
    }

    @GET
    @Path("me")
    public UserWire me(@Context SecurityContext sc) {
        return UserWire.of(FishPrincipal.of(sc));
    }

    @GET
    @Path("{name}")
    public UserWire get(@Context SecurityContext sc, @PathParam("name") String name) {
        return UserWire.of(users.get(FishPrincipal.of(sc), name));
    }

    @DELETE
    @Path("{name}")
    public Map<String, String> delete(@Context SecurityContext sc, @PathParam("name") String name) {
        users.delete(FishPrincipal.of(sc), name);
        return Map.of("message", "User removed");
    }
}
