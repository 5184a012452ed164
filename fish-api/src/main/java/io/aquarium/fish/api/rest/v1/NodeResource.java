package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.api.rest.Params;
import io.aquarium.fish.api.rest.wire.NodeWire;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.service.NodeService;
import io.aquarium.fish.core.store.Entity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

    /**
     * This node, with its view of the cluster added under {@code definition.host.fish_cluster} (the
     * only place strict clients accept extra keys) and in the {@code X-Fish-Quorum} header.
     */
    @GET
    @Path("this")
    public Response thisNode() {
        MembershipView cluster = nodes.clusterStatus();
        return Response.ok(NodeWire.withCluster(nodes.thisNode(), cluster))
                .header("X-Fish-Quorum", cluster.hasQuorum() ? "ok" : "lost").build();
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
