package io.aquarium.fish.core.election;

import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.lifecycle.Allocator;
import io.aquarium.fish.core.lifecycle.ApplicationStateMachine;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.Vote;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;

/**
 * Performs an election pass's {@link Decision}s: votes and vote deletions on the store, every state
 * change through {@link ApplicationStateMachine}'s compare-and-set, and the claim's fence: the
 * membership view is taken before the claim, the claim needs quorum in it, and the allocator gets that
 * view to compare before calling the driver. Once a decision for an application fails (the store
 * refused it, or threw), the application's later decisions in the list are dropped.
 */
final class ElectionApply {
    private static final Logger LOG = LoggerFactory.getLogger(ElectionApply.class);
    /** Votes cast in one store write (one transaction): bounds how long it holds its locks. */
    static final int VOTES_PER_WRITE = 256;

    private final FishStore store;
    private final Allocator allocator;
    private final ApplicationStateMachine machine;
    private final NodeIdentity me;
    private final UidGenerator uids;
    /** Applications this node is claiming or has claimed: their ELECTED events are this node's own. */
    private final Set<UUID> claimed;

    ElectionApply(FishStore store, Allocator allocator, ApplicationStateMachine machine, NodeIdentity me,
                  UidGenerator uids, Set<UUID> claimed) {
        this.store = store;
        this.allocator = allocator;
        this.machine = machine;
        this.me = me;
        this.uids = uids;
        this.claimed = claimed;
    }

    /**
     * Performs {@code decisions} in order; {@code applications} and {@code labels} are the snapshot's rows.
     * Returns the applications whose decisions stopped (the store refused one, or it threw): what the
     * snapshot said of them is out of date.
     */
    Set<UUID> apply(List<Decision> decisions, Map<UUID, Application> applications, Map<UUID, Label> labels) {
        Set<UUID> stopped = new HashSet<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            if (stopped.contains(d.application())) {
                continue;
            }
            if (d instanceof Decision.CastVote) {
                i = castVotes(decisions, i, stopped) - 1;
                continue;
            }
            // What this step logs carries the application (a field of its own in the JSON log format).
            MDC.put(Allocator.APPLICATION_UID, d.application().toString());
            try {
                if (!perform(d, applications, labels)) {
                    stopped.add(d.application());
                }
            } catch (RuntimeException e) {
                stopped.add(d.application());
                LOG.warn("Election step for application {} failed: {}", d.application(), e.toString());
            } finally {
                MDC.remove(Allocator.APPLICATION_UID);
            }
        }
        return stopped;
    }

    /**
     * Casts the run of votes that starts at {@code from} in one store write: consecutive votes, at most
     * {@link #VOTES_PER_WRITE}, each for another application not stopped. Doing them together is doing
     * them one after the other: no decision in between is skipped. Returns the index after the run.
     */
    private int castVotes(List<Decision> decisions, int from, Set<UUID> stopped) {
        List<Decision.CastVote> run = new ArrayList<>();
        Set<UUID> inRun = new HashSet<>();
        int next = from;
        while (next < decisions.size() && run.size() < VOTES_PER_WRITE
                && decisions.get(next) instanceof Decision.CastVote v
                && !stopped.contains(v.application()) && inRun.add(v.application())) {
            run.add(v);
            next++;
        }
        List<Vote> votes = new ArrayList<>(run.size());
        for (Decision.CastVote v : run) {
            if (v.round() > 0 && v.available() >= 0) {
                LOG.info("Application {}: opening round {}", v.application(), v.round());
            }
            votes.add(new Vote(uids.next(), v.createdAt(), v.application(), me.uid(), v.round(), v.available(),
                    v.rand()));
        }
        try {
            List<Boolean> added = store.addVotes(votes);
            for (int i = 0; i < run.size(); i++) {
                if (!added.get(i)) {
                    stopped.add(run.get(i).application());
                }
            }
        } catch (RuntimeException e) {
            run.forEach(v -> stopped.add(v.application()));
            LOG.warn("Election step failed: votes for {} applications were not cast: {}", run.size(), e.toString());
        }
        return next;
    }

    private boolean perform(Decision decision, Map<UUID, Application> applications, Map<UUID, Label> labels) {
        if (decision instanceof Decision.Claim c) {
            Application app = applications.get(c.application());
            return claim(app, labels.get(app.labelUid()), c.definition());
        } else if (decision instanceof Decision.Fail f) {
            return machine.move(f.application(), NEW, ERROR, f.reason());
        } else if (decision instanceof Decision.Resume r) {
            return machine.move(r.application(), ELECTED, ALLOCATED, "Resumed by node " + me.name() + " after restart");
        } else if (decision instanceof Decision.Reelect r) {
            store.deleteVotes(r.application());
            return machine.move(r.application(), ELECTED, NEW,
                    "Node " + me.name() + " restarted before allocating; electing again");
        } else if (decision instanceof Decision.TakeOver t) {
            return takeOver(t);
        } else if (decision instanceof Decision.DeleteVotes d) {
            if (d.recheck()) {
                ApplicationState s = store.currentState(d.application()).orElse(null);
                if (s != null && (s.status() == NEW || s.status() == ELECTED)) {
                    return true;
                }
            }
            store.deleteVotes(d.application());
            return true;
        }
        throw new IllegalArgumentException("unknown decision " + decision);
    }

    private boolean claim(Application app, Label label, int index) {
        // The vote reserved the definition in the decision's ledger; the allocator holds it from here.
        // The view taken before the claim is the fence the allocator checks before calling the driver.
        MembershipView atClaim = store.membership();
        if (!atClaim.hasQuorum()) {
            return false;
        }
        claimed.add(app.uid()); // before the move: its ELECTED event is published during it
        boolean moved = false;
        try {
            moved = machine.move(app.uid(), NEW, ELECTED, ElectionDecision.ELECTED_PREFIX + me.name(), me.uid());
        } finally {
            if (!moved) {
                claimed.remove(app.uid());
            }
        }
        if (moved) {
            allocator.allocate(app, label, index, atClaim);
        }
        return moved;
    }

    private boolean takeOver(Decision.TakeOver t) {
        UUID app = t.application();
        store.deleteVotes(app);
        // A row the dead node wrote before dying would block every new winner's row (one per
        // application). Rows are the truth; the dead node's driver reconciles its leftovers when it returns.
        store.resourceOfApplication(app).filter(r -> !r.nodeUid().equals(me.uid()))
                .ifPresent(r -> store.deleteResource(r.uid()));
        if (machine.move(app, ELECTED, NEW, "Elected node " + t.holderName() + " stopped responding; electing again")) {
            LOG.info("Application {} was elected on unresponsive node {} ({}); electing again", app, t.holderName(),
                    t.holder());
            return true;
        }
        return false;
    }
}
