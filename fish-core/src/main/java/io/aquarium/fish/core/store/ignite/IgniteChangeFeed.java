package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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

    /**
     * {@code labels} reads a label row: label events carry the whole label (v2 subscribers on every
     * node are told of labels created or removed on any node; they drop the copies of events they
     * already relayed).
     */
    IgniteChangeFeed(Function<IgniteTable, IgniteCache<String, BinaryObject>> caches, Function<BinaryObject, Label> labels,
                     Consumer<FishEvent> listener) {
        watch(caches.apply(IgniteTable.APPLICATION_CURRENT), UPSERTS, listener, (key, row, type) ->
                new FishEvent.ApplicationChanged(UUID.fromString(key), ApplicationStatus.valueOf(row.field("status"))));
        watch(caches.apply(IgniteTable.APPLICATION_TASKS), CREATED, listener, (key, row, type) ->
                new FishEvent.TaskCreated(UUID.fromString(row.field("application_uid")), UUID.fromString(key)));
        watch(caches.apply(IgniteTable.VOTES), CREATED, listener, (key, row, type) ->
                new FishEvent.VoteCast(UUID.fromString(row.field("application_uid")),
                        UUID.fromString(row.field("node_uid"))));
        // Heartbeats update node rows every few seconds; only a new node is worth an immediate pass.
        watch(caches.apply(IgniteTable.NODES), CREATED, listener, (key, row, type) ->
                new FishEvent.NodeChanged(UUID.fromString(key)));
        watch(caches.apply(IgniteTable.LABELS), CREATED_OR_REMOVED, listener, (key, row, type) ->
                type == EventType.REMOVED ? new FishEvent.LabelRemoved(labels.apply(row))
                        : new FishEvent.LabelCreated(labels.apply(row)));
    }

    private static final Set<EventType> UPSERTS = EnumSet.of(EventType.CREATED, EventType.UPDATED);
    private static final Set<EventType> CREATED = EnumSet.of(EventType.CREATED);
    private static final Set<EventType> CREATED_OR_REMOVED = EnumSet.of(EventType.CREATED, EventType.REMOVED);

    private interface EventOf {
        FishEvent of(String key, BinaryObject row, EventType type);
    }

    private void watch(IgniteCache<String, BinaryObject> cache, Set<EventType> types, Consumer<FishEvent> listener,
                       EventOf event) {
        ContinuousQuery<String, BinaryObject> query = new ContinuousQuery<>();
        query.setLocalListener(entries -> {
            for (CacheEntryEvent<? extends String, ? extends BinaryObject> e : entries) {
                // A removal's row is the old value.
                BinaryObject row = e.getEventType() == EventType.REMOVED ? e.getOldValue() : e.getValue();
                if (row == null || !types.contains(e.getEventType())) {
                    continue;
                }
                FishEvent fishEvent;
                try {
                    fishEvent = event.of(e.getKey(), row, e.getEventType());
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
