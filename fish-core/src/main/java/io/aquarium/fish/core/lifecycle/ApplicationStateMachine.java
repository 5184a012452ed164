package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static io.aquarium.fish.core.model.ApplicationStatus.RECALLED;

/**
 * The legal moves of an application, in one place, and the one place that builds its state
 * records: the first NEW ({@link #create}) and every later one ({@link #tryMove}). Every move is a
 * compare-and-set on the store, so of two nodes (or a node and a user) racing for the same move,
 * one wins and the other learns it lost.
 */
public final class ApplicationStateMachine {
    private static final Map<ApplicationStatus, Set<ApplicationStatus>> LEGAL = Map.of(
            NEW, EnumSet.of(ELECTED, RECALLED, ERROR),
            ELECTED, EnumSet.of(ALLOCATED, NEW, RECALLED, ERROR),
            ALLOCATED, EnumSet.of(DEALLOCATE, ERROR),
            DEALLOCATE, EnumSet.of(DEALLOCATED, ERROR),
            RECALLED, EnumSet.noneOf(ApplicationStatus.class),
            DEALLOCATED, EnumSet.noneOf(ApplicationStatus.class),
            ERROR, EnumSet.noneOf(ApplicationStatus.class));

    private final FishStore store;
    private final UidGenerator uids;
    private final MonotonicClock clock;
    private final EventBus events;

    public ApplicationStateMachine(FishStore store, UidGenerator uids, MonotonicClock clock, EventBus events) {
        this.store = store;
        this.uids = uids;
        this.clock = clock;
        this.events = events;
    }

    public static boolean isLegal(ApplicationStatus from, ApplicationStatus to) {
        return LEGAL.get(from).contains(to);
    }

    /**
     * Writes {@code application} with its first state, NEW ("Created", at the application's own
     * creation time), in one store transaction, and announces it.
     *
     * @return the NEW state
     */
    public ApplicationState create(Application application) {
        ApplicationState initial = new ApplicationState(uids.next(), application.createdAt(), application.uid(), NEW,
                "Created");
        store.createApplication(application, initial);
        events.publish(new FishEvent.ApplicationChanged(application.uid(), NEW));
        return initial;
    }

    /** Moves the application from {@code from} to {@code to} if it is still in {@code from}; true if this call did it. */
    public boolean move(UUID application, ApplicationStatus from, ApplicationStatus to, String description) {
        return move(application, from, to, description, null);
    }

    /** Like {@link #move(UUID, ApplicationStatus, ApplicationStatus, String)}, recording the node the new state concerns. */
    public boolean move(UUID application, ApplicationStatus from, ApplicationStatus to, String description,
                        UUID nodeUid) {
        return tryMove(application, from, to, description, nodeUid).isPresent();
    }

    /** Like {@link #move}, returning the state this call appended. */
    public Optional<ApplicationState> tryMove(UUID application, ApplicationStatus from, ApplicationStatus to,
                                              String description) {
        return tryMove(application, from, to, description, null);
    }

    /**
     * Like {@link #move}, returning the state this call appended; {@code nodeUid} is the node the new
     * state concerns (the elected node of ELECTED), or null.
     */
    public Optional<ApplicationState> tryMove(UUID application, ApplicationStatus from, ApplicationStatus to,
                                              String description, UUID nodeUid) {
        if (!isLegal(from, to)) {
            throw new IllegalArgumentException("illegal transition " + from + " -> " + to);
        }
        ApplicationState next = new ApplicationState(uids.next(), clock.now(), application, to, description, nodeUid);
        if (!store.transition(application, from, next)) {
            return Optional.empty();
        }
        events.publish(new FishEvent.ApplicationChanged(application, to));
        return Optional.of(next);
    }
}
