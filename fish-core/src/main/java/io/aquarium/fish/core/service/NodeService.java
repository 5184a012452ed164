package io.aquarium.fish.core.service;

import io.aquarium.fish.core.config.GoDuration;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.store.FishStore;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Nodes of the cluster, and this node's maintenance and shutdown switches. */
public final class NodeService {
    private final FishStore store;
    private final UUID thisNode;
    private final Maintenance maintenance;

    public NodeService(FishStore store, UUID thisNode, Maintenance maintenance) {
        this.store = store;
        this.thisNode = thisNode;
        this.maintenance = maintenance;
    }

    /** This node's view of the cluster: whether it has quorum and may write, vote and allocate. */
    public MembershipView clusterStatus() {
        return store.membership();
    }

    public List<Node> list(User caller, Filter filter) {
        return store.nodes(filter);
    }

    public Node thisNode() {
        return store.node(thisNode).orElseThrow(() -> FishException.notFound("This node is not registered yet"));
    }

    /** The maintenance endpoint: enable defaults to true; shutdown_delay is a duration like {@code 11s}. */
    public Maintenance.Mode maintenance(User caller, Boolean enable, Boolean shutdown, String shutdownDelay) {
        Access.requireAdmin(caller, "control node maintenance");
        Duration delay = null;
        if (shutdownDelay != null && !shutdownDelay.isEmpty()) {
            try {
                delay = GoDuration.parse(shutdownDelay);
            } catch (IllegalArgumentException e) {
                throw FishException.badRequest("Unable to parse shutdown_delay: " + shutdownDelay);
            }
            if (delay.isNegative()) {
                throw FishException.badRequest("shutdown_delay can't be negative: " + shutdownDelay);
            }
        }
        return maintenance.apply(enable == null || enable, shutdown, delay);
    }
}
