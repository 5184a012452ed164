package io.aquarium.fish.api.rpc;

import aquarium.v2.UserOuterClass;
import aquarium.v2.UserOuterClass.UserServiceCreateRequest;
import aquarium.v2.UserOuterClass.UserServiceCreateResponse;
import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeResponse;
import aquarium.v2.UserServiceGrpc;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.service.UserService;
import io.grpc.stub.StreamObserver;

/**
 * v2 {@code UserService} over the node's {@link UserService}. Each method exists once as a plain
 * function of the caller, used both by the direct gRPC call and by the Connect tunnel. Methods not
 * overridden answer {@code UNIMPLEMENTED}.
 */
final class UserRpc extends UserServiceGrpc.UserServiceImplBase {
    private final UserService users;

    UserRpc(UserService users) {
        this.users = users;
    }

    /** The caller as stored now (the authenticator's copy may be a cached one). */
    UserServiceGetMeResponse getMe(User caller, UserServiceGetMeRequest request) {
        User me = users.get(caller, caller.name());
        return UserServiceGetMeResponse.newBuilder().setStatus(true).setMessage("User details")
                .setData(UserMessages.of(me)).build();
    }

    /**
     * v2 Create makes a new user and refuses an existing name (REST v1's create also updates). The
     * password is the client's, or generated and returned once in {@code data.password}. Roles are not
     * stored: see {@link V2Roles} for what a user gets.
     */
    UserServiceCreateResponse create(User caller, UserServiceCreateRequest request) {
        String name = request.getUser().getName();
        V2Roles.checkAssignable(name, request.getUser().getRolesList());
        if (exists(caller, name)) {
            throw FishException.conflict("User already exists: " + name);
        }
        UserService.PasswordSet set = users.createOrUpdate(caller, name, request.getUser().getPassword());
        UserOuterClass.User.Builder data = UserMessages.of(set.user()).toBuilder();
        if (!set.generatedPassword().isEmpty()) {
            data.setPassword(set.generatedPassword());
        }
        return UserServiceCreateResponse.newBuilder().setStatus(true).setMessage("User created: " + name)
                .setData(data).build();
    }

    /** Asked through the service, so a caller that may not see the user gets its refusal. */
    private boolean exists(User caller, String name) {
        if (name.isEmpty()) {
            return false;
        }
        try {
            users.get(caller, name);
            return true;
        } catch (FishException e) {
            if (e.kind() == FishException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void create(UserServiceCreateRequest request, StreamObserver<UserServiceCreateResponse> response) {
        Unary.answer(response, () -> create(RpcCaller.current(), request));
    }

    @Override
    public void getMe(UserServiceGetMeRequest request, StreamObserver<UserServiceGetMeResponse> response) {
        Unary.answer(response, () -> getMe(RpcCaller.current(), request));
    }
}
