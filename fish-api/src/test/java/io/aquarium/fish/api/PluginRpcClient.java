package io.aquarium.fish.api;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import javax.net.ssl.SSLException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC channel set up the way Jenkins plugin v0.6.0 sets up its own (grpc-java, netty): the node's
 * host and port, TLS trusting only the operator's {@code ca.crt} with hostname verification (or
 * cleartext h2c without a certificate), keep-alive pings, every method path prefixed with
 * {@code grpc/}, and {@code authorization: Basic ...} on every call. Public for the process-level
 * ITs ({@code it} package), which drive the packaged jar with it.
 */
public final class PluginRpcClient implements AutoCloseable {
    public final ManagedChannel channel;

    /** {@code caCrt} null: cleartext (h2c with prior knowledge), as the plugin without a certificate. */
    public PluginRpcClient(String host, int port, File caCrt, String user, String password) throws SSLException {
        this(host, port, null, caCrt, user, password);
    }

    /**
     * {@code tlsName} non-null: dials {@code host} but checks the certificate against {@code tlsName},
     * as the plugin would with a URL naming a host the certificate does not cover.
     */
    public PluginRpcClient(String host, int port, String tlsName, File caCrt, String user, String password)
            throws SSLException {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(4 * 1024 * 1024)
                .intercept(new PathPrefix(), new BasicAuth(user, password));
        if (tlsName != null) {
            builder.overrideAuthority(tlsName + ":" + port);
        }
        if (caCrt != null) {
            builder.sslContext(GrpcSslContexts.forClient().trustManager(caCrt).build());
        } else {
            builder.usePlaintext();
        }
        this.channel = builder.build();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdown();
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
            channel.shutdownNow();
        }
    }

    /** {@code aquarium.v2.X/Y} → {@code grpc/aquarium.v2.X/Y}, so the path is {@code /grpc/aquarium.v2.X/Y}. */
    private static final class PathPrefix implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return next.newCall(method.toBuilder().setFullMethodName("grpc/" + method.getFullMethodName()).build(),
                    options);
        }
    }

    private static final class BasicAuth implements ClientInterceptor {
        private static final Metadata.Key<String> AUTHORIZATION =
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        private final String value;

        BasicAuth(String user, String password) {
            this.value = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.put(AUTHORIZATION, value);
                    super.start(listener, headers);
                }
            };
        }
    }
}
