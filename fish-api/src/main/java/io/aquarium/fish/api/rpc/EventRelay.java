package io.aquarium.fish.api.rpc;

import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.service.ApplicationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns the node's {@link EventBus} into Subscribe events: every new state of an application goes to
 * the streams of its owner and of admins (the rule of {@link ApplicationService#mayRead}), every label
 * created or removed to every stream that asked for labels. In a cluster the store's change feed
 * publishes other nodes' state changes into the same bus.
 *
 * <p>{@code ApplicationChanged} says only "this application changed", and arrives more than once (the
 * cluster feed echoes local writes and repeats each event), or once for several quick moves. So the
 * relay reads the application's append-only state list and sends the states past those it already
 * sent: each state exactly once and in order, also when events are coalesced or repeated.
 *
 * <p>Runs on one thread of its own: bus listeners must be quick, and one thread keeps each stream's
 * events in order.
 */
final class EventRelay implements AutoCloseable {
    /** How long an application's progress is kept after its last state (echoes come within a second). */
    static final Duration FINISHED_RETENTION = Duration.ofMinutes(10);
    /** States after which an application never changes again. */
    private static final Set<ApplicationStatus> FINAL = EnumSet.of(ApplicationStatus.DEALLOCATED,
            ApplicationStatus.RECALLED, ApplicationStatus.ERROR);
    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);

    private final ApplicationService applications;
    private final Clock clock;
    private final Set<SubscribeStream> streams = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fish-rpc-events");
        thread.setDaemon(true);
        return thread;
    });
    /** Worker thread only: how many states of each application were relayed, and since when it is finished. */
    private final Map<UUID, Progress> relayed = new HashMap<>();
    /**
     * Worker thread only: label events already relayed, and when. The node that writes a label
     * publishes its event, and the cluster's change feed brings it again (twice, and on every node),
     * as does a removal several nodes make at once.
     */
    private final Map<LabelChange, Instant> labelsRelayed = new HashMap<>();

    private record LabelChange(UUID label, ChangeType change) {
    }
    /** Worker thread only: when the current stretch with at least one subscriber began. */
    private Instant subscribedSince;

    private static final class Progress {
        int sent;
        Instant finishedAt;
    }

    EventRelay(EventBus events, ApplicationService applications, Clock clock) {
        this.applications = applications;
        this.clock = clock;
        events.subscribe(this::onEvent);
    }

    /** Starts relaying to {@code stream}: only changes from now on, as the original does. */
    void add(SubscribeStream stream) {
        // Taken now, not when the worker gets to it: a state written in between is news to this stream.
        Instant since = clock.instant();
        run(() -> {
            streams.removeIf(SubscribeStream::isClosed);
            if (streams.isEmpty()) {
                subscribedSince = since;
                relayed.clear();
            }
            streams.add(stream);
        });
    }

    private void onEvent(FishEvent event) {
        if (event instanceof FishEvent.ApplicationChanged changed) {
            run(() -> relayStates(changed.applicationUid()));
        } else if (event instanceof FishEvent.LabelCreated created) {
            run(() -> relayLabel(created.label(), ChangeType.CHANGE_TYPE_CREATED));
        } else if (event instanceof FishEvent.LabelRemoved removed) {
            run(() -> relayLabel(removed.label(), ChangeType.CHANGE_TYPE_REMOVED));
        }
    }

    private void run(Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    // A store read failed (e.g. timed out): the application's next event catches up,
                    // since progress only moves after a successful send.
                    LOG.warn("Relaying an event to Subscribe streams failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // The API is closing; its streams go with it.
        }
    }

    private void relayStates(UUID applicationUid) {
        streams.removeIf(SubscribeStream::isClosed);
        if (streams.isEmpty()) {
            // Nobody listens: nothing to read. The next subscriber starts from its own time.
            relayed.clear();
            return;
        }
        ApplicationService.History history = applications.history(applicationUid).orElse(null);
        if (history == null) {
            return;
        }
        List<ApplicationState> states = history.states();
        Progress progress = relayed.get(applicationUid);
        if (progress == null) {
            // First sight since the subscribers came: what happened before they subscribed is not news.
            progress = new Progress();
            while (progress.sent < states.size() && states.get(progress.sent).createdAt().isBefore(subscribedSince)) {
                progress.sent++;
            }
            relayed.put(applicationUid, progress);
        }
        for (int i = progress.sent; i < states.size(); i++) {
            deliver(history.application(), states.get(i));
        }
        progress.sent = Math.max(progress.sent, states.size());
        if (progress.finishedAt == null && !states.isEmpty() && FINAL.contains(states.get(states.size() - 1).status())) {
            progress.finishedAt = clock.instant();
        }
        forgetFinished();
    }

    private void deliver(Application application, ApplicationState state) {
        StreamingServiceSubscribeResponse event = event(SubscriptionType.SUBSCRIPTION_TYPE_APPLICATION_STATE,
                ChangeType.CHANGE_TYPE_CREATED, ApplicationMessages.of(state));
        for (SubscribeStream stream : streams) {
            if (stream.wants(SubscriptionType.SUBSCRIPTION_TYPE_APPLICATION_STATE)
                    && ApplicationService.mayRead(stream.caller(), application)) {
                stream.offer(event);
            }
        }
    }

    private void relayLabel(Label label, ChangeType change) {
        Instant now = clock.instant();
        labelsRelayed.values().removeIf(at -> at.isBefore(now.minus(FINISHED_RETENTION)));
        if (labelsRelayed.putIfAbsent(new LabelChange(label.uid(), change), now) != null) {
            return;
        }
        StreamingServiceSubscribeResponse event = event(SubscriptionType.SUBSCRIPTION_TYPE_LABEL, change,
                LabelMessages.of(label.withoutAuthentication()));
        for (SubscribeStream stream : streams) {
            if (stream.wants(SubscriptionType.SUBSCRIPTION_TYPE_LABEL)) {
                stream.offer(event);
            }
        }
    }

    private StreamingServiceSubscribeResponse event(SubscriptionType type, ChangeType change, Message object) {
        return StreamingServiceSubscribeResponse.newBuilder()
                .setObjectType(type)
                .setChangeType(change)
                .setTimestamp(ProtoTime.of(clock.instant()))
                .setObjectData(Any.pack(object))
                .build();
    }

    private void forgetFinished() {
        Instant before = clock.instant().minus(FINISHED_RETENTION);
        for (Iterator<Progress> it = relayed.values().iterator(); it.hasNext(); ) {
            Instant finishedAt = it.next().finishedAt;
            if (finishedAt != null && finishedAt.isBefore(before)) {
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
