package io.aquarium.fish.api.rpc;

import aquarium.v2.RoleOuterClass.Permission;
import aquarium.v2.RoleOuterClass.Role;
import aquarium.v2.RoleOuterClass.RoleServiceCreateRequest;
import aquarium.v2.RoleOuterClass.RoleServiceCreateResponse;
import aquarium.v2.RoleServiceGrpc;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.User;
import io.grpc.stub.StreamObserver;

import java.time.Clock;

/**
 * v2 {@code RoleService}: only Create, which the plugin's test harness calls to give its user a role.
 * Our node's roles are fixed ({@link V2Roles}); Create checks that the role asks for nothing beyond
 * what non-admin users hold and answers as the original would, without storing it.
 */
final class RoleRpc extends RoleServiceGrpc.RoleServiceImplBase {
    private final Clock clock;

    RoleRpc(Clock clock) {
        this.clock = clock;
    }

    RoleServiceCreateResponse create(User caller, RoleServiceCreateRequest request) {
        // Role management is admin-only in v2 too; there is no fish-core service for roles to ask.
        if (!caller.isAdmin()) {
            throw FishException.forbidden("Only 'admin' user can create roles");
        }
        Role role = request.getRole();
        if (role.getName().isBlank()) {
            throw FishException.badRequest("Role: name can't be empty");
        }
        for (Permission p : role.getPermissionsList()) {
            if (!V2Roles.nonAdminHolds(p.getResource(), p.getAction())) {
                throw FishException.badRequest("Role: " + p.getResource() + "." + p.getAction()
                        + " is only the 'admin' user's on this node; roles may grant the User and Power permissions");
            }
        }
        var now = ProtoTime.of(clock.instant());
        return RoleServiceCreateResponse.newBuilder().setStatus(true)
                .setMessage("Role accepted: non-admin users of this node hold the User and Power permissions")
                .setData(role.toBuilder().setCreatedAt(now).setUpdatedAt(now)).build();
    }

    @Override
    public void create(RoleServiceCreateRequest request, StreamObserver<RoleServiceCreateResponse> response) {
        Unary.answer(response, () -> create(RpcCaller.current(), request));
    }
}
