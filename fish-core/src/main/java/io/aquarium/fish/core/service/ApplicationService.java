package io.aquarium.fish.core.service;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.lifecycle.ApplicationStateMachine;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Applications as users see them: create, read own, ask for deallocation, add tasks. */
public final class ApplicationService {
    private static final int MAX_TRANSITION_ATTEMPTS = 8;

    private final FishStore store;
    private final UidGenerator uids;
    private final MonotonicClock clock;
    private final EventBus events;
    private final ApplicationStateMachine machine;

    public ApplicationService(FishStore store, UidGenerator uids, MonotonicClock clock, EventBus events,
                              ApplicationStateMachine machine) {
        this.store = store;
        this.uids = uids;
        this.clock = clock;
        this.events = events;
        this.machine = machine;
    }

    public Application create(User caller, UUID labelUid, RawJson metadata) {
        if (labelUid == null) {
            throw FishException.badRequest("Application: label_UID is required");
        }
        Label label = store.label(labelUid).filter(l -> LabelService.mayRead(caller, l))
                .orElseThrow(() -> FishException.badRequest("Unable to find Label with UID: " + labelUid));
        Instant now = clock.now();
        // An expired temporary label waits only for its running applications before it is removed.
        if (label.expiredAt(now)) {
            throw FishException.badRequest("Label " + label.name() + ":" + label.version() + " (" + labelUid
                    + ") expired at " + label.removeAt() + ": it can't be used for new applications");
        }
        Application app = new Application(uids.next(), now, caller.name(), labelUid, metadata);
        machine.create(app);
        return app;
    }

    public Application get(User caller, UUID uid) {
        Application app = store.application(uid)
                .orElseThrow(() -> FishException.notFound("Application not found: " + uid));
        Access.requireOwner(caller, app.ownerName(), "Application " + uid);
        return app;
    }

    public List<Application> list(User caller, Filter filter) {
        return store.applications(caller.isAdmin() ? filter : filter.and(Filter.eq("owner_name", caller.name())));
    }

    /** An application and all its states, oldest first (states are append-only). */
    public record History(Application application, List<ApplicationState> states) {
        public History {
            states = List.copyOf(states);
        }
    }

    /**
     * The whole history of an application, for relays that push changes to many users at once and
     * filter per recipient with {@link #mayRead}; empty if the application does not exist.
     */
    public Optional<History> history(UUID uid) {
        return store.application(uid).map(app -> new History(app, store.states(uid)));
    }

    /** Whether {@code caller} may read {@code app} and its states: the same rule as {@link #get}. */
    public static boolean mayRead(User caller, Application app) {
        return Access.owns(caller, app.ownerName());
    }

    public ApplicationState state(User caller, UUID uid) {
        get(caller, uid);
        return store.currentState(uid)
                .orElseThrow(() -> FishException.notFound("Application state not found: " + uid));
    }

    public Resource resource(User caller, UUID uid) {
        get(caller, uid);
        return store.resourceOfApplication(uid)
                .orElseThrow(() -> FishException.notFound("Resource not found for Application: " + uid));
    }

    /**
     * ALLOCATED → DEALLOCATE (the holding node frees it); NEW/ELECTED → RECALLED. Retries when the
     * status moved under us, so a concurrent election never makes the request fail.
     */
    public ApplicationState deallocate(User caller, UUID uid) {
        get(caller, uid);
        for (int attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
            ApplicationState current = store.currentState(uid)
                    .orElseThrow(() -> FishException.notFound("Application state not found: " + uid));
            ApplicationStatus target = switch (current.status()) {
                case ALLOCATED -> ApplicationStatus.DEALLOCATE;
                case NEW, ELECTED -> ApplicationStatus.RECALLED;
                default -> throw FishException.badRequest(
                        "Unable to deallocate the Application with status: " + current.status());
            };
            String description = target == ApplicationStatus.DEALLOCATE
                    ? "Deallocation requested by user " + caller.name()
                    : "Recalled by user " + caller.name();
            Optional<ApplicationState> moved = machine.tryMove(uid, current.status(), target, description);
            if (moved.isPresent()) {
                return moved.get();
            }
        }
        throw new FishException(FishException.Kind.UNAVAILABLE,
                "Application " + uid + " is changing state too quickly, try again");
    }

    public ApplicationTask createTask(User caller, UUID appUid, String task, ApplicationStatus when, RawJson options) {
        get(caller, appUid);
        if (task == null || task.isBlank()) {
            throw FishException.badRequest("ApplicationTask: task can't be empty");
        }
        if (task.length() > 128) {
            throw FishException.badRequest("ApplicationTask: task name is longer than 128 characters");
        }
        ApplicationStatus at = when == null ? ApplicationStatus.ALLOCATED : when;
        if (at != ApplicationStatus.ALLOCATED && at != ApplicationStatus.DEALLOCATE) {
            throw FishException.badRequest("ApplicationTask: when must be ALLOCATED or DEALLOCATE");
        }
        Instant now = clock.now();
        ApplicationTask created = new ApplicationTask(uids.next(), now, now, appUid, task, at, options,
                RawJson.EMPTY_OBJECT);
        store.createTask(created);
        events.publish(new FishEvent.TaskCreated(appUid, created.uid()));
        return created;
    }

    public List<ApplicationTask> tasks(User caller, UUID appUid, Filter filter) {
        get(caller, appUid);
        return store.tasks(appUid, filter);
    }

    public ApplicationTask task(User caller, UUID taskUid) {
        ApplicationTask task = store.task(taskUid)
                .orElseThrow(() -> FishException.notFound("ApplicationTask not found: " + taskUid));
        get(caller, task.applicationUid());
        return task;
    }
}
