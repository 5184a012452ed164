package io.aquarium.fish.core.node;

import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's maintenance mode and pending shutdown. In maintenance the node votes "no" for new
 * applications; running ones stay. A shutdown waits (unless maintenance is off) for the node's
 * applications to finish, then for {@code shutdownDelay}, then stops the node.
 */
public final class Maintenance {
    /** A consistent snapshot of the mode. */
    public record Mode(boolean maintenance, boolean shutdown, Duration shutdownDelay) {
        public static final Mode NORMAL = new Mode(false, false, Duration.ZERO);
    }

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NORMAL);
    private final EventBus events;

    public Maintenance(EventBus events) {
        this.events = events;
    }

    public Mode mode() {
        return mode.get();
    }

    public boolean inMaintenance() {
        return mode.get().maintenance();
    }

    /**
     * Applies a request of the maintenance endpoint. {@code shutdown} null keeps the pending
     * shutdown as it is; false cancels it.
     */
    public Mode apply(boolean enable, Boolean shutdown, Duration shutdownDelay) {
        Mode next = mode.updateAndGet(m -> new Mode(enable,
                shutdown == null ? m.shutdown() : shutdown,
                shutdownDelay == null ? m.shutdownDelay() : shutdownDelay));
        events.publish(new FishEvent.MaintenanceChanged(next.maintenance()));
        return next;
    }
}
