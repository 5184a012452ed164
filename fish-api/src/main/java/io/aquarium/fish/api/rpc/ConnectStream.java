package io.aquarium.fish.api.rpc;

import aquarium.v2.Streaming.StreamError;
import aquarium.v2.Streaming.StreamingServiceConnectRequest;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import io.aquarium.fish.core.model.User;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open {@code StreamingService/Connect}: the client's tunnel. Sends a keep-alive at once (the
 * plugin counts itself connected only after a first message) and then every interval; answers each
 * tunnelled request on the call executor, so a slow one does not hold up the others and answers may
 * come out of order (the client matches them by {@code request_id}).
 *
 * <p>gRPC's outbound observer is not thread-safe and the keep-alive timer and request handlers write
 * concurrently, so every send goes through {@link #send}, one at a time.
 *
 * <p>At most {@link #IN_FLIGHT} requests of one stream run at once, and the call executor is bounded
 * for all streams together: a request beyond either is answered at once with {@code resource_exhausted}
 * (the client may send it again), so one client's flood neither grows the node's threads without
 * bound nor takes every thread from the other users.
 */
final class ConnectStream implements StreamObserver<StreamingServiceConnectRequest>, StreamLimits.Limited {
    static final String KEEP_ALIVE_ID = "keep-alive";
    static final String KEEP_ALIVE_TYPE = "KeepAliveResponse";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectStream.class);
    private static final StreamingServiceConnectResponse KEEP_ALIVE = StreamingServiceConnectResponse.newBuilder()
            .setRequestId(KEEP_ALIVE_ID).setResponseType(KEEP_ALIVE_TYPE).build();
    /** What the original sends a Connect stream that a newer one of the same user replaces. */
    private static final StreamingServiceConnectResponse EVICTED = StreamingServiceConnectResponse.newBuilder()
            .setRequestId("stream-limit-exceeded").setResponseType("StreamLimitExceededNotification")
            .setError(StreamError.newBuilder().setCode("resource_exhausted")
                    .setMessage("Stream limit exceeded: a newer Connect stream of this user replaced this one"))
            .build();

    private final User caller;
    private final ServerCallStreamObserver<StreamingServiceConnectResponse> out;
    private final Tunnel tunnel;
    /** Requests of one stream running at once; the plugin sends one at a time per user action. */
    static final int IN_FLIGHT = 16;

    private final Executor calls;
    private final AtomicInteger inFlight = new AtomicInteger();
    private boolean closed;
    private ScheduledFuture<?> keepAlive;

    private ConnectStream(User caller, ServerCallStreamObserver<StreamingServiceConnectResponse> out, Tunnel tunnel,
                          Executor calls) {
        this.caller = caller;
        this.out = out;
        this.tunnel = tunnel;
        this.calls = calls;
    }

    /** Opens the stream: registers the cancel handler (only possible before the service method returns) and greets. */
    static ConnectStream open(User caller, ServerCallStreamObserver<StreamingServiceConnectResponse> out, Tunnel tunnel,
                              Executor calls, ScheduledExecutorService timers, Duration keepAliveInterval) {
        ConnectStream stream = new ConnectStream(caller, out, tunnel, calls);
        out.setOnCancelHandler(stream::stop);
        stream.send(KEEP_ALIVE);
        long period = keepAliveInterval.toMillis();
        synchronized (stream) {
            if (!stream.closed) {
                stream.keepAlive = timers.scheduleAtFixedRate(() -> stream.send(KEEP_ALIVE), period, period,
                        TimeUnit.MILLISECONDS);
            }
        }
        LOG.debug("Connect stream opened for user {}", caller.name());
        return stream;
    }

    @Override
    public void onNext(StreamingServiceConnectRequest request) {
        if (inFlight.incrementAndGet() > IN_FLIGHT) {
            inFlight.decrementAndGet();
            send(Tunnel.busy(request, "Too many requests in flight on this stream (at most " + IN_FLIGHT
                    + "); send it again once answers arrive"));
            return;
        }
        try {
            calls.execute(() -> {
                try {
                    send(tunnel.answer(caller, request));
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            if (isClosed()) {
                return;
            }
            // Every call thread is busy and the queue full, or the node is stopping.
            send(Tunnel.busy(request, "The node is busy with other requests; send it again shortly"));
        }
    }

    @Override
    public void onError(Throwable t) {
        // The client went away (cancel or reset): nothing left to answer.
        stop();
    }

    @Override
    public synchronized void onCompleted() {
        if (!closed) {
            stop();
            out.onCompleted();
        }
    }

    /** Sends the stream-limit notification and closes the stream; answers still in flight are dropped. */
    @Override
    public synchronized void evict() {
        if (closed) {
            return;
        }
        send(EVICTED);
        if (!closed) {
            stop();
            try {
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("Stream limit exceeded").asRuntimeException());
            } catch (RuntimeException e) {
                LOG.debug("Connect stream of user {} already closed: {}", caller.name(), e.getMessage());
            }
        }
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void send(StreamingServiceConnectResponse response) {
        if (closed) {
            return;
        }
        try {
            out.onNext(response);
        } catch (RuntimeException e) {
            // Cancelled between the check and the write.
            LOG.debug("Connect stream of user {} closed while sending: {}", caller.name(), e.getMessage());
            stop();
        }
    }

    private synchronized void stop() {
        closed = true;
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
    }
}
