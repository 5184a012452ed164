package io.aquarium.fish.api.rpc;

import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.runtime.NodeServices;
import io.grpc.ServerInterceptors;
import io.grpc.servlet.jakarta.GrpcServlet;
import io.grpc.servlet.jakarta.ServletServerBuilder;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The v2 RPC API (what Jenkins plugin v0.6.0 speaks) as one servlet for the API port's Jetty context,
 * mounted at {@value #MAPPING} beside REST v1 and the Meta API. Method paths carry the original's
 * {@code /grpc/} prefix ({@code /grpc/aquarium.v2.StreamingService/Connect}). Every call is
 * authenticated by {@link BasicAuthInterceptor}; the services map onto the node's {@link NodeServices}.
 *
 * <p>Owns the threads of its calls and timers: {@link #close()} after the HTTP server stopped.
 */
public final class RpcApi implements AutoCloseable {
    /** The servlet mapping: everything under {@code /grpc/}. */
    public static final String MAPPING = "/grpc/*";

    /** Threads and queue of tunnelled requests, for all Connect streams together. */
    static final int TUNNEL_THREADS = 16;
    static final int TUNNEL_QUEUE = 256;

    /** gRPC's own call executor: one task per call event, bounded by the open HTTP/2 streams. */
    private final ExecutorService calls = Executors.newCachedThreadPool(daemonThreads("fish-rpc"));
    private final ThreadPoolExecutor tunnelCalls = boundedPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            daemonThreads("fish-rpc-timer"));
    private final EventRelay relay;
    private final GrpcServlet servlet;

    /**
     * {@code events}: the node's bus, the source of Subscribe events (the same one the live view reads);
     * {@code streamsLimit}: streams of each kind per user, -1 unlimited ({@code streams_limit}).
     */
    public RpcApi(NodeServices services, EventBus events, Clock clock, int streamsLimit) {
        this.relay = new EventRelay(events, services.applications(), clock);
        UserRpc users = new UserRpc(services.users());
        RpcCalls rpcCalls = new RpcCalls(services, users, clock);
        Tunnel tunnel = rpcCalls.routes(Tunnel.builder())
                .route(UserServiceGetMeRequest.class, users::getMe)
                .build();
        BasicAuthInterceptor auth = new BasicAuthInterceptor(services.authenticator());
        this.servlet = rpcCalls.services(new ServletServerBuilder(), auth)
                .addService(ServerInterceptors.intercept(new StreamingRpc(tunnel, tunnelCalls, timers, clock, relay,
                        new StreamLimits(streamsLimit)), auth))
                .addService(ServerInterceptors.intercept(users, auth))
                .executor(calls)
                .scheduledExecutorService(timers)
                // The servlet sees /grpc/<service>/<method>; gRPC looks methods up without the prefix.
                .methodNameResolver(request -> request.getPathInfo() == null ? "" : request.getPathInfo().substring(1))
                .buildServlet();
    }

    public GrpcServlet servlet() {
        return servlet;
    }

    @Override
    public void close() {
        relay.close();
        timers.shutdownNow();
        tunnelCalls.shutdownNow();
        calls.shutdownNow();
    }

    private static ThreadPoolExecutor boundedPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(TUNNEL_THREADS,
                TUNNEL_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(TUNNEL_QUEUE), daemonThreads("fish-rpc-tunnel"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
