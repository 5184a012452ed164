package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Removes temporary labels (version 0) whose {@code remove_at} has passed, once no application using
 * them still holds or may still get a resource (its node reads the label's definition to free it).
 * {@link #due} decides on data alone; {@link #run} reads the store, asks it and deletes.
 *
 * <p>Every node of a cluster runs it: the store's delete answers false to all but one of them, and only
 * a node whose delete removed the row publishes {@code LabelRemoved}, so each removal is announced by
 * the node that made it and a lost race is not an error.
 */
public final class TemporaryLabelRemoval implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TemporaryLabelRemoval.class);
    /** Statuses after which an application never needs its label again. */
    private static final Set<ApplicationStatus> IN_USE = EnumSet.noneOf(ApplicationStatus.class);

    static {
        for (ApplicationStatus status : ApplicationStatus.values()) {
            if (!status.isFinal()) {
                IN_USE.add(status);
            }
        }
    }

    private final FishStore store;
    private final Clock clock;
    private final EventBus events;

    public TemporaryLabelRemoval(FishStore store, Clock clock, EventBus events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    /**
     * The labels to remove now: expired ones ({@link Label#expiredAt}) that no application in use
     * refers to. {@code labelsInUse} holds the label UIDs of applications whose status is not final.
     */
    public static List<Label> due(Collection<Label> labels, Set<UUID> labelsInUse, Instant now) {
        return labels.stream().filter(label -> label.expiredAt(now) && !labelsInUse.contains(label.uid())).toList();
    }

    /** A pass for a scheduler: an unavailable store is reported in one line; the next pass tries again. */
    @Override
    public void run() {
        try {
            removeDue();
        } catch (StoreException e) {
            LOG.warn("Expired temporary labels are removed later: {}", e.getMessage());
        }
    }

    /** One pass: reads, decides with {@link #due}, deletes; returns what this node removed. */
    public List<Label> removeDue() {
        Instant now = clock.instant();
        List<Label> expired = store.labels(Filter.eq("version", Label.TEMPORARY)).stream()
                .filter(label -> label.expiredAt(now)).toList();
        if (expired.isEmpty()) {
            return List.of();
        }
        List<Label> removed = new ArrayList<>();
        for (Label label : due(expired, labelsInUse(expired), now)) {
            // False: another node (or an admin) removed it first, and announced it.
            if (store.deleteLabel(label.uid())) {
                LOG.info("Temporary label {}:{} ({}) removed: expired at {}", label.name(), label.version(),
                        label.uid(), label.removeAt());
                events.publish(new FishEvent.LabelRemoved(label));
                removed.add(label);
            }
        }
        return removed;
    }

    /** Which of these labels an application whose status is not final still uses. */
    private Set<UUID> labelsInUse(List<Label> expired) {
        Set<UUID> activeApplications = new HashSet<>();
        for (ApplicationState state : store.currentStates(IN_USE)) {
            activeApplications.add(state.applicationUid());
        }
        Set<UUID> inUse = new HashSet<>();
        for (Label label : expired) {
            for (Application app : store.applications(Filter.eq("label_uid", label.uid().toString()))) {
                if (activeApplications.contains(app.uid())) {
                    inUse.add(label.uid());
                    break;
                }
            }
        }
        return inUse;
    }
}
