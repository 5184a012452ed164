package io.aquarium.fish.api.rpc;

import io.aquarium.fish.core.model.User;
import io.grpc.Context;
import io.grpc.Status;

/** The authenticated user of the current call, put into the gRPC {@link Context} by {@link BasicAuthInterceptor}. */
final class RpcCaller {
    static final Context.Key<User> KEY = Context.key("fish-caller");

    private RpcCaller() {
    }

    /** The caller; a call that got past the interceptor always has one. */
    static User current() {
        User user = KEY.get();
        if (user == null) {
            throw Status.UNAUTHENTICATED.withDescription("Unauthorized").asRuntimeException();
        }
        return user;
    }
}
