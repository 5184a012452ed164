package io.aquarium.fish.api.rpc;

import aquarium.v2.NodeOuterClass.NodeServiceSetMaintenanceRequest;
import aquarium.v2.NodeOuterClass.NodeServiceSetMaintenanceResponse;
import aquarium.v2.NodeServiceGrpc;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.service.NodeService;
import io.grpc.stub.StreamObserver;

/** v2 {@code NodeService}: SetMaintenance (admin, the plugin's test harness) over {@link NodeService}. */
final class NodeRpc extends NodeServiceGrpc.NodeServiceImplBase {
    private final NodeService nodes;

    NodeRpc(NodeService nodes) {
        this.nodes = nodes;
    }

    /** Unset fields keep the service's defaults: maintenance on, shutdown and its delay unchanged. */
    NodeServiceSetMaintenanceResponse setMaintenance(User caller, NodeServiceSetMaintenanceRequest request) {
        Maintenance.Mode mode = nodes.maintenance(caller,
                request.hasMaintenance() ? request.getMaintenance() : null,
                request.hasShutdown() ? request.getShutdown() : null,
                request.hasShutdownDelay() ? request.getShutdownDelay() : null);
        return NodeServiceSetMaintenanceResponse.newBuilder().setStatus(true)
                .setMessage("Maintenance " + (mode.maintenance() ? "on" : "off")
                        + (mode.shutdown() ? ", shutdown in " + mode.shutdownDelay() : "")).build();
    }

    @Override
    public void setMaintenance(NodeServiceSetMaintenanceRequest request,
                               StreamObserver<NodeServiceSetMaintenanceResponse> response) {
        Unary.answer(response, () -> setMaintenance(RpcCaller.current(), request));
    }
}
