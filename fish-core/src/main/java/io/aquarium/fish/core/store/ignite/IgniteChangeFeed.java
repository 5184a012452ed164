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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns writes in the replicated caches (by any node) into {@link FishEvent}s through Ignite
 * continuous queries, so a node's election wakes the moment another node creates an application,
 * votes, adds a task or joins. Local writes come back too; the election coalesces the extra wake-ups.
 */
final class IgniteChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IgniteChangeFeed.class);

    private final List<QueryCursor<Cache.Entry<String, BinaryObject>>> cursors = new ArrayList<>();

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
                try {
                    listener.accept(event.of(e.getKey(), e.getValue()));
                } catch (RuntimeException ex) {
                    LOG.warn("Change feed listener failed for {}: {}", cache.getName(), ex.toString());
                }
            }
        });
        cursors.add(cache.query(query));
    }

    @Override
    public void close() {
        for (QueryCursor<?> cursor : cursors) {
            try {
                cursor.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a continuous query failed: {}", e.toString());
            }
        }
    }
}
