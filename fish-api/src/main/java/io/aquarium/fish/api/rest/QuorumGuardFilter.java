package io.aquarium.fish.api.rest;

import io.aquarium.fish.api.rest.wire.ErrorWire;
import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.service.NodeService;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A node that does not see a quorum of its cluster may be the minority side of a network split:
 * it keeps serving reads but refuses writes, so the two sides cannot diverge. A single node always
 * has quorum.
 */
@PreMatching
@Priority(Priorities.AUTHORIZATION)
public final class QuorumGuardFilter implements ContainerRequestFilter {
    private final NodeService nodes;

    public QuorumGuardFilter(NodeService nodes) {
        this.nodes = nodes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        boolean write = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())
                || path.endsWith("/deallocate");
        if (!write || !path.startsWith("api/")) {
            return;
        }
        var status = nodes.clusterStatus();
        if (status.hasQuorum()) {
            return;
        }
        request.abortWith(Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorWire(refusal(status)))
                .build());
    }

    private static String refusal(MembershipView status) {
        String state = status.state().name().toLowerCase(java.util.Locale.ROOT);
        if (status.state() == MembershipState.MINORITY) {
            return "This node is " + state + ": it sees " + status.present() + " of " + status.expected()
                    + " expected cluster nodes and has no quorum (" + status.needed() + " needed): writes are refused "
                    + "until it is back; try another node";
        }
        // Segmented, healing or joining: the nodes it may still list are not a quorum it can write with.
        return "This node is " + state + ": it is not part of its cluster's quorum (" + status.needed() + " of "
                + status.expected() + " expected nodes) right now: writes are refused until it rejoins; try another node";
    }
}
