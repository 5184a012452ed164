package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.store.FishStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Carries out a requested shutdown: once this node runs no application (not waited for when
 * maintenance is off), waits the requested delay, then calls the stop action once.
 * {@link #tick()} is driven by the node's scheduler (about once a second).
 */
public final class ShutdownCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownCoordinator.class);

    private final FishStore store;
    private final UUID nodeUid;
    private final Maintenance maintenance;
    private final Clock clock;
    private final Runnable stopAction;
    private Instant idleSince;
    private boolean stopped;

    public ShutdownCoordinator(FishStore store, UUID nodeUid, Maintenance maintenance, Clock clock, Runnable stopAction) {
        this.store = store;
        this.nodeUid = nodeUid;
        this.maintenance = maintenance;
        this.clock = clock;
        this.stopAction = stopAction;
    }

    public synchronized void tick() {
        Maintenance.Mode mode = maintenance.mode();
        if (stopped || !mode.shutdown()) {
            idleSince = null;
            return;
        }
        if (mode.maintenance() && runsApplications()) {
            idleSince = null;
            return;
        }
        Instant now = clock.instant();
        if (idleSince == null) {
            idleSince = now;
            LOG.info("Shutdown requested: stopping in {}", mode.shutdownDelay());
        }
        if (!now.isBefore(idleSince.plus(mode.shutdownDelay()))) {
            stopped = true;
            LOG.info("Shutting down as requested");
            stopAction.run();
        }
    }

    private boolean runsApplications() {
        return store.resourcesOfNode(nodeUid).stream()
                .anyMatch(r -> store.currentState(r.applicationUid())
                        .map(s -> Set.of(ApplicationStatus.ALLOCATED, ApplicationStatus.DEALLOCATE).contains(s.status()))
                        .orElse(false));
    }
}
