package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.api.rest.Params;
import io.aquarium.fish.api.rest.RequestBodies;
import io.aquarium.fish.api.rest.wire.ApplicationStateWire;
import io.aquarium.fish.api.rest.wire.ApplicationTaskWire;
import io.aquarium.fish.api.rest.wire.ApplicationWire;
import io.aquarium.fish.api.rest.wire.Requests.ApplicationRequest;
import io.aquarium.fish.api.rest.wire.Requests.TaskRequest;
import io.aquarium.fish.api.rest.wire.ResourceWire;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.service.ApplicationService;
import io.aquarium.fish.core.store.Entity;
import jakarta.ws.rs.Consumes;
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
import java.util.Locale;

@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ApplicationResource {
    private final ApplicationService applications;
    private final RequestBodies bodies;

    public ApplicationResource(ApplicationService applications, RequestBodies bodies) {
        this.applications = applications;
        this.bodies = bodies;
    }

    @GET
    @Path("application")
    public List<ApplicationWire> list(@Context SecurityContext sc, @QueryParam("filter") String filter) {
        return applications.list(FishPrincipal.of(sc), Filter.parse(filter, Entity.APPLICATION.filterColumns()))
                .stream().map(ApplicationWire::of).toList();
    }

    @POST
    @Path("application")
    @Consumes(MediaType.WILDCARD)
    public ApplicationWire create(@Context SecurityContext sc,
                                  @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        ApplicationRequest request = bodies.read(body, contentType, ApplicationRequest.class);
        if (request.labelUid() == null || request.labelUid().isEmpty()) {
            throw FishException.badRequest("Application: label_UID is required");
        }
        return ApplicationWire.of(applications.create(FishPrincipal.of(sc), Params.uuid("label_UID", request.labelUid()),
                bodies.rawObject(request.metadata(), "metadata")));
    }

    @GET
    @Path("application/{uid}")
    public ApplicationWire get(@Context SecurityContext sc, @PathParam("uid") String uid) {
        return ApplicationWire.of(applications.get(FishPrincipal.of(sc), Params.uuid("uid", uid)));
    }

    @GET
    @Path("application/{uid}/state")
    public ApplicationStateWire state(@Context SecurityContext sc, @PathParam("uid") String uid) {
        return ApplicationStateWire.of(applications.state(FishPrincipal.of(sc), Params.uuid("uid", uid)));
    }

    @GET
    @Path("application/{uid}/resource")
    public ResourceWire resource(@Context SecurityContext sc, @PathParam("uid") String uid) {
        return ResourceWire.of(applications.resource(FishPrincipal.of(sc), Params.uuid("uid", uid)));
    }

    @GET
    @Path("application/{uid}/deallocate")
    public ApplicationStateWire deallocate(@Context SecurityContext sc, @PathParam("uid") String uid) {
        return ApplicationStateWire.of(applications.deallocate(FishPrincipal.of(sc), Params.uuid("uid", uid)));
    }

    @GET
    @Path("application/{uid}/task")
    public List<ApplicationTaskWire> tasks(@Context SecurityContext sc, @PathParam("uid") String uid,
                                           @QueryParam("filter") String filter) {
        return applications.tasks(FishPrincipal.of(sc), Params.uuid("uid", uid),
                Filter.parse(filter, Entity.APPLICATION_TASK.filterColumns())).stream()
                .map(ApplicationTaskWire::of).toList();
    }

    @POST
    @Path("application/{uid}/task")
    @Consumes(MediaType.WILDCARD)
    public ApplicationTaskWire createTask(@Context SecurityContext sc, @PathParam("uid") String uid,
                                          @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                          InputStream body) {
        var appUid = Params.uuid("uid", uid);
        TaskRequest request = bodies.read(body, contentType, TaskRequest.class);
        return ApplicationTaskWire.of(applications.createTask(FishPrincipal.of(sc), appUid, request.task(),
                status(request.when()), bodies.rawObject(request.options(), "options")));
    }

    @GET
    @Path("task/{task_uid}")
    public ApplicationTaskWire task(@Context SecurityContext sc, @PathParam("task_uid") String taskUid) {
        return ApplicationTaskWire.of(applications.task(FishPrincipal.of(sc), Params.uuid("task_uid", taskUid)));
    }

    private static ApplicationStatus status(String when) {
        if (when == null || when.isEmpty()) {
            return null;
        }
        try {
            return ApplicationStatus.valueOf(when.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw FishException.badRequest("ApplicationTask: unknown status in 'when': " + when);
        }
    }
}
