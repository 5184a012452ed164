package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.auth.MetaTokens;
import io.aquarium.fish.core.cluster.Fence;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.metadata.MetadataMerge;
import io.aquarium.fish.core.metrics.FishMetrics;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.StoreTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;

/**
 * Driver work off the election path: allocation after a won claim, deallocation, tasks. One job per
 * application at a time; jobs of different applications run in parallel on the executor, so a slow
 * driver delays only its own applications.
 */
public final class Allocator {
    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);
    /** The MDC key of the application a log line is about. */
    public static final String APPLICATION_UID = "application_uid";
    static final int DEALLOCATE_ATTEMPTS = 3;

    private final FishStore store;
    private final Function<String, Optional<Driver>> drivers;
    private final ApplicationStateMachine machine;
    private final TaskRunner tasks;
    private final NodeIdentity node;
    private final UidGenerator uids;
    private final MonotonicClock clock;
    private final int allocationRetry;
    private final Executor executor;
    private final EventBus events;
    private final MetaTokens metaTokens;
    private final FishMetrics metrics;
    /** Applications with a job running here, and for allocations the definition being allocated. */
    private final Map<UUID, Optional<LabelDefinition>> busy = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> deallocateFailures = new ConcurrentHashMap<>();

    public Allocator(FishStore store, Function<String, Optional<Driver>> drivers, ApplicationStateMachine machine,
                     TaskRunner tasks, NodeIdentity node, UidGenerator uids, MonotonicClock clock, int allocationRetry,
                     Executor executor, EventBus events, MetaTokens metaTokens) {
        this(store, drivers, machine, tasks, node, uids, clock, allocationRetry, executor, events, metaTokens,
                FishMetrics.NOOP);
    }

    public Allocator(FishStore store, Function<String, Optional<Driver>> drivers, ApplicationStateMachine machine,
                     TaskRunner tasks, NodeIdentity node, UidGenerator uids, MonotonicClock clock, int allocationRetry,
                     Executor executor, EventBus events, MetaTokens metaTokens, FishMetrics metrics) {
        this.store = store;
        this.drivers = drivers;
        this.machine = machine;
        this.tasks = tasks;
        this.node = node;
        this.uids = uids;
        this.clock = clock;
        this.allocationRetry = allocationRetry;
        this.executor = executor;
        this.events = events;
        this.metaTokens = metaTokens;
        this.metrics = metrics;
    }

    public boolean isBusy(UUID application) {
        return busy.containsKey(application);
    }

    /** Applications with a job queued or running on this node (allocation, deallocation, tasks, release). */
    public Set<UUID> busyApplications() {
        return Set.copyOf(busy.keySet());
    }

    /** Definitions being allocated right now (their capacity is taken although no resource row exists yet). */
    public Map<UUID, LabelDefinition> allocationsInFlight() {
        Map<UUID, LabelDefinition> out = new java.util.HashMap<>();
        busy.forEach((app, def) -> def.ifPresent(d -> out.put(app, d)));
        return out;
    }

    /**
     * Allocates an application this node has just claimed (it is ELECTED for this node) with the
     * membership view taken before the claim: the driver is called only if {@link Fence} allows it.
     */
    public void allocate(Application app, Label label, int definitionIndex, MembershipView atClaim) {
        LabelDefinition definition = label.definitions().get(definitionIndex);
        submit(app.uid(), Optional.of(definition), true,
                () -> doAllocate(app, label, definitionIndex, definition, atClaim));
    }

    /** Frees the resource of an application in DEALLOCATE, running its DEALLOCATE tasks first. */
    public void deallocate(Resource resource, LabelDefinition definition) {
        submit(resource.applicationUid(), Optional.empty(), true, () -> doDeallocate(resource, definition));
    }

    /** Runs an ALLOCATED application's pending tasks. */
    public void runTasks(Resource resource, LabelDefinition definition) {
        submit(resource.applicationUid(), Optional.empty(), false, () -> drivers.apply(definition.driver())
                .ifPresent(d -> tasks.runPending(d, resource, ALLOCATED)));
    }

    /** {@code changesCapacity}: whether finishing the job may let the election do more (then it is woken). */
    private void submit(UUID application, Optional<LabelDefinition> definition, boolean changesCapacity,
                        Runnable job) {
        if (busy.putIfAbsent(application, definition) != null) {
            return;
        }
        try {
            executor.execute(() -> {
                // Every line the job logs carries the application (a field of its own in the JSON log format).
                MDC.put(APPLICATION_UID, application.toString());
                try {
                    job.run();
                } catch (RuntimeException e) {
                    LOG.error("Job for application {} failed unexpectedly", application, e);
                } finally {
                    MDC.remove(APPLICATION_UID);
                    busy.remove(application);
                    if (changesCapacity) {
                        events.publish(new FishEvent.JobFinished(application));
                    }
                }
            });
        } catch (RuntimeException rejected) {
            busy.remove(application);
            throw rejected;
        }
    }

    private void doAllocate(Application app, Label label, int index, LabelDefinition definition,
                            MembershipView atClaim) {
        MembershipView current = store.membership();
        if (!Fence.allows(atClaim, current)) {
            // The majority may be electing it elsewhere already: never act on this claim. Handing it
            // back may fail too (no quorum); the majority then takes it over as a dropped node's claim.
            LOG.warn("Claim of application {} released before allocating: cluster membership changed (term {} -> {}, {})",
                    app.uid(), atClaim.term(), current.term(), current.state());
            try {
                machine.move(app.uid(), ELECTED, NEW, "Claim released by node " + node.name()
                        + ": it lost quorum before allocating; electing again");
            } catch (RuntimeException e) {
                LOG.info("Claim of application {} could not be handed back ({}); the majority takes it over",
                        app.uid(), e.getMessage());
            }
            return;
        }
        Optional<Driver> driver = drivers.apply(definition.driver());
        RawJson metadata = MetadataMerge.merge(app.metadata(), label.metadata());
        AllocatedResource allocated;
        try {
            if (driver.isEmpty()) {
                throw new IllegalStateException("driver " + definition.driver() + " is not available on this node");
            }
            allocated = driver.get().allocate(new AllocationRequest(app.uid(), definition, metadata,
                    metaTokens.tokenFor(app.uid())));
        } catch (RuntimeException e) {
            allocationFailed(app, definition.driver(), e.getMessage());
            return;
        }
        Instant now = clock.now();
        Resource resource = new Resource(uids.next(), now, now, app.uid(), node.uid(), label.uid(), index,
                allocated.identifier(), allocated.ipAddr(), allocated.hwAddr(),
                metadata, allocated.authentication());
        try {
            store.createResource(resource);
        } catch (RuntimeException e) {
            release(driver.get(), allocated.identifier());
            allocationFailed(app, definition.driver(), "unable to record the resource: " + e.getMessage());
            return;
        }
        // The resource row exists before ALLOCATED is visible (clients read it right after).
        boolean moved;
        try {
            moved = machine.move(app.uid(), ELECTED, ALLOCATED, "Driver allocated the resource on node " + node.name());
        } catch (StoreTimeoutException inDoubt) {
            // The move may still commit: undoing it could leave an ALLOCATED application without its
            // machine. Both stay; the election pass resumes it as ALLOCATED from the row, or the
            // majority (having taken the claim over) deletes the row and the driver reconciles.
            LOG.warn("Application {}: marking it ALLOCATED got no answer ({}); {} stays with its resource row",
                    app.uid(), inDoubt.getMessage(), allocated.identifier());
            return;
        } catch (RuntimeException e) {
            // The store refused the move (no quorum, timed out): drop the row, then free the resource.
            // Should the row stay (the store still refuses), the resource stays with it: recovery
            // finds both and resumes the application as ALLOCATED, never one without the other.
            LOG.warn("Application {} could not be marked ALLOCATED ({}); releasing {}", app.uid(), e.getMessage(),
                    allocated.identifier());
            try {
                store.deleteResource(resource.uid());
            } catch (RuntimeException kept) {
                LOG.warn("Resource row of application {} kept with its resource: {}", app.uid(), kept.getMessage());
                return;
            }
            release(driver.get(), allocated.identifier());
            return;
        }
        if (moved) {
            metrics.allocationEnded(definition.driver(), true, Duration.between(app.createdAt(), clock.now()));
            store.deleteVotes(app.uid());
            LOG.info("Application {} allocated on {} as {}", app.uid(), definition.driver(), allocated.identifier());
            tasks.runPending(driver.get(), resource, ALLOCATED);
        } else {
            // Recalled (or re-elected) while the driver worked: free what was made.
            LOG.info("Application {} changed while allocating; releasing {}", app.uid(), allocated.identifier());
            release(driver.get(), allocated.identifier());
            store.deleteResource(resource.uid());
        }
    }

    private void allocationFailed(Application app, String driver, String reason) {
        metrics.allocationEnded(driver, false, Duration.between(app.createdAt(), clock.now()));
        int attempts = FailedAttempts.count(store.states(app.uid()));
        // Votes of the failed election go first, so the next election starts from a clean round.
        store.deleteVotes(app.uid());
        String why = reason == null ? "unknown error" : reason;
        if (attempts >= allocationRetry) {
            machine.move(app.uid(), ELECTED, ERROR, "Allocation failed " + attempts + " time(s), last on node "
                    + node.name() + ": " + why);
        } else {
            machine.move(app.uid(), ELECTED, NEW, "Allocation failed on node " + node.name() + ": " + why
                    + "; retry " + attempts + " of " + (allocationRetry - 1));
        }
        LOG.warn("Allocation of application {} failed on attempt {}: {}", app.uid(), attempts, why);
    }

    private void doDeallocate(Resource resource, LabelDefinition definition) {
        UUID app = resource.applicationUid();
        Optional<Driver> driver = drivers.apply(definition.driver());
        if (driver.isEmpty()) {
            machine.move(app, DEALLOCATE, ERROR, "Unable to deallocate: driver " + definition.driver()
                    + " is not available on node " + node.name());
            return;
        }
        tasks.runPending(driver.get(), resource, DEALLOCATE);
        try {
            driver.get().deallocate(resource.identifier());
        } catch (RuntimeException e) {
            int failures = deallocateFailures.merge(app, 1, Integer::sum);
            LOG.warn("Deallocation of {} failed ({} of {}): {}", resource.identifier(), failures, DEALLOCATE_ATTEMPTS,
                    e.getMessage());
            if (failures >= DEALLOCATE_ATTEMPTS) {
                deallocateFailures.remove(app);
                machine.move(app, DEALLOCATE, ERROR, "Unable to deallocate the resource: " + e.getMessage());
            }
            return;
        }
        deallocateFailures.remove(app);
        store.deleteResource(resource.uid());
        machine.move(app, DEALLOCATE, DEALLOCATED, "Deallocated by node " + node.name());
        LOG.info("Application {} deallocated ({})", app, resource.identifier());
    }

    /** Frees a resource whose application no longer wants it (restart clean-up, lost races). */
    public void releaseOrphan(Resource resource, LabelDefinition definition) {
        submit(resource.applicationUid(), Optional.empty(), true, () -> {
            // The row is the only record of the resource: keep it (and retry next pass) until the driver freed it.
            Optional<Driver> driver = drivers.apply(definition.driver());
            if (driver.isPresent() && release(driver.get(), resource.identifier())) {
                store.deleteResource(resource.uid());
            }
        });
    }

    private static boolean release(Driver driver, String identifier) {
        try {
            driver.deallocate(identifier);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Unable to release {} of driver {}: {}", identifier, driver.name(), e.getMessage());
            return false;
        }
    }
}
