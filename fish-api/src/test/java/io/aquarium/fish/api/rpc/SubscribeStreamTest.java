package io.aquarium.fish.api.rpc;

import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import com.google.protobuf.Timestamp;
import io.aquarium.fish.core.model.User;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Subscribe stream's queue: flow control, order, and closing (never silently dropping) when it overflows. */
class SubscribeStreamTest {
    private static final User USER = new User("jenkins", Instant.EPOCH, Instant.EPOCH, null);

    private static StreamingServiceSubscribeResponse event(int n) {
        return StreamingServiceSubscribeResponse.newBuilder().setObjectType(SubscriptionType.SUBSCRIPTION_TYPE_LABEL)
                .setTimestamp(Timestamp.newBuilder().setSeconds(n)).build();
    }

    private static SubscribeStream open(FakeServerObserver<StreamingServiceSubscribeResponse> out, int limit) {
        SubscribeStream stream = SubscribeStream.open(USER, List.of(SubscriptionType.SUBSCRIPTION_TYPE_LABEL), out,
                limit, Timestamp::getDefaultInstance);
        stream.greet(event(0));
        return stream;
    }

    @Test
    void eventsWaitForTheClientAndKeepTheirOrder() {
        FakeServerObserver<StreamingServiceSubscribeResponse> out = new FakeServerObserver<>();
        SubscribeStream stream = open(out, 3);
        out.ready = false;
        stream.offer(event(1));
        stream.offer(event(2));
        assertEquals(1, out.sent.size(), "only the greeting while the client is not ready");
        out.ready = true;
        out.onReady.run();
        assertEquals(List.of(0L, 1L, 2L), out.sent.stream().map(e -> e.getTimestamp().getSeconds()).toList());
        assertNull(out.error);
    }

    @Test
    void overflowClosesTheStreamInsteadOfDroppingAnEvent() {
        FakeServerObserver<StreamingServiceSubscribeResponse> out = new FakeServerObserver<>();
        SubscribeStream stream = open(out, 2);
        out.ready = false;
        stream.offer(event(1));
        stream.offer(event(2));
        stream.offer(event(3));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(out.error).getCode());
        assertTrue(stream.isClosed());
        out.ready = true;
        stream.offer(event(4));
        assertEquals(1, out.sent.size(), "nothing after the close");
    }

    @Test
    void evictionFlushesThenNotifiesThenCloses() {
        FakeServerObserver<StreamingServiceSubscribeResponse> out = new FakeServerObserver<>();
        SubscribeStream stream = open(out, 5);
        out.ready = false;
        stream.offer(event(1));
        stream.evict();
        assertEquals(3, out.sent.size());
        assertEquals(1L, out.sent.get(1).getTimestamp().getSeconds());
        assertEquals(SubscriptionType.SUBSCRIPTION_TYPE_UNSPECIFIED, out.sent.get(2).getObjectType());
        assertEquals(ChangeType.CHANGE_TYPE_REMOVED, out.sent.get(2).getChangeType());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(out.error).getCode());
    }

    @Test
    void aCancelledStreamTakesNoMoreEvents() {
        FakeServerObserver<StreamingServiceSubscribeResponse> out = new FakeServerObserver<>();
        SubscribeStream stream = open(out, 5);
        out.onCancel.run();
        stream.offer(event(1));
        assertTrue(stream.isClosed());
        assertEquals(1, out.sent.size());
    }
}
