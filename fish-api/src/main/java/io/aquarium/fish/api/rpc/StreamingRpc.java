package io.aquarium.fish.api.rpc;

import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamCreated;
import aquarium.v2.Streaming.StreamingServiceConnectRequest;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.Streaming.StreamingServiceSubscribeRequest;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import aquarium.v2.StreamingServiceGrpc;
import com.google.protobuf.Any;
import io.aquarium.fish.core.model.User;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * v2 {@code StreamingService}: the two streams the plugin opens. Connect is the tunnel
 * ({@link ConnectStream}). Subscribe greets with {@code StreamCreated} (the plugin waits for a first
 * message on each stream before it counts itself connected) and then carries the change events
 * {@link EventRelay} hands it ({@link SubscribeStream}). Both kinds count against the user's
 * {@link StreamLimits}. Subscribe sends nothing periodic, as the original: HTTP/2 pings keep it open.
 */
final class StreamingRpc extends StreamingServiceGrpc.StreamingServiceImplBase {
    /** How often the original node sends its keep-alive on Connect. */
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);

    private final Tunnel tunnel;
    private final Executor calls;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final EventRelay relay;
    private final StreamLimits limits;

    StreamingRpc(Tunnel tunnel, Executor calls, ScheduledExecutorService timers, Clock clock, EventRelay relay,
                 StreamLimits limits) {
        this.tunnel = tunnel;
        this.calls = calls;
        this.timers = timers;
        this.clock = clock;
        this.relay = relay;
        this.limits = limits;
    }

    @Override
    public StreamObserver<StreamingServiceConnectRequest> connect(
            StreamObserver<StreamingServiceConnectResponse> response) {
        User caller = RpcCaller.current();
        ConnectStream stream = ConnectStream.open(caller,
                (ServerCallStreamObserver<StreamingServiceConnectResponse>) response, tunnel, calls, timers,
                KEEP_ALIVE_INTERVAL);
        limits.admit(StreamLimits.Kind.CONNECT, caller.name(), stream);
        return stream;
    }

    @Override
    public void subscribe(StreamingServiceSubscribeRequest request,
                          StreamObserver<StreamingServiceSubscribeResponse> response) {
        User caller = RpcCaller.current();
        StreamingServiceSubscribeResponse greeting = StreamingServiceSubscribeResponse.newBuilder()
                .setObjectType(SubscriptionType.SUBSCRIPTION_TYPE_UNSPECIFIED)
                .setChangeType(ChangeType.CHANGE_TYPE_CREATED)
                .setTimestamp(ProtoTime.of(clock.instant()))
                .setObjectData(Any.pack(StreamCreated.newBuilder().setStreamUid(UUID.randomUUID().toString()).build()))
                .build();
        SubscribeStream stream = SubscribeStream.open(caller, request.getSubscriptionTypesList(),
                (ServerCallStreamObserver<StreamingServiceSubscribeResponse>) response,
                SubscribeStream.DEFAULT_QUEUE_LIMIT, () -> ProtoTime.of(clock.instant()));
        // Relayed before the greeting: whatever the client does once greeted reaches this stream.
        relay.add(stream);
        stream.greet(greeting);
        limits.admit(StreamLimits.Kind.SUBSCRIBE, caller.name(), stream);
    }
}
