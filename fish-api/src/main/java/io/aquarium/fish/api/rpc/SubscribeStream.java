package io.aquarium.fish.api.rpc;

import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import com.google.protobuf.Timestamp;
import io.aquarium.fish.core.model.User;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One open {@code StreamingService/Subscribe}: the change events of the types the client asked for,
 * in the order {@link EventRelay} offers them.
 *
 * <p>Events wait in a bounded queue and are written only while gRPC's flow control says the client
 * keeps up ({@code isReady}), so a stalled client cannot make the node buffer without limit. An event
 * is never dropped on its own: if the queue overflows, the whole stream is closed with
 * {@code RESOURCE_EXHAUSTED}, so the client sees the loss and reconnects (the plugin does after 10 s)
 * instead of silently missing an ALLOCATED and stranding a build.
 *
 * <p>The relay, the flow-control callback and an eviction write concurrently, and gRPC's observer is
 * not thread-safe, so every write happens under this object's lock.
 */
final class SubscribeStream implements StreamLimits.Limited {
    /** Events a client may fall behind by before its stream is closed. */
    static final int DEFAULT_QUEUE_LIMIT = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(SubscribeStream.class);

    private final User caller;
    private final Set<SubscriptionType> types;
    private final ServerCallStreamObserver<StreamingServiceSubscribeResponse> out;
    private final int queueLimit;
    private final Supplier<Timestamp> now;
    private final Deque<StreamingServiceSubscribeResponse> queue = new ArrayDeque<>();
    private boolean closed;
    private boolean greeted;

    private SubscribeStream(User caller, Set<SubscriptionType> types,
                            ServerCallStreamObserver<StreamingServiceSubscribeResponse> out, int queueLimit,
                            Supplier<Timestamp> now) {
        this.caller = caller;
        this.types = types;
        this.out = out;
        this.queueLimit = queueLimit;
        this.now = now;
    }

    /**
     * Opens the stream: registers the cancel and ready handlers (only possible before the service
     * method returns). Nothing is sent before {@link #greet}.
     */
    static SubscribeStream open(User caller, Iterable<SubscriptionType> requested,
                                ServerCallStreamObserver<StreamingServiceSubscribeResponse> out, int queueLimit,
                                Supplier<Timestamp> now) {
        Set<SubscriptionType> types = EnumSet.noneOf(SubscriptionType.class);
        requested.forEach(types::add);
        SubscribeStream stream = new SubscribeStream(caller, types, out, queueLimit, now);
        out.setOnCancelHandler(stream::cancelled);
        out.setOnReadyHandler(stream::drain);
        LOG.debug("Subscribe stream opened for user {}: {}", caller.name(), types);
        return stream;
    }

    /**
     * Sends {@code greeting} at once, past the queue (the plugin counts itself connected only after a
     * first message on each stream), then any events queued meanwhile: the relay may already offer
     * events, so the client sees no change it could have missed, and the greeting always comes first.
     */
    synchronized void greet(StreamingServiceSubscribeResponse greeting) {
        write(greeting);
        greeted = true;
        drain();
    }

    User caller() {
        return caller;
    }

    boolean wants(SubscriptionType type) {
        return types.contains(type);
    }

    /** Queues an event; closes the stream with {@code RESOURCE_EXHAUSTED} if the client is too far behind. */
    synchronized void offer(StreamingServiceSubscribeResponse event) {
        if (closed) {
            return;
        }
        if (queue.size() >= queueLimit) {
            LOG.warn("Subscribe stream of user {} is {} events behind: closing it so the client reconnects",
                    caller.name(), queue.size());
            queue.clear();
            closed = true;
            closeQuietly(Status.RESOURCE_EXHAUSTED.withDescription(
                    "Subscriber too slow: more than " + queueLimit + " events pending, reconnect"));
            return;
        }
        queue.addLast(event);
        drain();
    }

    /**
     * Sends what is queued, then the original's eviction notice ({@code UNSPECIFIED, REMOVED}, no
     * data), and closes with {@code RESOURCE_EXHAUSTED}. Flushes past flow control: the queue is
     * bounded, and the client should see every event it was sent before the notice.
     */
    @Override
    public synchronized void evict() {
        if (closed) {
            return;
        }
        while (!queue.isEmpty() && write(queue.pollFirst())) {
            // keep flushing
        }
        write(StreamingServiceSubscribeResponse.newBuilder()
                .setObjectType(SubscriptionType.SUBSCRIPTION_TYPE_UNSPECIFIED)
                .setChangeType(ChangeType.CHANGE_TYPE_REMOVED)
                .setTimestamp(now.get())
                .build());
        if (!closed) {
            closed = true;
            closeQuietly(Status.RESOURCE_EXHAUSTED.withDescription(
                    "Stream limit exceeded: a newer Subscribe stream of this user replaced this one"));
        }
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void drain() {
        while (greeted && !closed && !queue.isEmpty() && out.isReady()) {
            write(queue.pollFirst());
        }
    }

    /** Writes one message; false (and closed) if the client went away meanwhile. */
    private synchronized boolean write(StreamingServiceSubscribeResponse message) {
        if (closed) {
            return false;
        }
        try {
            out.onNext(message);
            return true;
        } catch (RuntimeException e) {
            // Cancelled between the check and the write.
            LOG.debug("Subscribe stream of user {} closed while sending: {}", caller.name(), e.getMessage());
            cancelled();
            return false;
        }
    }

    private synchronized void cancelled() {
        closed = true;
        queue.clear();
    }

    private void closeQuietly(Status status) {
        try {
            out.onError(status.asRuntimeException());
        } catch (RuntimeException e) {
            LOG.debug("Subscribe stream of user {} already closed: {}", caller.name(), e.getMessage());
        }
    }
}
