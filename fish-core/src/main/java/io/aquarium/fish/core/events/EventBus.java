package io.aquarium.fish.core.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-process fan-out of {@link FishEvent}s. Listeners must be quick (they run on the publisher's
 * thread); one failing listener does not stop the others.
 */
public final class EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private final List<Consumer<FishEvent>> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<FishEvent> listener) {
        listeners.add(listener);
    }

    public void publish(FishEvent event) {
        for (Consumer<FishEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Event listener failed on {}", event, e);
            }
        }
    }
}
