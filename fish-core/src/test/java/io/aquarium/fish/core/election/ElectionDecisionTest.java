package io.aquarium.fish.core.election;

import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.Vote;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.aquarium.fish.core.election.ElectionHarness.def;
import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The election's rules as data in, decisions out: each row is a snapshot (what the store said) and the
 * decisions, due time and parking the pure step must produce. No store, no clock, no threads.
 */
class ElectionDecisionTest {
    static final UUID ME = new UUID(0, 1);
    static final UUID B = new UUID(0, 2);
    static final UUID C = new UUID(0, 3);
    static final UUID APP = new UUID(1, 1);
    static final UUID APP2 = new UUID(1, 2);
    static final UUID STATE = new UUID(2, 1);
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final ElectionTimings TIMINGS = ElectionHarness.TIMINGS; // round 5 s, claim 10 s, stale 15 s
    static final Label ONE = label(new UUID(3, 1), def("test"));
    static final Label TWO = label(new UUID(3, 2), def("test"), def("other"));
    static final Label UNSERVABLE = label(new UUID(3, 3), def("missing-driver"));

    /** What the store says, built row by row; {@link #snapshot()} freezes it. */
    static final class World {
        Instant now = T0;
        MembershipView membership = MembershipView.standalone(ME.toString());
        final List<Node> nodes = new ArrayList<>();
        final Set<UUID> live = new HashSet<>(Set.of(ME));
        final Map<UUID, ApplicationState> states = new LinkedHashMap<>();
        final Map<UUID, List<Vote>> votes = new HashMap<>();
        final Map<UUID, Resource> mine = new HashMap<>();
        final Map<UUID, LabelDefinition> inFlight = new HashMap<>();
        final Set<UUID> busy = new HashSet<>();
        final Map<UUID, Application> apps = new HashMap<>();
        final Map<UUID, Label> labels = new HashMap<>();
        final Map<UUID, Integer> failures = new HashMap<>();
        final Map<UUID, Instant> missing = new HashMap<>();
        boolean maintenance;
        Parking parking = Parking.EMPTY;
        int capacity = Integer.MAX_VALUE;

        World at(Duration later) {
            now = T0.plus(later);
            return this;
        }

        World node(UUID uid, boolean isLive) {
            nodes.add(new Node(uid, T0, T0, "node-" + uid.getLeastSignificantBits(), null, "", "", null));
            if (isLive) {
                live.add(uid);
            }
            return this;
        }

        World newApp(UUID app, Label label) {
            apps.put(app, new Application(app, T0, "user", label.uid(), RawJson.EMPTY_OBJECT));
            labels.put(label.uid(), label);
            states.put(app, new ApplicationState(stateOf(app), T0, app, NEW, "Created"));
            return this;
        }

        World elected(UUID app, UUID holder, Duration ago) {
            states.put(app, new ApplicationState(stateOf(app), now.minus(ago), app, ELECTED, "Elected", holder));
            return this;
        }

        World vote(UUID app, UUID node, int round, int available, Duration at) {
            votes.computeIfAbsent(app, k -> new ArrayList<>())
                    .add(new Vote(UUID.randomUUID(), T0.plus(at), app, node, round, available, 7));
            return this;
        }

        World resource(UUID app, Label label, ApplicationStatus status) {
            labels.put(label.uid(), label);
            states.put(app, new ApplicationState(stateOf(app), T0, app, status, ""));
            mine.put(app, new Resource(UUID.randomUUID(), T0, T0, app, ME, label.uid(), 0, "r-" + app, "", "",
                    RawJson.EMPTY_OBJECT, null));
            return this;
        }

        ElectionSnapshot snapshot() {
            return new ElectionSnapshot(now, membership, nodes, live, states, votes, Set.of(), true, mine, inFlight,
                    busy, apps, labels, failures, missing, maintenance, parking);
        }
    }

    static UUID stateOf(UUID app) {
        return new UUID(2, app.getLeastSignificantBits());
    }

    static Label label(UUID uid, LabelDefinition... definitions) {
        return new Label(uid, T0, "label-" + uid.getLeastSignificantBits(), 1, List.of(definitions), RawJson.EMPTY_OBJECT);
    }

    static MembershipView view(boolean quorum, UUID... members) {
        return new MembershipView(quorum ? MembershipState.MEMBER : MembershipState.MINORITY, quorum, 1,
                members.length, 3, 2, Stream.of(members).map(UUID::toString).toList());
    }

    static ElectionDecision.Outcome decide(World w) {
        FakeDriver test = new FakeDriver("test").capacity(w.capacity);
        FakeDriver other = new FakeDriver("other");
        java.util.function.Function<String, Optional<Driver>> drivers = name -> switch (name) {
            case "test" -> Optional.of(test);
            case "other" -> Optional.of(other);
            default -> Optional.empty();
        };
        RandomGenerator fixed = new java.util.Random(1);
        return new ElectionDecision(ME, TIMINGS, new Eligibility(drivers, List.of()), drivers, fixed).decide(w.snapshot());
    }

    /** The outcome as one line: decisions in order, then the due time after T0 and the parked applications. */
    static String describe(ElectionDecision.Outcome o) {
        List<String> parts = new ArrayList<>();
        for (Decision d : o.decisions()) {
            String app = d.application().equals(APP) ? "app" : d.application().equals(APP2) ? "app2" : "?";
            parts.add(switch (d.getClass().getSimpleName()) {
                case "CastVote" -> {
                    Decision.CastVote v = (Decision.CastVote) d;
                    yield "vote " + app + " r" + v.round() + " " + (v.available() < 0 ? "no" : "d" + v.available());
                }
                case "Claim" -> "claim " + app + " d" + ((Decision.Claim) d).definition();
                case "DeleteVotes" -> "delete-votes " + app + (((Decision.DeleteVotes) d).recheck() ? " recheck" : "");
                default -> d.getClass().getSimpleName().toLowerCase() + " " + app;
            });
        }
        o.due().ifPresent(due -> parts.add("due +" + Duration.between(T0, due).toSeconds() + "s"));
        if (!o.parking().parked().isEmpty()) {
            parts.add("parked " + o.parking().parked().keySet().stream()
                    .map(a -> a.equals(APP) ? "app" : "app2").sorted().collect(Collectors.joining(",")));
        }
        if (o.again()) {
            parts.add("again");
        }
        return String.join("; ", parts);
    }

    static Arguments row(String name, Consumer<World> given, String expected) {
        return Arguments.of(name, given, expected);
    }

    static Stream<Arguments> rows() {
        Duration s1 = Duration.ofSeconds(1);
        return Stream.of(
                // ---- rounds ----
                row("alone: votes and wins its own round at once", w -> w.newApp(APP, ONE),
                        "vote app r0 d0; claim app d0"),
                row("another live node has not voted: wait for the round deadline",
                        w -> w.node(B, true).newApp(APP, ONE), "vote app r0 d0; due +5s"),
                row("both voted yes: the earlier vote wins, the later voter leaves the claim",
                        w -> w.node(B, true).newApp(APP, ONE).vote(APP, B, 0, 0, Duration.ZERO).at(s1),
                        "vote app r0 d0; due +15s"),
                row("won a round decided by everyone's votes", w -> w.node(B, true).newApp(APP, ONE)
                        .vote(APP, ME, 0, 0, Duration.ZERO).vote(APP, B, 0, -1, s1).at(s1), "claim app d0"),
                row("lost a round: the winner still has time to claim",
                        w -> w.node(B, true).newApp(APP, ONE).vote(APP, B, 0, 0, Duration.ZERO)
                                .vote(APP, ME, 0, 0, s1).at(Duration.ofSeconds(3)), "due +15s"),
                row("round timeout: a silent live node is not waited for after 5 s", w -> w.node(B, true)
                        .newApp(APP, ONE).vote(APP, ME, 0, 0, Duration.ZERO).at(Duration.ofSeconds(5)), "claim app d0"),
                row("round timeout not reached yet", w -> w.node(B, true).newApp(APP, ONE)
                        .vote(APP, ME, 0, 0, Duration.ZERO).at(Duration.ofSeconds(4)), "due +5s"),
                row("claim timeout: the winner never claimed, this node opens the next round", w -> w.node(B, true)
                        .newApp(APP, ONE).vote(APP, B, 0, 0, Duration.ZERO).vote(APP, ME, 0, 0, s1)
                        .at(Duration.ofSeconds(15)), "vote app r1 d0; due +20s"),
                row("next round opened by another node: vote in it", w -> w.node(B, true).newApp(APP, ONE)
                        .vote(APP, B, 0, -1, Duration.ZERO).vote(APP, ME, 0, -1, Duration.ZERO)
                        .vote(APP, B, 1, 0, s1).at(Duration.ofSeconds(2)), "vote app r1 d0; due +16s"),
                row("a dead node (not live) is not waited for", w -> w.node(B, false).newApp(APP, ONE),
                        "vote app r0 d0; claim app d0"),
                row("retries rotate the preferred definition", w -> {
                    w.newApp(APP, TWO);
                    w.failures.put(APP, 1);
                }, "vote app r0 d1; claim app d1"),
                row("a label that no longer exists fails the application", w -> {
                    w.newApp(APP, ONE);
                    w.labels.clear();
                }, "fail app"),
                // ---- capacity ----
                row("capacity exhausted by a held resource: vote no, park", w -> {
                    w.capacity = 1;
                    w.resource(APP2, ONE, ALLOCATED).newApp(APP, ONE);
                }, "vote app r0 no; parked app"),
                row("capacity promised to an older application in this pass", w -> {
                    w.capacity = 1;
                    w.newApp(APP2, ONE).newApp(APP, ONE);
                }, "vote app2 r0 d0; claim app2 d0; vote app r0 no; parked app"),
                row("an allocation in flight holds capacity", w -> {
                    w.capacity = 1;
                    w.inFlight.put(APP2, def("test"));
                    w.newApp(APP, ONE);
                }, "vote app r0 no; parked app"),
                row("maintenance: votes no and never opens a round", w -> {
                    w.maintenance = true;
                    w.newApp(APP, ONE);
                }, "vote app r0 no; parked app"),
                row("no driver for the label here: no, parked", w -> w.newApp(APP, UNSERVABLE),
                        "vote app r0 no; parked app"),
                // ---- quorum ----
                row("without quorum: no votes, no claims, no take-overs", w -> {
                    w.membership = view(false, ME);
                    w.newApp(APP, ONE).elected(APP2, B, Duration.ofMinutes(5));
                }, ""),
                row("with quorum in a cluster: votes as usual", w -> {
                    w.membership = view(true, ME, B);
                    w.node(B, false).newApp(APP, ONE);
                }, "vote app r0 d0; claim app d0"),
                // ---- ELECTED recovery ----
                row("own ELECTED without a job or a row after a restart: elect again",
                        w -> w.elected(APP, ME, Duration.ZERO), "reelect app"),
                row("own ELECTED with its row after a restart: resume as ALLOCATED", w -> {
                    w.resource(APP, ONE, ALLOCATED);
                    w.elected(APP, ME, Duration.ZERO);
                }, "resume app"),
                row("own ELECTED still allocating: left alone", w -> {
                    w.busy.add(APP);
                    w.elected(APP, ME, Duration.ZERO);
                }, ""),
                row("holder silent for less than the staleness window: left alone",
                        w -> w.node(B, false).elected(APP, B, Duration.ofSeconds(14)), ""),
                row("holder silent past the staleness window: taken over",
                        w -> w.node(B, false).elected(APP, B, Duration.ofSeconds(15)), "takeover app"),
                row("live holder: never taken over", w -> w.node(B, true).elected(APP, B, Duration.ofMinutes(5)), ""),
                row("holder dropped from the topology within the grace: left alone", w -> {
                    w.membership = view(true, ME, C);
                    w.node(B, true).node(C, true).elected(APP, B, Duration.ofSeconds(1));
                    w.live.remove(B);
                    w.missing.put(B, w.now.minusSeconds(9));
                }, ""),
                row("holder dropped from the topology past the grace: taken over", w -> {
                    w.membership = view(true, ME, C);
                    w.node(B, true).node(C, true).elected(APP, B, Duration.ofSeconds(1));
                    w.live.remove(B);
                    w.missing.put(B, w.now.minusSeconds(10));
                }, "takeover app"),
                row("ELECTED without a holder UID, old enough: taken over",
                        w -> w.elected(APP, null, Duration.ofSeconds(15)), "takeover app"),
                // ---- votes of finished elections ----
                row("votes of an ALLOCATED application are deleted", w -> w.resource(APP, ONE, ALLOCATED)
                        .vote(APP, ME, 0, 0, Duration.ZERO), "delete-votes app"),
                row("votes of an application missing from the snapshot: deleted after a second look",
                        w -> w.vote(APP, B, 0, 0, Duration.ZERO), "delete-votes app recheck"),
                // ---- parking ----
                row("parked: not looked at (no vote, no due)", w -> {
                    w.newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO);
                    w.parking = parked(w, APP, 0, 1);
                }, "parked app"),
                row("parked, but its state changed: looked at again", w -> {
                    w.newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO);
                    w.parking = parked(w, APP, 0, 1);
                    w.states.put(APP, new ApplicationState(UUID.randomUUID(), T0, APP, NEW, "again"));
                }, "vote app r1 d0; claim app d0"),
                row("parked, but another node voted since: looked at again", w -> {
                    w.node(B, true).newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO)
                            .vote(APP, B, 0, -1, Duration.ZERO).vote(APP, B, 1, 0, s1);
                    w.parking = parked(w, APP, 0, 2);
                    w.at(Duration.ofSeconds(2));
                }, "vote app r1 d0; due +16s"),
                row("parked past the safety net: looked at again", w -> {
                    w.newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO);
                    w.parking = parked(w, APP, 0, 1);
                    w.at(Parking.RECHECK_AFTER);
                }, "vote app r1 d0; claim app d0"),
                row("parked, and a node joined: looked at again", w -> {
                    w.newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO);
                    w.parking = parked(w, APP, 0, 1);
                    w.node(B, true);
                }, "due +5s"),
                row("parked, and maintenance ended: looked at again", w -> {
                    w.newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO);
                    Parking p = parked(w, APP, 0, 1);
                    w.parking = new Parking(p.parked(), p.live(), p.members(), true, p.held());
                }, "vote app r1 d0; claim app d0"),
                row("parked, and capacity was freed (a held resource is gone): looked at again", w -> {
                    w.capacity = 1;
                    w.newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO);
                    Parking p = parked(w, APP, 0, 1);
                    w.parking = new Parking(p.parked(), p.live(), p.members(), false, Set.of(APP2));
                }, "vote app r1 d0; claim app d0"),
                row("parked, capacity still held: stays parked", w -> {
                    w.capacity = 1;
                    w.resource(APP2, ONE, ALLOCATED).newApp(APP, ONE).vote(APP, ME, 0, -1, Duration.ZERO);
                    Parking p = parked(w, APP, 0, 1);
                    w.parking = new Parking(p.parked(), p.live(), p.members(), false, Set.of(APP2));
                }, "parked app"));
    }

    /** A parking holding {@code app} as of now in the world's current environment. */
    static Parking parked(World w, UUID app, int round, int votes) {
        return new Parking(Map.of(app, new Parking.Parked(w.states.get(app).uid(), round, votes,
                w.now.plus(Parking.RECHECK_AFTER))), w.live, w.membership.members(), w.maintenance, Set.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String name, Consumer<World> given, String expected) {
        World w = new World();
        given.accept(w);
        assertEquals(expected, describe(decide(w)));
    }
}
