package io.aquarium.fish.api.rpc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code streams_limit}: per user and per kind, the newest streams stay and the oldest beyond the limit go. */
class StreamLimitsTest {
    private static final class Stream implements StreamLimits.Limited {
        int evicted;
        boolean closed;

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void evict() {
            evicted++;
            closed = true;
        }
    }

    @Test
    void aNewStreamBeyondTheLimitEvictsTheUsersOldestOfThatKindOnly() {
        StreamLimits limits = new StreamLimits(2);
        Stream first = new Stream();
        Stream second = new Stream();
        Stream third = new Stream();
        Stream subscribe = new Stream();
        Stream otherUser = new Stream();
        limits.admit(StreamLimits.Kind.CONNECT, "jenkins", first);
        limits.admit(StreamLimits.Kind.SUBSCRIBE, "jenkins", subscribe);
        limits.admit(StreamLimits.Kind.CONNECT, "other", otherUser);
        limits.admit(StreamLimits.Kind.CONNECT, "jenkins", second);
        assertFalse(first.closed, "two of a kind are allowed");
        limits.admit(StreamLimits.Kind.CONNECT, "jenkins", third);
        assertEquals(1, first.evicted);
        assertFalse(second.closed || third.closed || subscribe.closed || otherUser.closed);
    }

    @Test
    void closedStreamsDoNotCount() {
        StreamLimits limits = new StreamLimits(1);
        Stream gone = new Stream();
        limits.admit(StreamLimits.Kind.SUBSCRIBE, "jenkins", gone);
        gone.closed = true;
        Stream next = new Stream();
        limits.admit(StreamLimits.Kind.SUBSCRIBE, "jenkins", next);
        assertEquals(0, gone.evicted);
        assertFalse(next.closed);
    }

    @Test
    void minusOneIsUnlimitedAndZeroIsRefused() {
        StreamLimits unlimited = new StreamLimits(-1);
        Stream first = new Stream();
        unlimited.admit(StreamLimits.Kind.CONNECT, "jenkins", first);
        for (int i = 0; i < 50; i++) {
            unlimited.admit(StreamLimits.Kind.CONNECT, "jenkins", new Stream());
        }
        assertFalse(first.closed);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StreamLimits(0)).getMessage()
                .contains("-1"));
    }
}
