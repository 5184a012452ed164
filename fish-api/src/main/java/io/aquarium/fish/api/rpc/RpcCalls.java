package io.aquarium.fish.api.rpc;

import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateTaskRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceDeallocateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetStateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetTaskRequest;
import aquarium.v2.LabelOuterClass.LabelServiceCreateRequest;
import aquarium.v2.LabelOuterClass.LabelServiceListRequest;
import aquarium.v2.NodeOuterClass.NodeServiceSetMaintenanceRequest;
import aquarium.v2.RoleOuterClass.RoleServiceCreateRequest;
import aquarium.v2.UserOuterClass.UserServiceCreateRequest;
import io.aquarium.fish.core.runtime.NodeServices;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.servlet.jakarta.ServletServerBuilder;

import java.time.Clock;

/**
 * The request/response calls of the v2 services (labels, applications and tasks, and the admin calls of
 * the plugin's test harness), each registered twice: as a unary gRPC method and as a Connect tunnel
 * route, both running the same function of the caller.
 */
final class RpcCalls {
    private final UserRpc users;
    private final LabelRpc labels;
    private final ApplicationRpc applications;
    private final RoleRpc roles;
    private final NodeRpc nodes;

    RpcCalls(NodeServices services, UserRpc users, Clock clock) {
        this.users = users;
        this.labels = new LabelRpc(services.labels());
        this.applications = new ApplicationRpc(services.applications());
        this.roles = new RoleRpc(clock);
        this.nodes = new NodeRpc(services.nodes());
    }

    /** Tunnelled as {@code <Service><Method>Request}, as the original routes every method of these services. */
    Tunnel.Builder routes(Tunnel.Builder tunnel) {
        return tunnel
                .route(UserServiceCreateRequest.class, users::create)
                .route(LabelServiceListRequest.class, labels::list)
                .route(LabelServiceCreateRequest.class, labels::create)
                .route(ApplicationServiceCreateRequest.class, applications::create)
                .route(ApplicationServiceGetStateRequest.class, applications::getState)
                .route(ApplicationServiceDeallocateRequest.class, applications::deallocate)
                .route(ApplicationServiceCreateTaskRequest.class, applications::createTask)
                .route(ApplicationServiceGetTaskRequest.class, applications::getTask)
                .route(RoleServiceCreateRequest.class, roles::create)
                .route(NodeServiceSetMaintenanceRequest.class, nodes::setMaintenance);
    }

    /** The unary services (UserService is registered by {@link RpcApi} with GetMe). */
    ServletServerBuilder services(ServletServerBuilder builder, ServerInterceptor auth) {
        return builder
                .addService(ServerInterceptors.intercept(labels, auth))
                .addService(ServerInterceptors.intercept(applications, auth))
                .addService(ServerInterceptors.intercept(roles, auth))
                .addService(ServerInterceptors.intercept(nodes, auth));
    }
}
