package io.aquarium.fish.api.rpc;

import io.aquarium.fish.api.http.BasicCredentials;
import io.aquarium.fish.core.auth.Authenticator;
import io.aquarium.fish.core.model.User;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * {@code authorization: Basic ...} on every call (the plugin sends no other kind), checked by the same
 * {@link Authenticator} as REST v1: one credential cache and one login throttle for both APIs. A bad or
 * missing credential closes the call with {@code UNAUTHENTICATED} before any service code runs.
 *
 * <p>Runs on the gRPC call executor, never on a Jetty I/O thread, so the Argon2 check may block.
 */
final class BasicAuthInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Authenticator authenticator;

    BasicAuthInterceptor(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Optional<User> user;
        try {
            user = BasicCredentials.parse(headers.get(AUTHORIZATION)).flatMap(c ->
                    authenticator.authenticate(c.name(), c.password(), peerAddress(call)));
        } catch (RuntimeException e) {
            // Throttled (429) or no Argon2 slot free (503): refuse without running the call.
            call.close(RpcErrors.status(e), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        if (user.isEmpty()) {
            call.close(Status.UNAUTHENTICATED.withDescription("Unauthorized"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(RpcCaller.KEY, user.get()), call, headers, next);
    }

    /** The socket's address, as REST v1 gives the throttle (never a forwarded header, which clients can write). */
    private static String peerAddress(ServerCall<?, ?> call) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return remote == null ? "" : remote.toString();
    }
}
