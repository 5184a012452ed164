package io.aquarium.fish.api;

import aquarium.v2.Streaming.StreamingServiceSubscribeRequest;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import aquarium.v2.StreamingServiceGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The client end of a Subscribe stream, and what every stream records (the Connect end: {@link Tunnel}). */
public final class RpcStreams {
    private RpcStreams() {
    }

    /**
     * A stream's messages and its end: {@code closed} completes with the error, or null when completed.
     * {@link #cancel} ends it from the client side, so closing the channel need not wait for it.
     */
    public static class Recorder<T> implements ClientResponseObserver<Object, T> {
        public final BlockingQueue<T> received = new LinkedBlockingQueue<>();
        public final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        private volatile ClientCallStreamObserver<Object> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
            call = requestStream;
        }

        public void cancel() {
            call.cancel("test done", null);
        }

        @Override
        public void onNext(T value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            closed.complete(t);
        }

        @Override
        public void onCompleted() {
            closed.complete(null);
        }

        public T next(long waitSeconds) throws InterruptedException {
            T message = received.poll(waitSeconds, TimeUnit.SECONDS);
            assertNotNull(message, "no message within " + waitSeconds + " s");
            return message;
        }
    }

    /** A Subscribe stream for {@code types}. */
    public static Recorder<StreamingServiceSubscribeResponse> subscribe(PluginRpcClient rpc,
                                                                        SubscriptionType... types) {
        return subscribe(rpc, new Recorder<>(), types);
    }

    /** A Subscribe stream for {@code types} into {@code recorder} (a subclass may stamp or sort what arrives). */
    public static <R extends Recorder<StreamingServiceSubscribeResponse>> R subscribe(PluginRpcClient rpc, R recorder,
                                                                                      SubscriptionType... types) {
        StreamingServiceSubscribeRequest.Builder request = StreamingServiceSubscribeRequest.newBuilder();
        for (SubscriptionType type : types) {
            request.addSubscriptionTypes(type);
        }
        StreamingServiceGrpc.newStub(rpc.channel).subscribe(request.build(), recorder);
        return recorder;
    }
}
