package io.aquarium.fish.api;

import aquarium.v2.Streaming.StreamingServiceConnectRequest;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.StreamingServiceGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The client end of a Connect stream, as Jenkins plugin v0.6.0 drives it: a {@link RpcStreams.Recorder}
 * of its messages that can also send, and make tunnelled calls.
 */
public final class Tunnel extends RpcStreams.Recorder<StreamingServiceConnectResponse> {
    public static final long WAIT_S = 10;

    public final StreamObserver<StreamingServiceConnectRequest> requests;

    public Tunnel(PluginRpcClient rpc) {
        this.requests = StreamingServiceGrpc.newStub(rpc.channel).connect(this);
    }

    public StreamingServiceConnectResponse next() throws InterruptedException {
        return next(WAIT_S);
    }

    public void send(String id, String type, Any data) {
        requests.onNext(StreamingServiceConnectRequest.newBuilder().setRequestId(id).setRequestType(type)
                .setRequestData(data).build());
    }

    /**
     * One tunnelled call as the plugin makes it: {@code <Message simple name>} as the type, a random id,
     * and the answer carrying that id (keep-alives in between are skipped). Calls are one at a time.
     */
    public StreamingServiceConnectResponse call(Message request) throws InterruptedException {
        String id = UUID.randomUUID().toString();
        send(id, request.getDescriptorForType().getName(), Any.pack(request));
        StreamingServiceConnectResponse answer = next();
        while ("keep-alive".equals(answer.getRequestId())) {
            answer = next();
        }
        assertEquals(id, answer.getRequestId());
        return answer;
    }

    /** A call that must succeed: its data unpacked as the plugin does. */
    public <R extends Message> R ok(Message request, Class<R> responseType) throws InterruptedException,
            InvalidProtocolBufferException {
        StreamingServiceConnectResponse answer = call(request);
        assertFalse(answer.hasError(), () -> answer.getError().getCode() + ": " + answer.getError().getMessage());
        assertEquals(request.getDescriptorForType().getName().replaceFirst("Request", "Response"),
                answer.getResponseType());
        return answer.getResponseData().unpack(responseType);
    }

    /** Half-closes as the plugin's disconnect does; the node completes its side. */
    public void finish() throws Exception {
        requests.onCompleted();
        assertEquals(null, closed.get(WAIT_S, TimeUnit.SECONDS));
    }
}
