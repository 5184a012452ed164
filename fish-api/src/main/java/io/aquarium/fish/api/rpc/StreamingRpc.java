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
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * v2 {@code StreamingService}: the two streams the plugin opens. Connect is the tunnel
 * ({@link ConnectStream}). Subscribe so far only greets with {@code StreamCreated} (the plugin waits
 * for a first message on each stream before it counts itself connected) and stays open; it carries no
 * change events yet.
 */
final class StreamingRpc extends StreamingServiceGrpc.StreamingServiceImplBase {
    /** How often the original node sends its keep-alive on Connect. */
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);

    private final Tunnel tunnel;
    private final Executor calls;
    private final ScheduledExecutorService timers;
    private final Clock clock;

    StreamingRpc(Tunnel tunnel, Executor calls, ScheduledExecutorService timers, Clock clock) {
        this.tunnel = tunnel;
        this.calls = calls;
        this.timers = timers;
        this.clock = clock;
    }

    @Override
    public StreamObserver<StreamingServiceConnectRequest> connect(
            StreamObserver<StreamingServiceConnectResponse> response) {
        return ConnectStream.open(RpcCaller.current(),
                (ServerCallStreamObserver<StreamingServiceConnectResponse>) response, tunnel, calls, timers,
                KEEP_ALIVE_INTERVAL);
    }

    @Override
    public void subscribe(StreamingServiceSubscribeRequest request,
                          StreamObserver<StreamingServiceSubscribeResponse> response) {
        RpcCaller.current();
        response.onNext(StreamingServiceSubscribeResponse.newBuilder()
                .setObjectType(SubscriptionType.SUBSCRIPTION_TYPE_UNSPECIFIED)
                .setChangeType(ChangeType.CHANGE_TYPE_CREATED)
                .setTimestamp(ProtoTime.of(clock.instant()))
                .setObjectData(Any.pack(StreamCreated.newBuilder().setStreamUid(UUID.randomUUID().toString()).build()))
                .build());
    }
}
