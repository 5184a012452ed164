package io.aquarium.fish.api.rpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many streams of each kind one user may hold open, as the original node's {@code streams_limit}
 * (the node config's {@code streams_limit}, default one Connect and one Subscribe per user): a new stream evicts the user's oldest of its kind,
 * which gets a {@code resource_exhausted} notification and is closed. The plugin then reconnects after
 * 10 s, so two Jenkins controllers sharing one user evict each other in a loop: give each its own user.
 *
 * <p>Closed streams are not unregistered by callbacks; they are dropped the next time the user opens a
 * stream of that kind, which bounds the bookkeeping by the number of users.
 */
final class StreamLimits {
    private static final Logger LOG = LoggerFactory.getLogger(StreamLimits.class);

    enum Kind { CONNECT, SUBSCRIBE }

    /** A stream the limit can count and evict. */
    interface Limited {
        boolean isClosed();

        /** Tells the client why (a {@code resource_exhausted} notification) and closes the stream. */
        void evict();
    }

    private record Key(Kind kind, String user) {
    }

    private final int perUser;
    private final Map<Key, Deque<Limited>> open = new HashMap<>();

    /** {@code perUser} streams of each kind per user; -1 means unlimited. */
    StreamLimits(int perUser) {
        if (perUser < 1 && perUser != -1) {
            throw new IllegalArgumentException("streams per user must be at least 1, or -1 for unlimited");
        }
        this.perUser = perUser;
    }

    /** Counts {@code stream} as the user's newest of {@code kind}, evicting the oldest ones over the limit. */
    void admit(Kind kind, String user, Limited stream) {
        List<Limited> evicted = new ArrayList<>();
        synchronized (this) {
            Deque<Limited> streams = open.computeIfAbsent(new Key(kind, user), k -> new ArrayDeque<>());
            streams.removeIf(Limited::isClosed);
            streams.addLast(stream);
            while (perUser != -1 && streams.size() > perUser) {
                evicted.add(streams.pollFirst());
            }
        }
        // Outside the lock: eviction writes to the stream, which takes the stream's own lock.
        for (Limited oldest : evicted) {
            LOG.info("Stream limit: user {} opened a new {} stream, closing its oldest", user, kind);
            oldest.evict();
        }
    }
}
