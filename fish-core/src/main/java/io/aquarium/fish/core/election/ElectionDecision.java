package io.aquarium.fish.core.election;

import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.Vote;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;

/**
 * The election's rules as a function: {@link ElectionSnapshot} in, {@link Outcome} out (decisions, when to
 * look again, what is parked). No store, no clock: the time is the snapshot's. Its only calls out are to
 * this node's configuration: {@link Eligibility} (which asks the drivers how much capacity they have for
 * a given usage) and the driver lookup for the capacity ledger. Votes it decides carry their time (the
 * snapshot's) and random tie-breaker (from {@code random}), so a round decided in the same pass is
 * decided on exactly the votes that will be written.
 *
 * <p>Leaderless: every node runs the same rules over the same votes; the store's compare-and-set
 * decides any race. Without quorum, a node may be the minority side of a split: it neither votes nor
 * takes over other nodes' applications.
 */
public final class ElectionDecision {
    public static final String ELECTED_PREFIX = "Elected node: ";
    /**
     * How long a holder the cluster dropped keeps its ELECTED applications. Cut off while its driver
     * worked, it may hold a machine it has not recorded yet: it gives it up when recording fails,
     * which a store answers within 10 s (the cluster store's write deadline). Taking the application
     * over sooner would run a second machine for it meanwhile.
     */
    public static final Duration DROPPED_HOLDER_GRACE = Duration.ofSeconds(10);
    /** The UID a planned vote carries until {@link ElectionApply} writes it under a fresh one. */
    static final UUID PLANNED = new UUID(0, 0);

    private final UUID me;
    private final ElectionTimings timings;
    private final Eligibility eligibility;
    private final Function<String, Optional<Driver>> drivers;
    private final RandomGenerator random;

    public ElectionDecision(UUID me, ElectionTimings timings, Eligibility eligibility,
                            Function<String, Optional<Driver>> drivers, RandomGenerator random) {
        this.me = me;
        this.timings = timings;
        this.eligibility = eligibility;
        this.drivers = drivers;
        this.random = random;
    }

    /**
     * What one pass decided.
     *
     * @param decisions in the order to perform them
     * @param due       the earliest moment something asked to be looked at again (a round or claim deadline)
     * @param parking   the parking to carry into the next pass
     * @param again     parking was lifted while the parked applications' votes were not read: look again at once
     */
    public record Outcome(List<Decision> decisions, Optional<Instant> due, Parking parking, boolean again) {
    }

    public Outcome decide(ElectionSnapshot s) {
        Pass pass = new Pass(s);
        pass.run();
        return new Outcome(List.copyOf(pass.decisions), Optional.ofNullable(pass.due), pass.nextParking(), pass.again);
    }

    /** One decision's working state. */
    private final class Pass {
        private final ElectionSnapshot s;
        private final Instant now;
        private final List<Decision> decisions = new ArrayList<>();
        private final CapacityLedger ledger = new CapacityLedger();
        /** Applications whose capacity this node counts (resource, allocation in flight, promised vote). */
        private final Set<UUID> held = new HashSet<>();
        private final Map<UUID, Parking.Parked> parked = new HashMap<>();
        private Instant due;
        private boolean again;

        Pass(ElectionSnapshot s) {
            this.s = s;
            this.now = s.now();
        }

        void run() {
            buildLedger();
            Parking previous = s.parking();
            boolean standing = previous.live().equals(s.live()) && previous.members().equals(s.membership().members())
                    && previous.maintenance() == s.maintenance() && held.containsAll(previous.held());
            if (standing) {
                parked.putAll(previous.parked());
            } else if (!previous.parked().isEmpty() && !s.allVotes()) {
                again = true; // the lifted applications' votes were not read: next pass reads them all
            }
            boolean electing = s.membership().hasQuorum();
            for (ApplicationState state : electing ? s.states().values() : List.<ApplicationState>of()) {
                if (state.status() == NEW) {
                    UUID app = state.applicationUid();
                    if (!s.votesKnown(app)) {
                        if (!standing) {
                            parked.remove(app);
                        }
                        continue; // parked when the snapshot was read, or lifted just now: looked at next pass
                    }
                    List<Vote> appVotes = s.votes().getOrDefault(app, List.of());
                    if (stillParked(state, appVotes)) {
                        continue;
                    }
                    parked.remove(app);
                    electNew(state, appVotes);
                } else if (state.status() == ELECTED) {
                    recoverElected(state);
                }
            }
            for (UUID app : s.votes().keySet()) {
                ApplicationState state = s.states().get(app);
                if (state == null) {
                    decisions.add(new Decision.DeleteVotes(app, true));
                } else if (state.status() != NEW && state.status() != ELECTED) {
                    decisions.add(new Decision.DeleteVotes(app, false));
                }
            }
            parked.keySet().retainAll(s.states().keySet());
        }

        Parking nextParking() {
            return new Parking(parked, s.live(), s.membership().members(), s.maintenance(), held);
        }

        private boolean stillParked(ApplicationState state, List<Vote> appVotes) {
            Parking.Parked p = parked.get(state.applicationUid());
            if (p == null || !p.stateUid().equals(state.uid()) || !now.isBefore(p.until())) {
                return false;
            }
            int round = currentRound(appVotes);
            return p.round() == round && p.votes() == appVotes.size();
        }

        // ---- NEW: vote and claim ----

        private void electNew(ApplicationState state, List<Vote> appVotes) {
            UUID uid = state.applicationUid();
            Application app = s.applications().get(uid);
            if (app == null) {
                return; // no row (the snapshot reader reported it): nothing to decide on
            }
            Label label = s.labels().get(app.labelUid());
            if (label == null) {
                decisions.add(new Decision.Fail(uid, "Label " + app.labelUid() + " no longer exists"));
                return;
            }
            int n = label.definitions().size();
            int first = s.failures().getOrDefault(uid, 0) % n;
            int round = currentRound(appVotes);
            List<Vote> roundVotes = new ArrayList<>(appVotes.stream().filter(v -> v.round() == round).toList());
            boolean votedInRound = roundVotes.stream().anyMatch(v -> v.nodeUid().equals(me));

            if (!decided(roundVotes)) {
                if (!votedInRound) {
                    vote(uid, label, round, first, true).ifPresent(roundVotes::add);
                }
                if (!decided(roundVotes)) {
                    dueAt(roundStart(roundVotes).plus(timings.roundTimeout()));
                    return;
                }
            }
            Optional<Vote> winner = VoteRule.winner(roundVotes, first, n);
            if (winner.isPresent() && winner.get().nodeUid().equals(me)) {
                decisions.add(new Decision.Claim(uid, winner.get().available()));
                return;
            }
            if (winner.isPresent()) {
                Instant claimDeadline = roundStart(roundVotes).plus(timings.roundTimeout()).plus(timings.claimTimeout());
                if (now.isBefore(claimDeadline)) {
                    dueAt(claimDeadline);
                    return;
                }
            }
            // Nobody could serve it (or the winner vanished): open the next round if this node can serve it now.
            Optional<Vote> opened = vote(uid, label, round + 1, first, false);
            if (opened.isPresent() && decided(List.of(opened.get()))) {
                decisions.add(new Decision.Claim(uid, opened.get().available()));
            } else if (opened.isPresent()) {
                dueAt(opened.get().createdAt().plus(timings.roundTimeout()));
            } else {
                parked.put(uid, new Parking.Parked(state.uid(), round, appVotes.size(), now.plus(Parking.RECHECK_AFTER)));
            }
        }

        /**
         * Votes in {@code round} with this node's best servable definition. In a round another node
         * opened, "no" is a vote too (it lets the round finish early); a node opens a round only to say yes.
         */
        private Optional<Vote> vote(UUID app, Label label, int round, int first, boolean roundIsOpen) {
            int available = s.maintenance() ? -1 : eligibility.firstServable(label, first, ledger);
            if (available < 0 && !roundIsOpen) {
                return Optional.empty();
            }
            // Microseconds: what the store keeps, so the vote decided on here is the vote other nodes read.
            Vote vote = new Vote(PLANNED, now.truncatedTo(ChronoUnit.MICROS), app, me, round, available,
                    random.nextLong(0, 1L << 32));
            decisions.add(new Decision.CastVote(app, round, available, vote.createdAt(), vote.rand()));
            if (available >= 0) {
                reserve(label.definitions().get(available));
                held.add(app);
            }
            return Optional.of(vote);
        }

        private boolean decided(List<Vote> roundVotes) {
            if (roundVotes.isEmpty()) {
                return false;
            }
            Set<UUID> voters = new HashSet<>();
            roundVotes.forEach(v -> voters.add(v.nodeUid()));
            return voters.containsAll(s.live()) || !now.isBefore(roundStart(roundVotes).plus(timings.roundTimeout()));
        }

        // ---- ELECTED: nobody may keep an application ELECTED forever ----

        private void recoverElected(ApplicationState state) {
            UUID app = state.applicationUid();
            if (s.busy().contains(app)) {
                return;
            }
            // The holder is the UID the state records; the name in its description is only for clients.
            UUID elected = state.nodeUid();
            if (me.equals(elected)) {
                // This node claimed it but holds no job for it: it restarted mid-allocation.
                decisions.add(s.mine().containsKey(app) ? new Decision.Resume(app) : new Decision.Reelect(app));
                return;
            }
            // An ELECTED state without a UID (written before UIDs were recorded) names no holder that can be
            // seen live: once old enough it is recovered like a dead node's. A holder the cluster dropped
            // from its topology is gone once DROPPED_HOLDER_GRACE has passed; one only silent is given the
            // heartbeat's staleness window, counted from the claim.
            boolean holderLive = elected != null && s.live().contains(elected);
            Instant missingSince = elected == null ? null : s.holderMissingSince().get(elected);
            boolean holderGone = missingSince != null && !now.isBefore(missingSince.plus(DROPPED_HOLDER_GRACE));
            if (!holderLive && (holderGone || !now.isBefore(state.createdAt().plus(timings.nodeStaleAfter())))) {
                String holder = s.nodes().stream().filter(n -> n.uid().equals(elected)).map(Node::name).findFirst()
                        .orElse(String.valueOf(elected));
                decisions.add(new Decision.TakeOver(app, elected, holder));
            }
        }

        // ---- capacity ----

        private void buildLedger() {
            for (Resource r : s.mine().values()) {
                ApplicationState state = s.states().get(r.applicationUid());
                if (state != null && state.status() != NEW) {
                    definition(r.labelUid(), r.definitionIndex()).ifPresent(d -> {
                        reserve(d);
                        held.add(r.applicationUid());
                    });
                }
            }
            s.inFlight().forEach((app, def) -> {
                if (!s.mine().containsKey(app)) {
                    reserve(def);
                    held.add(app);
                }
            });
            // A yes vote cast in an earlier pass is still a promise: the round may be decided for this
            // node in this pass, after other applications have been looked at.
            for (ApplicationState state : s.states().values()) {
                if (state.status() == NEW) {
                    promisedDefinition(state).ifPresent(d -> {
                        reserve(d);
                        held.add(state.applicationUid());
                    });
                }
            }
        }

        /**
         * The definition this node said yes to in the application's current round, while that vote
         * may still win: the round is open, or it is decided and this node won it.
         */
        private Optional<LabelDefinition> promisedDefinition(ApplicationState state) {
            UUID uid = state.applicationUid();
            List<Vote> appVotes = s.votes().getOrDefault(uid, List.of());
            int round = currentRound(appVotes);
            List<Vote> roundVotes = appVotes.stream().filter(v -> v.round() == round).toList();
            Optional<Vote> mineInRound = roundVotes.stream()
                    .filter(v -> v.nodeUid().equals(me) && v.available() >= 0).findFirst();
            Application app = s.applications().get(uid);
            if (mineInRound.isEmpty() || app == null) {
                return Optional.empty();
            }
            Label label = s.labels().get(app.labelUid());
            int index = mineInRound.get().available();
            if (label == null || index >= label.definitions().size()) {
                return Optional.empty();
            }
            int n = label.definitions().size();
            if (decided(roundVotes) && !VoteRule.winner(roundVotes, s.failures().getOrDefault(uid, 0) % n, n)
                    .map(w -> w.nodeUid().equals(me)).orElse(false)) {
                return Optional.empty(); // another node won: if it never claims, this node votes afresh
            }
            return Optional.of(label.definitions().get(index));
        }

        private Optional<LabelDefinition> definition(UUID labelUid, int index) {
            return Optional.ofNullable(s.labels().get(labelUid)).flatMap(l -> l.definition(index));
        }

        private void reserve(LabelDefinition definition) {
            drivers.apply(definition.driver()).ifPresent(d -> ledger.add(d, definition.resources()));
        }

        private void dueAt(Instant when) {
            if (due == null || when.isBefore(due)) {
                due = when;
            }
        }
    }

    static int currentRound(List<Vote> appVotes) {
        return appVotes.stream().mapToInt(Vote::round).max().orElse(0);
    }

    private static Instant roundStart(List<Vote> roundVotes) {
        return roundVotes.stream().map(Vote::createdAt).min(Instant::compareTo).orElse(Instant.EPOCH);
    }
}
