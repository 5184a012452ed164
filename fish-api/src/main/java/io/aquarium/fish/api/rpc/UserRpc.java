package io.aquarium.fish.api.rpc;

import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeResponse;
import aquarium.v2.UserServiceGrpc;
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

    @Override
    public void getMe(UserServiceGetMeRequest request, StreamObserver<UserServiceGetMeResponse> response) {
        Unary.answer(response, () -> getMe(RpcCaller.current(), request));
    }
}
