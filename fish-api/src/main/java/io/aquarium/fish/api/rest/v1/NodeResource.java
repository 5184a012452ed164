package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.api.rest.Params;
import io.aquarium.fish.api.rest.wire.NodeWire;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.service.NodeService;
import io.aquarium.fish.core.store.Entity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("api/v1/node")
@Produces(MediaType.APPLICATION_JSON)
public final class NodeResource {
    private final NodeService nodes;

    public NodeResource(NodeService nodes) {
        this.nodes = nodes;
    }

    @GET
    public List<NodeWire> list(@Context SecurityContext sc, @QueryParam("filter") String filter) {
        return nodes.list(FishPrincipal.of(sc), Filter.parse(filter, Entity.NODE.filterColumns())).stream()
                .map(NodeWire::of).toList();
    }

    @GET
    @Path("this")
    public NodeWire thisNode() {
        return NodeWire.of(nodes.thisNode());
    }

    /** Echoes the parameters as the original does; {@code enable} defaults to true. */
    @GET
    @Path("this/maintenance")
    public Map<String, Object> maintenance(@Context SecurityContext sc, @QueryParam("enable") String enable,
                                           @QueryParam("shutdown") String shutdown,
                                           @QueryParam("shutdown_delay") String shutdownDelay) {
        Boolean enableFlag = Params.bool("enable", enable);
        Boolean shutdownFlag = Params.bool("shutdown", shutdown);
        Maintenance.Mode mode = nodes.maintenance(FishPrincipal.of(sc), enableFlag, shutdownFlag, shutdownDelay);
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("enable", mode.maintenance());
        echo.put("shutdown", mode.shutdown());
        echo.put("shutdown_delay", shutdownDelay == null ? "" : shutdownDelay);
        return echo;
    }
}
