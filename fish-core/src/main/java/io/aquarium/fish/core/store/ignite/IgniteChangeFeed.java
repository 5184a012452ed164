package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.model.ApplicationStatus;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns writes in the replicated caches (by any node) into {@link FishEvent}s through Ignite
 * continuous queries, so a node's election wakes the moment another node creates an application,
 * votes, adds a task or joins. Local writes come back too; the election coalesces the extra wake-ups.
 *
 * <p>The notification comes from the entry's primary node and may arrive a moment before this
 * node's own copy of the transaction is committed, so a pass woken by it can read the data without
 * the change (seen in a 3-node cluster: the last vote of a round missed, the winner slept until the
 * round's 5 s deadline). Every event is therefore delivered again {@link #ECHO_AFTER} later.
 */
final class IgniteChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IgniteChangeFeed.class);
    static final Duration ECHO_AFTER = Duration.ofMillis(150);

    private final List<QueryCursor<Cache.Entry<String, BinaryObject>>> cursors = new ArrayList<>();
    private final ScheduledExecutorService echoes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fish-change-echo");
        t.setDaemon(true);
        return t;
    });

    IgniteChangeFeed(Function<IgniteTable, IgniteCache<String, BinaryObject>> caches, Consumer<FishEvent> listener) {
        watch(caches.apply(IgniteTable.APPLICATION_CURRENT), false, listener, (key, row) ->
                new FishEvent.ApplicationChanged(UUID.fromString(key), ApplicationStatus.valueOf(row.field("status"))));
        watch(caches.apply(IgniteTable.APPLICATION_TASKS), true, listener, (key, row) ->
                new FishEvent.TaskCreated(UUID.fromString(row.field("application_uid")), UUID.fromString(key)));
        watch(caches.apply(IgniteTable.VOTES), true, listener, (key, row) ->
                new FishEvent.VoteCast(UUID.fromString(row.field("application_uid"))));
        // Heartbeats update node rows every few seconds; only a new node is worth an immediate pass.
        watch(caches.apply(IgniteTable.NODES), true, listener, (key, row) ->
                new FishEvent.NodeChanged(UUID.fromString(key)));
    }

    private interface EventOf {
        FishEvent of(String key, BinaryObject row);
    }

    private void watch(IgniteCache<String, BinaryObject> cache, boolean createdOnly, Consumer<FishEvent> listener,
                       EventOf event) {
        ContinuousQuery<String, BinaryObject> query = new ContinuousQuery<>();
        query.setLocalListener(entries -> {
            for (CacheEntryEvent<? extends String, ? extends BinaryObject> e : entries) {
                if (e.getValue() == null || (createdOnly && e.getEventType() != EventType.CREATED)) {
                    continue;
                }
                FishEvent fishEvent;
                try {
                    fishEvent = event.of(e.getKey(), e.getValue());
                } catch (RuntimeException ex) {
                    LOG.warn("Change feed event of {} unreadable: {}", cache.getName(), ex.toString());
                    continue;
                }
                deliver(listener, fishEvent, cache.getName());
                try {
                    echoes.schedule(() -> deliver(listener, fishEvent, cache.getName()), ECHO_AFTER.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    // The feed is closing: nobody listens any more.
                }
            }
        });
        cursors.add(cache.query(query));
    }

    private static void deliver(Consumer<FishEvent> listener, FishEvent event, String cacheName) {
        try {
            listener.accept(event);
        } catch (RuntimeException ex) {
            LOG.warn("Change feed listener failed for {}: {}", cacheName, ex.toString());
        }
    }

    @Override
    public void close() {
        echoes.shutdownNow();
        for (QueryCursor<?> cursor : cursors) {
            try {
                cursor.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a continuous query failed: {}", e.toString());
            }
        }
    }
}
