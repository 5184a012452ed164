package io.aquarium.fish.core.election;

import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.lifecycle.Allocator;
import io.aquarium.fish.core.lifecycle.ApplicationStateMachine;
import io.aquarium.fish.core.lifecycle.LifetimePolicy;
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
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;

/**
 * One pass of this node over the shared store: vote for NEW applications (oldest first), claim the
 * ones it won, recover stuck ELECTED ones, and look after the resources it holds (lifetimes,
 * tasks, deallocation, orphans). Leaderless: every node runs the same pass and the same rules over
 * the same votes; the store's compare-and-set decides any race.
 */
public final class ElectionPass {
    public static final String ELECTED_PREFIX = "Elected node: ";
    /**
     * How long a holder the cluster dropped keeps its ELECTED applications. Cut off while its driver
     * worked, it may hold a machine it has not recorded yet: it gives it up when recording fails,
     * which a store answers within 10 s (the cluster store's write deadline). Taking the application
     * over sooner would run a second machine for it meanwhile.
     */
    static final Duration DROPPED_HOLDER_GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ElectionPass.class);
    private static final Set<ApplicationStatus> WATCHED = EnumSet.of(NEW, ELECTED, ALLOCATED, DEALLOCATE);

    private final FishStore store;
    private final Function<String, Optional<Driver>> drivers;
    private final Eligibility eligibility;
    private final Allocator allocator;
    private final ApplicationStateMachine machine;
    private final NodeIdentity me;
    private final UidGenerator uids;
    private final MonotonicClock clock;
    private final Maintenance maintenance;
    private final LifetimePolicy lifetimes;
    private final ElectionTimings timings;
    private final RandomGenerator random;
    private final Map<UUID, Application> applications = new ConcurrentHashMap<>();
    private final Map<UUID, Label> labels = new ConcurrentHashMap<>();
    /** Applications whose tasks may need a run: told by events, and each held one once after start. */
    private final Set<UUID> taskHints = ConcurrentHashMap.newKeySet();
    private final Set<UUID> tasksChecked = ConcurrentHashMap.newKeySet();
    /** Failed allocations so far, per application, valid while its current state is the keyed one. */
    private final Map<UUID, Map.Entry<UUID, Integer>> failures = new ConcurrentHashMap<>();
    private final DroppedNodes dropped = new DroppedNodes();

    public ElectionPass(FishStore store, Function<String, Optional<Driver>> drivers, Eligibility eligibility,
                        Allocator allocator, ApplicationStateMachine machine, NodeIdentity me, UidGenerator uids,
                        MonotonicClock clock, Maintenance maintenance, LifetimePolicy lifetimes,
                        ElectionTimings timings, RandomGenerator random) {
        this.store = store;
        this.drivers = drivers;
        this.eligibility = eligibility;
        this.allocator = allocator;
        this.machine = machine;
        this.me = me;
        this.uids = uids;
        this.clock = clock;
        this.maintenance = maintenance;
        this.lifetimes = lifetimes;
        this.timings = timings;
        this.random = random;
    }

    /** A task was created for the application: the next pass runs its pending tasks if this node holds it. */
    public void tasksChanged(UUID application) {
        taskHints.add(application);
    }

    /** Runs one pass; returns when something becomes due (a round deadline, a lifetime expiry), if anything. */
    public Optional<Instant> run() {
        Instant now = clock.clock().instant();
        // Before reading resource rows: a job writes its row before it leaves the in-flight set, so
        // every allocation is seen in one of the two. Read the other way round, a job finishing in
        // between is in neither, and its capacity looks free.
        Map<UUID, LabelDefinition> inFlight = allocator.allocationsInFlight();
        MembershipView membership = store.membership();
        List<Node> nodes = store.nodes(Filter.ALL);
        Set<UUID> live = liveNodes(nodes, now, membership);
        Map<UUID, ApplicationState> states = new LinkedHashMap<>();
        for (ApplicationState s : store.currentStates(WATCHED)) {
            states.put(s.applicationUid(), s);
        }
        Map<UUID, List<Vote>> votes = new HashMap<>();
        for (Vote v : store.votes(Filter.ALL)) {
            votes.computeIfAbsent(v.applicationUid(), k -> new ArrayList<>()).add(v);
        }
        Map<UUID, Resource> mine = new HashMap<>();
        for (Resource r : store.resourcesOfNode(me.uid())) {
            mine.put(r.applicationUid(), r);
        }
        CapacityLedger ledger = ledger(states, votes, mine, inFlight, live, now);
        Due due = new Due();

        // Without quorum this node may be the minority side of a split: it neither votes nor takes
        // over other nodes' applications, but keeps looking after the resources it holds.
        boolean electing = membership.hasQuorum();
        for (ApplicationState state : electing ? states.values() : List.<ApplicationState>of()) {
            try {
                if (state.status() == NEW) {
                    electNew(state, votes.getOrDefault(state.applicationUid(), List.of()), live, ledger, now, due);
                } else if (state.status() == ELECTED) {
                    recoverElected(state, nodes, live, membership, mine, now);
                }
            } catch (RuntimeException e) {
                LOG.warn("Election step for application {} failed: {}", state.applicationUid(), e.toString());
            }
        }
        for (Resource resource : mine.values()) {
            try {
                tend(resource, states.get(resource.applicationUid()), now, due);
            } catch (RuntimeException e) {
                LOG.warn("Resource step for application {} failed: {}", resource.applicationUid(), e.toString());
            }
        }
        for (UUID app : votes.keySet()) {
            // Votes were read after the states: an application missing from the snapshot may have
            // been created since, with an election under way, so look again before deleting.
            ApplicationState s = states.containsKey(app) ? states.get(app) : store.currentState(app).orElse(null);
            if (s == null || (s.status() != NEW && s.status() != ELECTED)) {
                store.deleteVotes(app);
            }
        }
        forgetFinished(states);
        return Optional.ofNullable(due.at);
    }

    // ---- NEW: vote and claim ----

    private void electNew(ApplicationState state, List<Vote> appVotes, Set<UUID> live, CapacityLedger ledger,
                          Instant now, Due due) {
        Application app = application(state.applicationUid());
        Optional<Label> label = label(app.labelUid());
        if (label.isEmpty()) {
            machine.move(app.uid(), NEW, ERROR, "Label " + app.labelUid() + " no longer exists");
            return;
        }
        int n = label.get().definitions().size();
        int first = failures(state) % n;
        int round = appVotes.stream().mapToInt(Vote::round).max().orElse(0);
        List<Vote> roundVotes = new ArrayList<>(appVotes.stream().filter(v -> v.round() == round).toList());
        Optional<Vote> mineInRound = roundVotes.stream().filter(v -> v.nodeUid().equals(me.uid())).findFirst();

        if (!decided(roundVotes, live, now)) {
            if (mineInRound.isEmpty()) {
                vote(app, label.get(), round, first, ledger, true).ifPresent(roundVotes::add);
            }
            if (!decided(roundVotes, live, now)) {
                due.at(roundStart(roundVotes).plus(timings.roundTimeout()));
                return;
            }
        }
        Optional<Vote> winner = VoteRule.winner(roundVotes, first, n);
        if (winner.isPresent() && winner.get().nodeUid().equals(me.uid())) {
            claim(app, label.get(), winner.get().available(), ledger);
            return;
        }
        if (winner.isPresent()) {
            Instant claimDeadline = roundStart(roundVotes).plus(timings.roundTimeout()).plus(timings.claimTimeout());
            if (now.isBefore(claimDeadline)) {
                due.at(claimDeadline);
                return;
            }
            LOG.info("Winner of round {} for application {} did not claim it; opening round {}", round, app.uid(),
                    round + 1);
        }
        // Nobody could serve it (or the winner vanished): open the next round if this node can serve it now.
        Optional<Vote> opened = vote(app, label.get(), round + 1, first, ledger, false);
        if (opened.isPresent() && decided(List.of(opened.get()), live, now)) {
            claim(app, label.get(), opened.get().available(), ledger);
        } else if (opened.isPresent()) {
            due.at(opened.get().createdAt().plus(timings.roundTimeout()));
        }
    }

    /**
     * Votes in {@code round} with this node's best servable definition. In a round another node
     * opened, "no" is a vote too (it lets the round finish early); a node opens a round only to say yes.
     */
    private Optional<Vote> vote(Application app, Label label, int round, int first, CapacityLedger ledger,
                                boolean roundIsOpen) {
        int available = maintenance.inMaintenance() ? -1 : eligibility.firstServable(label, first, ledger);
        if (available < 0 && !roundIsOpen) {
            return Optional.empty();
        }
        Vote vote = new Vote(uids.next(), clock.now(), app.uid(), me.uid(), round, available,
                random.nextLong(0, 1L << 32));
        if (!store.addVote(vote)) {
            return Optional.empty();
        }
        if (available >= 0) {
            reserve(ledger, label.definitions().get(available));
        }
        return Optional.of(vote);
    }

    private void claim(Application app, Label label, int index, CapacityLedger ledger) {
        // The vote reserved the definition in the ledger (this pass's vote, or an earlier one via
        // promisedDefinition); the allocator holds it from here. The view taken before the claim is
        // the fence the allocator checks before calling the driver.
        MembershipView atClaim = store.membership();
        if (!atClaim.hasQuorum()) {
            return;
        }
        if (machine.move(app.uid(), NEW, ELECTED, ELECTED_PREFIX + me.name(), me.uid())) {
            allocator.allocate(app, label, index, atClaim);
        }
    }

    private boolean decided(List<Vote> roundVotes, Set<UUID> live, Instant now) {
        if (roundVotes.isEmpty()) {
            return false;
        }
        Set<UUID> voters = new HashSet<>();
        roundVotes.forEach(v -> voters.add(v.nodeUid()));
        return voters.containsAll(live) || !now.isBefore(roundStart(roundVotes).plus(timings.roundTimeout()));
    }

    private static Instant roundStart(List<Vote> roundVotes) {
        return roundVotes.stream().map(Vote::createdAt).min(Instant::compareTo).orElse(Instant.EPOCH);
    }

    // ---- ELECTED: nobody may keep an application ELECTED forever ----

    private void recoverElected(ApplicationState state, List<Node> nodes, Set<UUID> live, MembershipView membership,
                                Map<UUID, Resource> mine, Instant now) {
        UUID app = state.applicationUid();
        if (allocator.isBusy(app)) {
            return;
        }
        // The holder is the UID the state records; the name in its description is only for clients.
        UUID elected = state.nodeUid();
        if (me.uid().equals(elected)) {
            // This node claimed it but holds no job for it: it restarted mid-allocation.
            if (mine.containsKey(app)) {
                machine.move(app, ELECTED, ALLOCATED, "Resumed by node " + me.name() + " after restart");
            } else {
                store.deleteVotes(app);
                machine.move(app, ELECTED, NEW, "Node " + me.name() + " restarted before allocating; electing again");
            }
            return;
        }
        // An ELECTED state without a UID (written before UIDs were recorded) names no holder that can be
        // seen live: once old enough it is recovered like a dead node's. A holder the cluster dropped
        // from its topology is gone once DROPPED_HOLDER_GRACE has passed; one only silent is given the
        // heartbeat's staleness window, counted from the claim.
        boolean holderLive = elected != null && live.contains(elected);
        boolean holderGone = elected != null && dropped.observe(elected, inTopology(elected, membership), now)
                .map(since -> !now.isBefore(since.plus(DROPPED_HOLDER_GRACE))).orElse(false);
        if (!holderLive && (holderGone || !now.isBefore(state.createdAt().plus(timings.nodeStaleAfter())))) {
            store.deleteVotes(app);
            // A row the dead node wrote before dying would block every new winner's row (one per
            // application). Rows are the truth; the dead node's driver reconciles its leftovers when it returns.
            store.resourceOfApplication(app).filter(r -> !r.nodeUid().equals(me.uid()))
                    .ifPresent(r -> store.deleteResource(r.uid()));
            String holder = nodes.stream().filter(n -> n.uid().equals(elected)).map(Node::name).findFirst()
                    .orElse(String.valueOf(elected));
            if (machine.move(app, ELECTED, NEW, "Elected node " + holder + " stopped responding; electing again")) {
                LOG.info("Application {} was elected on unresponsive node {} ({}); electing again", app, holder,
                        elected);
            }
        }
    }

    // ---- resources this node holds ----

    private void tend(Resource resource, ApplicationState state, Instant now, Due due) {
        UUID app = resource.applicationUid();
        if (allocator.isBusy(app)) {
            return;
        }
        Optional<LabelDefinition> definition = definition(resource);
        if (definition.isEmpty()) {
            LOG.warn("Resource {} refers to a missing label definition; leaving it alone", resource.uid());
            return;
        }
        if (state == null) {
            LOG.info("Releasing resource {} of inactive application {}", resource.identifier(), app);
            allocator.releaseOrphan(resource, definition.get());
            return;
        }
        if (state.status() == ALLOCATED) {
            Optional<Instant> expiry = lifetimes.expiry(definition.get().resources(), resource.createdAt());
            if (expiry.isPresent() && !now.isBefore(expiry.get())) {
                machine.move(app, ALLOCATED, DEALLOCATE, "Lifetime of the resource expired");
                return;
            }
            expiry.ifPresent(due::at);
            // Checking tasks costs a query: only when told, or once for resources held since before a restart.
            if (taskHints.remove(app) | tasksChecked.add(app)) {
                allocator.runTasks(resource, definition.get());
            }
        } else if (state.status() == DEALLOCATE) {
            allocator.deallocate(resource, definition.get());
        }
    }

    // ---- bookkeeping ----

    private CapacityLedger ledger(Map<UUID, ApplicationState> states, Map<UUID, List<Vote>> votes,
                                  Map<UUID, Resource> mine, Map<UUID, LabelDefinition> inFlight,
                                  Set<UUID> live, Instant now) {
        CapacityLedger ledger = new CapacityLedger();
        for (Resource r : mine.values()) {
            ApplicationState s = states.get(r.applicationUid());
            if (s != null && s.status() != NEW) {
                definition(r).ifPresent(d -> reserve(ledger, d));
            }
        }
        inFlight.forEach((app, def) -> {
            if (!mine.containsKey(app)) {
                reserve(ledger, def);
            }
        });
        // A yes vote cast in an earlier pass is still a promise: the round may be decided for this
        // node in this pass, after other applications have been looked at.
        for (ApplicationState s : states.values()) {
            if (s.status() == NEW) {
                promisedDefinition(s, votes.getOrDefault(s.applicationUid(), List.of()), live, now)
                        .ifPresent(d -> reserve(ledger, d));
            }
        }
        return ledger;
    }

    /**
     * The definition this node said yes to in the application's current round, while that vote
     * may still win: the round is open, or it is decided and this node won it.
     */
    private Optional<LabelDefinition> promisedDefinition(ApplicationState state, List<Vote> appVotes,
                                                         Set<UUID> live, Instant now) {
        int round = appVotes.stream().mapToInt(Vote::round).max().orElse(0);
        List<Vote> roundVotes = appVotes.stream().filter(v -> v.round() == round).toList();
        Optional<Vote> mineInRound = roundVotes.stream()
                .filter(v -> v.nodeUid().equals(me.uid()) && v.available() >= 0).findFirst();
        if (mineInRound.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<Label> label = label(application(state.applicationUid()).labelUid());
            int index = mineInRound.get().available();
            if (label.isEmpty() || index >= label.get().definitions().size()) {
                return Optional.empty();
            }
            int n = label.get().definitions().size();
            if (decided(roundVotes, live, now) && !VoteRule.winner(roundVotes, failures(state) % n, n)
                    .map(w -> w.nodeUid().equals(me.uid())).orElse(false)) {
                return Optional.empty(); // another node won: if it never claims, this node votes afresh
            }
            return Optional.of(label.get().definitions().get(index));
        } catch (RuntimeException e) {
            return Optional.empty(); // electNew reports the broken application
        }
    }

    private void reserve(CapacityLedger ledger, LabelDefinition definition) {
        drivers.apply(definition.driver()).ifPresent(d -> ledger.add(d, definition.resources()));
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
        Map.Entry<UUID, Integer> cached = failures.get(state.applicationUid());
        if (cached != null && cached.getKey().equals(state.uid())) {
            return cached.getValue();
        }
        int count = (int) store.states(state.applicationUid()).stream().filter(s -> s.status() == ELECTED).count();
        failures.put(state.applicationUid(), Map.entry(state.uid(), count));
        return count;
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

    private Optional<LabelDefinition> definition(Resource resource) {
        return label(resource.labelUid()).filter(l -> resource.definitionIndex() < l.definitions().size())
                .map(l -> l.definitions().get(resource.definitionIndex()));
    }

    private void forgetFinished(Map<UUID, ApplicationState> states) {
        applications.keySet().retainAll(states.keySet());
        tasksChecked.retainAll(states.keySet());
        taskHints.retainAll(states.keySet());
        failures.keySet().retainAll(states.keySet());
        if (labels.size() > 10_000) {
            labels.clear();
        }
    }

    /** The earliest moment something in this pass asked to be looked at again. */
    private static final class Due {
        private Instant at;

        void at(Instant when) {
            if (at == null || when.isBefore(at)) {
                at = when;
            }
        }
    }
}
