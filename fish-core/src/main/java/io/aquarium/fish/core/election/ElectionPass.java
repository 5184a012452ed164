package io.aquarium.fish.core.election;

import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.lifecycle.Allocator;
import io.aquarium.fish.core.lifecycle.ApplicationStateMachine;
import io.aquarium.fish.core.lifecycle.FailedAttempts;
import io.aquarium.fish.core.lifecycle.LifetimePolicy;
import io.aquarium.fish.core.lifecycle.ResourceCare;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.Vote;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;

/**
 * One pass of this node over the shared store: read an {@link ElectionSnapshot}, let
 * {@link ElectionDecision} decide (votes, claims, recoveries, what to park), let {@link ElectionApply}
 * perform it, then let {@link ResourceCare} look after the resources this node holds. Keeps what
 * passes share: row caches (applications, labels, failure counts by state UID), the parking, and
 * since when holders have been missing from the topology.
 */
public final class ElectionPass {
    /** The votes (and new rows) of the applications to evaluate are read this many applications per query. */
    static final int VOTES_PER_QUERY = 256;
    /** How often every vote is read anyway, to delete those of finished elections. */
    static final Duration VOTE_SWEEP = Duration.ofSeconds(30);
    /**
     * How often the loop's passes read every current state anyway; in between they re-read only the
     * applications events named. A change feed may miss one, or name it before this node's copy has it:
     * this bounds how long it goes unseen. At 30 s, a DEALLOCATE missed so on the holder left its
     * machine running for over 30 s after a heal (ClusterSplitIT); the election interval (5 s) keeps
     * what the pass reading everything every time gave. Reading every current state is cheap (an index
     * on status); evaluating them is what parking saves.
     */
    static final Duration FULL_READ = Duration.ofSeconds(5);
    /** Above this many applications named by events, one read of every current state is cheaper. */
    static final int STATES_BY_APPLICATION_MAX = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ElectionPass.class);
    private static final Set<ApplicationStatus> WATCHED = EnumSet.of(NEW, ELECTED, ALLOCATED, DEALLOCATE);

    private final FishStore store;
    private final Allocator allocator;
    private final NodeIdentity me;
    private final MonotonicClock clock;
    private final Maintenance maintenance;
    private final ElectionTimings timings;
    private final ElectionDecision decision;
    private final ElectionApply apply;
    private final ResourceCare care;
    private final Map<UUID, Application> applications = new ConcurrentHashMap<>();
    private final Map<UUID, Label> labels = new ConcurrentHashMap<>();
    /** Failed allocations so far, per application, valid while its current state is the keyed one. */
    private final Map<UUID, Map.Entry<UUID, Integer>> failures = new ConcurrentHashMap<>();
    private final Set<UUID> claimed = ConcurrentHashMap.newKeySet();
    /** Parked applications for which another node voted since: looked at again next pass. */
    private final Set<UUID> unparked = ConcurrentHashMap.newKeySet();
    /** Applications events named since the last read of their states. */
    private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();
    private final DroppedNodes dropped = new DroppedNodes();
    private Parking parking = Parking.EMPTY;
    private Instant nextVoteSweep = Instant.MIN;
    /** Current states as of the last full read plus the changes events named since (the loop's passes only). */
    private Map<UUID, ApplicationState> knownStates;
    private Instant nextFullRead = Instant.MIN;
    private MembershipView lastMembership;

    public ElectionPass(FishStore store, Function<String, Optional<Driver>> drivers, Eligibility eligibility,
                        Allocator allocator, ApplicationStateMachine machine, NodeIdentity me, UidGenerator uids,
                        MonotonicClock clock, Maintenance maintenance, LifetimePolicy lifetimes,
                        ElectionTimings timings, RandomGenerator random) {
        this.store = store;
        this.allocator = allocator;
        this.me = me;
        this.clock = clock;
        this.maintenance = maintenance;
        this.timings = timings;
        this.decision = new ElectionDecision(me.uid(), timings, eligibility, drivers, random);
        this.apply = new ElectionApply(store, allocator, machine, me, uids, claimed);
        this.care = new ResourceCare(allocator, machine, lifetimes, this::label);
    }

    /** A task was created for the application: the next pass runs its pending tasks if this node holds it. */
    public void tasksChanged(UUID application) {
        care.tasksChanged(application);
    }

    /**
     * Whether {@code event} may change what a pass would do, so the loop should run one now. This node's
     * own votes and claims do not: the pass that wrote them has already decided what follows.
     */
    public boolean wants(FishEvent event) {
        applicationOf(event).ifPresent(dirty::add);
        if (event instanceof FishEvent.VoteCast vote) {
            if (me.uid().equals(vote.nodeUid())) {
                return false;
            }
            unparked.add(vote.applicationUid());
            return true;
        }
        if (event instanceof FishEvent.ApplicationChanged changed) {
            return changed.status() != ELECTED || !claimed.contains(changed.applicationUid());
        }
        if (event instanceof FishEvent.TaskCreated task) {
            care.tasksChanged(task.applicationUid());
            return true;
        }
        return !(event instanceof FishEvent.LabelCreated);
    }

    private static Optional<UUID> applicationOf(FishEvent event) {
        if (event instanceof FishEvent.ApplicationChanged e) {
            return Optional.of(e.applicationUid());
        } else if (event instanceof FishEvent.JobFinished e) {
            return Optional.of(e.applicationUid());
        } else if (event instanceof FishEvent.TaskCreated e) {
            return Optional.of(e.applicationUid());
        } else if (event instanceof FishEvent.VoteCast e) {
            return Optional.of(e.applicationUid());
        }
        return Optional.empty();
    }

    /** Runs one pass reading every current state; returns when something becomes due, if anything. */
    public Optional<Instant> run() {
        return run(false);
    }

    /**
     * Runs one pass; returns when something becomes due (a round deadline, a lifetime expiry), if anything.
     * {@code incremental}: the caller feeds every event to {@link #wants}, so current states read before
     * may be reused, re-reading only the applications events named since (every {@link #FULL_READ}, on a
     * membership change or after many events, all are read again).
     */
    public Optional<Instant> run(boolean incremental) {
        ElectionSnapshot snapshot = snapshot(incremental);
        ElectionDecision.Outcome outcome = decision.decide(snapshot);
        parking = outcome.parking();
        dirty.addAll(apply.apply(outcome.decisions(), snapshot.applications(), snapshot.labels()));
        Optional<Instant> due = outcome.again() ? Optional.of(snapshot.now()) : outcome.due();
        Optional<Instant> lifetime = care.run(snapshot.mine().values(), snapshot.states(), snapshot.now());
        forgetFinished(snapshot.states());
        if (lifetime.isPresent() && (due.isEmpty() || lifetime.get().isBefore(due.get()))) {
            return lifetime;
        }
        return due;
    }

    /** What the store says now, read for one decision. */
    ElectionSnapshot snapshot(boolean incremental) {
        Instant now = clock.clock().instant();
        // Before reading resource rows: a job writes its row before it leaves the in-flight set, so
        // every allocation is seen in one of the two. Read the other way round, a job finishing in
        // between is in neither, and its capacity looks free.
        Set<UUID> busy = allocator.busyApplications();
        Map<UUID, LabelDefinition> inFlight = allocator.allocationsInFlight();
        MembershipView membership = store.membership();
        List<Node> nodes = store.nodes(Filter.ALL);
        Set<UUID> live = liveNodes(nodes, now, membership);
        Map<UUID, ApplicationState> states = currentStates(incremental, now, membership);
        Map<UUID, Resource> mine = new HashMap<>();
        for (Resource r : store.resourcesOfNode(me.uid())) {
            mine.put(r.applicationUid(), r);
            label(r.labelUid());
        }
        Set<UUID> lifted = new HashSet<>(unparked);
        unparked.removeAll(lifted);
        Parking parked = parking.without(lifted);
        boolean maintained = maintenance.inMaintenance();
        if (!parked.parked().isEmpty() && liftsAll(parked, live, membership, maintained, states, mine, inFlight)) {
            parked = new Parking(Map.of(), parked.live(), parked.members(), parked.maintenance(), parked.held());
        }

        boolean electing = membership.hasQuorum();
        List<ApplicationState> candidates = new ArrayList<>();
        Map<UUID, Instant> missingSince = new HashMap<>();
        for (ApplicationState s : electing ? states.values() : List.<ApplicationState>of()) {
            if (s.status() == NEW && !parked.holds(s, now)) {
                candidates.add(s);
            } else if (s.status() == ELECTED && s.nodeUid() != null && !s.nodeUid().equals(me.uid())
                    && !busy.contains(s.applicationUid())) {
                dropped.observe(s.nodeUid(), inTopology(s.nodeUid(), membership), now)
                        .ifPresent(since -> missingSince.put(s.nodeUid(), since));
            }
        }
        Map<UUID, List<Vote>> votes = new HashMap<>();
        Set<UUID> votesRead = new HashSet<>();
        boolean allVotes = !now.isBefore(nextVoteSweep);
        if (allVotes) {
            nextVoteSweep = now.plus(VOTE_SWEEP);
            for (Vote v : store.votes(Filter.ALL)) {
                votes.computeIfAbsent(v.applicationUid(), k -> new ArrayList<>()).add(v);
            }
        } else {
            List<String> uids = candidates.stream().map(s -> s.applicationUid().toString()).toList();
            for (List<String> chunk : chunks(uids)) {
                for (Vote v : store.votes(Filter.in("application_uid", chunk))) {
                    votes.computeIfAbsent(v.applicationUid(), k -> new ArrayList<>()).add(v);
                }
            }
            candidates.forEach(s -> votesRead.add(s.applicationUid()));
        }
        Map<UUID, Application> rows = new HashMap<>();
        Map<UUID, Label> labelRows = new HashMap<>();
        Map<UUID, Integer> failureCounts = new HashMap<>();
        List<ApplicationState> evaluated = new ArrayList<>();
        for (ApplicationState s : states.values()) {
            UUID uid = s.applicationUid();
            if (s.status() == NEW && (allVotes || votesRead.contains(uid)) && !parked.holds(s, now)) {
                evaluated.add(s);
            }
        }
        readApplications(evaluated);
        for (ApplicationState s : evaluated) {
            UUID uid = s.applicationUid();
            try {
                Application app = application(uid);
                rows.put(uid, app);
                label(app.labelUid()).ifPresent(l -> labelRows.put(l.uid(), l));
                failureCounts.put(uid, failures(s));
            } catch (RuntimeException e) {
                LOG.warn("Election step for application {} failed: {}", uid, e.toString());
            }
        }
        for (Resource r : mine.values()) {
            label(r.labelUid()).ifPresent(l -> labelRows.put(l.uid(), l));
        }
        return new ElectionSnapshot(now, membership, nodes, live, states, votes, votesRead, allVotes, mine, inFlight,
                busy, rows, labelRows, failureCounts, missingSince, maintained, parked);
    }

    /**
     * The current states of the applications the election watches, oldest application first: all read
     * now, or (incremental) the last ones with those events named since re-read one by one. A newly
     * seen application goes last, which is its place unless events arrived out of order.
     */
    private Map<UUID, ApplicationState> currentStates(boolean incremental, Instant now, MembershipView membership) {
        boolean membershipChanged = lastMembership == null || lastMembership.term() != membership.term()
                || !lastMembership.members().equals(membership.members()) || lastMembership.state() != membership.state();
        lastMembership = membership;
        Set<UUID> named = new HashSet<>(dirty);
        dirty.removeAll(named); // before reading: a change named from now on is read next pass
        if (!incremental || knownStates == null || membershipChanged || !now.isBefore(nextFullRead)
                || named.size() > STATES_BY_APPLICATION_MAX) {
            Map<UUID, ApplicationState> all = new LinkedHashMap<>();
            for (ApplicationState s : store.currentStates(WATCHED)) {
                all.put(s.applicationUid(), s);
            }
            knownStates = incremental ? all : null;
            nextFullRead = now.plus(FULL_READ);
            return all;
        }
        try {
            List<ApplicationState> read = new ArrayList<>();
            for (UUID app : named) {
                Optional<ApplicationState> s = store.currentState(app).filter(st -> WATCHED.contains(st.status()));
                if (s.isPresent()) {
                    read.add(s.get());
                } else {
                    knownStates.remove(app);
                }
            }
            // Events name applications in no particular order: newly seen ones go last oldest first (a
            // new application's state is as old as it), so capacity goes to the first created.
            read.sort(Comparator.comparing(ApplicationState::createdAt)
                    .thenComparing(ApplicationState::applicationUid));
            read.forEach(st -> knownStates.put(st.applicationUid(), st));
        } catch (RuntimeException e) {
            knownStates = null; // some were not read: read them all next pass
            throw e;
        }
        return new LinkedHashMap<>(knownStates);
    }

    /**
     * Whether every parked application must be looked at again, as far as can be told before reading
     * votes: the live nodes, the topology or maintenance changed, or an application whose capacity this
     * node counted holds none any more (no resource, no allocation in flight) and is not NEW (its
     * promise, if it still has one, is seen by the decision, which asks for another pass if it is gone).
     */
    private static boolean liftsAll(Parking parked, Set<UUID> live, MembershipView membership, boolean maintained,
                                    Map<UUID, ApplicationState> states, Map<UUID, Resource> mine,
                                    Map<UUID, LabelDefinition> inFlight) {
        if (!parked.live().equals(live) || !parked.members().equals(membership.members())
                || parked.maintenance() != maintained) {
            return true;
        }
        for (UUID app : parked.held()) {
            ApplicationState s = states.get(app);
            boolean holds = inFlight.containsKey(app) || (mine.containsKey(app) && s != null && s.status() != NEW);
            if (!holds && (s == null || s.status() != NEW)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Nodes whose heartbeat is fresh and, in a cluster, that are in this node's topology: a node the
     * cluster dropped is not waited for even while its last heartbeat still looks fresh.
     */
    private Set<UUID> liveNodes(List<Node> nodes, Instant now, MembershipView membership) {
        Set<UUID> live = new HashSet<>();
        live.add(me.uid());
        for (Node n : nodes) {
            if (timings.isLive(n.updatedAt(), now) && inTopology(n.uid(), membership)) {
                live.add(n.uid());
            }
        }
        return live;
    }

    private static boolean inTopology(UUID node, MembershipView membership) {
        return membership.state() == MembershipState.STANDALONE || membership.members().contains(node.toString());
    }

    private int failures(ApplicationState state) {
        Integer cached = cachedFailures(state);
        if (cached != null) {
            return cached;
        }
        int count = FailedAttempts.count(store.states(state.applicationUid()));
        failures.put(state.applicationUid(), Map.entry(state.uid(), count));
        return count;
    }

    /** The cached attempt count, if it was counted while {@code state} was current; else null. */
    private Integer cachedFailures(ApplicationState state) {
        Map.Entry<UUID, Integer> cached = failures.get(state.applicationUid());
        return cached != null && cached.getKey().equals(state.uid()) ? cached.getValue() : null;
    }

    /**
     * Caches the rows and attempt counts of the applications not cached yet (a burst's new ones),
     * {@link #VOTES_PER_QUERY} applications per query instead of two queries each.
     */
    private void readApplications(List<ApplicationState> evaluated) {
        List<String> noRow = evaluated.stream().map(ApplicationState::applicationUid)
                .filter(uid -> !applications.containsKey(uid)).map(UUID::toString).toList();
        Map<UUID, UUID> noCount = new HashMap<>();
        for (ApplicationState s : evaluated) {
            if (cachedFailures(s) == null) {
                noCount.put(s.applicationUid(), s.uid());
            }
        }
        List<String> countUids = noCount.keySet().stream().map(UUID::toString).toList();
        try {
            for (List<String> chunk : chunks(noRow)) {
                store.applications(Filter.in("uid", chunk)).forEach(a -> applications.put(a.uid(), a));
            }
            for (List<String> chunk : chunks(countUids)) {
                Map<UUID, List<ApplicationState>> histories = new HashMap<>();
                for (ApplicationState st : store.states(Filter.in("application_uid", chunk))) {
                    histories.computeIfAbsent(st.applicationUid(), k -> new ArrayList<>()).add(st);
                }
                histories.forEach((app, history) -> {
                    // Cached against the current state evaluated: a state appended since is in the history
                    // read, and then the next pass (whose current state differs) counts again.
                    failures.put(app, Map.entry(noCount.get(app), FailedAttempts.count(history)));
                });
            }
        } catch (RuntimeException e) {
            // Whatever is not cached is read one by one, where a failure stays the one application's.
            LOG.debug("Reading {} applications at once failed: {}", evaluated.size(), e.toString());
        }
    }

    private static List<List<String>> chunks(List<String> uids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < uids.size(); from += VOTES_PER_QUERY) {
            chunks.add(uids.subList(from, Math.min(uids.size(), from + VOTES_PER_QUERY)));
        }
        return chunks;
    }

    private Application application(UUID uid) {
        return applications.computeIfAbsent(uid, k -> store.application(k)
                .orElseThrow(() -> new IllegalStateException("application " + k + " has states but no row")));
    }

    private Optional<Label> label(UUID uid) {
        Label cached = labels.get(uid);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Label> loaded = store.label(uid);
        loaded.ifPresent(l -> labels.put(uid, l));
        return loaded;
    }

    private void forgetFinished(Map<UUID, ApplicationState> states) {
        applications.keySet().retainAll(states.keySet());
        failures.keySet().retainAll(states.keySet());
        claimed.retainAll(states.keySet());
        if (labels.size() > 10_000) {
            labels.clear();
        }
    }
}
