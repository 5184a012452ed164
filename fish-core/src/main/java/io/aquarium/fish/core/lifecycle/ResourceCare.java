package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;

/**
 * What a node does for the resources it holds, apart from any election: ends lifetimes (ALLOCATED →
 * DEALLOCATE), runs pending tasks, deallocates what is in DEALLOCATE, and releases resources whose
 * application is no longer active (orphans of restarts and lost races). Run by the election loop
 * after each election step, over the same reads.
 */
public final class ResourceCare {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceCare.class);

    private final Allocator allocator;
    private final ApplicationStateMachine machine;
    private final LifetimePolicy lifetimes;
    private final Function<UUID, Optional<Label>> labels;
    /** Applications whose tasks may need a run: told by events, and each held one once after start. */
    private final Set<UUID> taskHints = ConcurrentHashMap.newKeySet();
    private final Set<UUID> tasksChecked = ConcurrentHashMap.newKeySet();

    public ResourceCare(Allocator allocator, ApplicationStateMachine machine, LifetimePolicy lifetimes,
                        Function<UUID, Optional<Label>> labels) {
        this.allocator = allocator;
        this.machine = machine;
        this.lifetimes = lifetimes;
        this.labels = labels;
    }

    /** A task was created for the application: the next run starts its pending tasks if this node holds it. */
    public void tasksChanged(UUID application) {
        taskHints.add(application);
    }

    /**
     * Looks after each resource this node holds, given the current states of active applications
     * ({@code states}; a resource whose application is missing there is an orphan). Returns the earliest
     * lifetime expiry still ahead, if any.
     */
    public Optional<Instant> run(Collection<Resource> mine, Map<UUID, ApplicationState> states, Instant now) {
        Instant due = null;
        for (Resource resource : mine) {
            try {
                Optional<Instant> next = tend(resource, states.get(resource.applicationUid()), now);
                if (next.isPresent() && (due == null || next.get().isBefore(due))) {
                    due = next.get();
                }
            } catch (RuntimeException e) {
                LOG.warn("Resource step for application {} failed: {}", resource.applicationUid(), e.toString());
            }
        }
        tasksChecked.retainAll(states.keySet());
        taskHints.retainAll(states.keySet());
        return Optional.ofNullable(due);
    }

    private Optional<Instant> tend(Resource resource, ApplicationState state, Instant now) {
        UUID app = resource.applicationUid();
        if (allocator.isBusy(app)) {
            return Optional.empty();
        }
        Optional<LabelDefinition> definition = labels.apply(resource.labelUid())
                .flatMap(l -> l.definition(resource.definitionIndex()));
        if (definition.isEmpty()) {
            LOG.warn("Resource {} refers to a missing label definition; leaving it alone", resource.uid());
            return Optional.empty();
        }
        if (state == null) {
            LOG.info("Releasing resource {} of inactive application {}", resource.identifier(), app);
            allocator.releaseOrphan(resource, definition.get());
            return Optional.empty();
        }
        if (state.status() == ALLOCATED) {
            Optional<Instant> expiry = lifetimes.expiry(definition.get().resources(), resource.createdAt());
            if (expiry.isPresent() && !now.isBefore(expiry.get())) {
                machine.move(app, ALLOCATED, DEALLOCATE, "Lifetime of the resource expired");
                return Optional.empty();
            }
            // Checking tasks costs a query: only when told, or once for resources held since before a restart.
            if (taskHints.remove(app) | tasksChecked.add(app)) {
                allocator.runTasks(resource, definition.get());
            }
            return expiry;
        } else if (state.status() == DEALLOCATE) {
            allocator.deallocate(resource, definition.get());
        }
        return Optional.empty();
    }
}
