package io.aquarium.fish.api.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Network splits of a three-node cluster, each node a process in its own network namespace
 * ({@link NetnsLab}, {@link LabCluster}): one node cut off, a partial split (1↔2, node 3 sees both),
 * a flapping link, and {@code kill -9} of a majority node while the minority is cut off. Each
 * scenario runs {@link #REPETITIONS} times; {@link SplitRun} checks the invariants after the heal and
 * records per run: cut → the minority refuses writes (the first 503 of the run of 503s that lasts to
 * the end of the cut, POSTing every {@link #PROBE_SPACING}), cut → the majority allocates (an
 * application posted to it at the cut, retried while it answers 503, is ALLOCATED), heal → healthy
 * cluster.
 *
 * <p>The runs share one cluster while it comes out of a run healthy and clean, and form a new one
 * otherwise. Group {@value #GROUP}: {@code mvn -B -ntp -pl fish-api -am verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgroups=network-split}.
 */
@Tag(ClusterSplitIT.GROUP)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
@ResourceLock(ClusterIT.CLUSTER_LOCK)
@ResourceLock(NetnsLab.LOCK)
class ClusterSplitIT {
    /** The JUnit tag (Failsafe group) of the network-split tests. */
    static final String GROUP = "network-split";
    static final int REPETITIONS = 2;
    private static final String RUN_NAME = "{displayName} #{currentRepetition}";
    /** How long a scenario waits for the minority to refuse writes and for the majority's first allocation. */
    private static final Duration REFUSE_WITHIN = Duration.ofSeconds(45);
    private static final Duration ALLOCATE_WITHIN = Duration.ofSeconds(45);
    /**
     * A cut lasts at least this long: past the 15 s after which a silent node's heartbeat is stale
     * (docs/CLUSTER.md), so a minority that allocates in those first seconds is caught.
     */
    private static final Duration CUT_AT_LEAST = Duration.ofSeconds(20);
    /** Once it refuses writes, how long a cut-off node may take to report that it lost quorum and (segmented) to serve reads again. */
    private static final Duration QUORUM_LOST_WITHIN = Duration.ofSeconds(20);
    private static final Duration PROBE_SPACING = Duration.ofMillis(500);
    private static final Duration FLAPPING = Duration.ofSeconds(40);
    private static final Duration ARRIVAL_SPACING = Duration.ofSeconds(2);
    private static final String REFUSE_NOTES = "POSTs to the cut-off side every 500 ms: the first 503 of the final run "
            + "of 503s";
    private static final String ALLOCATE_NOTES = "application POSTed to the majority at the cut → ALLOCATED";

    @RegisterExtension
    static final FishNodes NODES = FishNodes.perClass();

    private NetnsLab lab;
    private LabCluster cluster;
    private Path logRoot;

    @BeforeAll
    void createLab(@TempDir Path dir) {
        logRoot = Path.of(System.getProperty(FishNodes.LOG_DIR_PROPERTY, "target/it-logs"))
                .resolve(getClass().getSimpleName());
        lab = NetnsLab.create(LabCluster.SIZE, logRoot.resolve("netns.log"));
        cluster = new LabCluster(lab, NODES, dir);
    }

    /** Every node process is killed before the namespaces go (the extension would kill them only afterwards). */
    @AfterAll
    void removeLab() {
        try {
            for (FishProcess node : NODES.all()) {
                node.kill();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    /** Node 3 cut off from 1 and 2; applications posted to both sides right after the cut. */
    @RepeatedTest(value = REPETITIONS, name = RUN_NAME)
    @Order(1)
    void oneOfThreeCutOff(RepetitionInfo repetition) {
        try (SplitRun run = begin("one of three cut off", "one-cut-off", repetition)) {
            endCutOfNodeThree(run, cutOffNodeThree(run));
        }
    }

    /**
     * Nodes 1 and 2 cut from each other while node 3 sees both; applications posted to 1 and 2 at
     * once (and to node 3, which is in the majority whatever happens). The minority is whichever of 1
     * and 2 refuses writes or no longer reports quorum at the end of the cut.
     */
    @RepeatedTest(value = REPETITIONS, name = RUN_NAME)
    @Order(2)
    void partialSplitOneAndTwo(RepetitionInfo repetition) {
        try (SplitRun run = begin("1-2 cut, 3 sees both", "partial-split", repetition)) {
            long cut = run.cut(1, 2);
            Map<Integer, SplitRun.WriteProbe> probes = new TreeMap<>();
            for (int node : new int[]{1, 2}) {
                int other = 3 - node;
                // A side stops being probed once the other side lost quorum while it has it: it is the majority.
                probes.put(node, run.probeWrites(node, PROBE_SPACING,
                        () -> run.lostQuorum(other) && run.reportsQuorum(node)));
            }
            CompletableFuture<Optional<Long>> allocated = run.async(() -> run.allocatedVia(3,
                    "to node-3, which sees both, at the cut", cut, ALLOCATE_WITHIN, PROBE_SPACING));
            // Ignite's ring settles which of 1 and 2 goes: the one that cannot pass messages on segments.
            Poll.within(remaining(cut, REFUSE_WITHIN), () -> probes.values().stream()
                    .anyMatch(SplitRun.WriteProbe::refusing), Boolean::booleanValue);
            run.holdUntil(cut, CUT_AT_LEAST);
            List<Integer> minority = probes.keySet().stream()
                    .filter(n -> probes.get(n).refusing() || run.lostQuorum(n)).toList();
            run.event("minority side at the end of the cut: " + minority);
            probes.values().forEach(SplitRun.WriteProbe::stop);
            Optional<Long> refusing = Optional.empty();
            for (int node : minority) {
                run.minorityFrom(node, cut);
                refusing = refusing.or(() -> probes.get(node).refusingSince().map(SplitRun.Posted::answeredAt));
                // A segmented node serves reads again once its store restarted alone.
                checkCutOff(run, probes.get(node), "at the end of the cut", QUORUM_LOST_WITHIN);
            }
            if (minority.isEmpty()) {
                run.event("neither node-1 nor node-2 lost quorum or refused writes");
            }
            run.measure("cut → minority refuses writes", cut, refusing, REFUSE_WITHIN, REFUSE_NOTES + " (node "
                    + minority.stream().map(String::valueOf).collect(Collectors.joining("/")) + ")");
            run.measure("cut → majority allocates", cut, allocated.join(), ALLOCATE_WITHIN,
                    "application POSTed to node-3 (sees both) at the cut → ALLOCATED");
            long healed = run.heal(1, 2);
            for (int node : minority) {
                run.minorityUntil(node, healed);
            }
            run.verifyAfterHeal(healed);
        }
    }

    /**
     * Node 3's link to 1 and 2 flaps for about {@link #FLAPPING} (down and up 2–6 s at a time, a fixed
     * random schedule per repetition, cut with the neighbour trick so its API stays reachable) while an
     * application arrives every {@link #ARRIVAL_SPACING}, round-robin on the three nodes. Node 3 is the
     * minority while its link is down.
     */
    @RepeatedTest(value = REPETITIONS, name = RUN_NAME)
    @Order(3)
    void flappingLink(RepetitionInfo repetition) {
        try (SplitRun run = begin("link flapping 40 s", "flapping", repetition)) {
            List<Duration> schedule = flappingSchedule(new Random(repetition.getCurrentRepetition()));
            run.event("flapping schedule (down, up, ...): " + schedule.stream().map(Duration::toMillis).toList() + " ms");
            AtomicBoolean flapping = new AtomicBoolean(true);
            List<CompletableFuture<SplitRun.Posted>> arrivals = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> arriving = run.async(() -> {
                for (int i = 0; flapping.get(); i++) {
                    arrivals.add(run.postAsync(1 + i % LabCluster.SIZE, "arrival while flapping"));
                    Poll.pause(ARRIVAL_SPACING);
                }
                return null;
            });
            long firstCut = run.cutOff(3, 1, 2);
            SplitRun.WriteProbe probe = run.probeWrites(3, Duration.ofSeconds(1), () -> false);
            CompletableFuture<Optional<Long>> allocated = run.async(() -> run.allocatedVia(1,
                    "to the majority at the first cut", firstCut, ALLOCATE_WITHIN, PROBE_SPACING));
            long healed = firstCut;
            for (int i = 0; i < schedule.size(); i++) {
                if (i > 0 && i % 2 == 0) {
                    run.cutOff(3, 1, 2);
                }
                Poll.pause(schedule.get(i));
                if (i % 2 == 0) {
                    healed = run.healOff(3, 1, 2);
                }
            }
            flapping.set(false);
            probe.stop();
            arriving.join();
            arrivals.forEach(CompletableFuture::join);
            run.measure("cut → minority refuses writes", firstCut, probe.firstRefusal().map(SplitRun.Posted::answeredAt),
                    FLAPPING, "POSTs to node-3 every 1 s while flapping: its first 503 (in any phase)");
            run.measure("cut → majority allocates", firstCut, allocated.join(), ALLOCATE_WITHIN, ALLOCATE_NOTES);
            run.verifyAfterHeal(healed);
        }
    }

    /**
     * Node 3 cut off, then {@code kill -9} of node 1 (majority side): node 2 alone must stop writing
     * and allocating too. Node 1 is started again while node 3 is still cut off (1 and 2 are a
     * majority again), then the network heals.
     */
    @RepeatedTest(value = REPETITIONS, name = RUN_NAME)
    @Order(4)
    void killMajorityNodeWhileMinorityCutOff(RepetitionInfo repetition) {
        try (SplitRun run = begin("kill -9 of a majority node, minority cut off", "kill-majority", repetition)) {
            NodeThreeCut cut = cutOffNodeThree(run);

            long killed = run.kill(1);
            run.minorityFrom(2, killed);
            SplitRun.WriteProbe alone = run.probeWrites(2, PROBE_SPACING, () -> false)
                    .awaitRefusing(REFUSE_WITHIN).stop();
            run.measure("kill -9 of node-1 → node-2 (alone) refuses writes", killed,
                    alone.refusingSince().map(SplitRun.Posted::answeredAt), REFUSE_WITHIN,
                    "POSTs to node-2 every 500 ms after node-1 was killed (node-3 cut off): the first 503 of the "
                            + "final run of 503s");
            checkCutOff(run, alone, "alone after the kill", QUORUM_LOST_WITHIN);

            long restarting = run.now();
            Optional<Long> rejoined = Optional.empty();
            try {
                cluster.node(1).start();
                rejoined = Optional.of(cluster.node(1).lastInitializedAt());
            } catch (AssertionError e) {
                run.violation("node-1 starts again after kill -9 while node-3 is cut off", e.getMessage());
            }
            // Node 2 is in a majority again as soon as node-1's store joins, before node-1 prints Fish initialized.
            long regained = run.regainedQuorumAt(2).orElse(Long.MAX_VALUE);
            run.minorityUntil(2, Math.min(regained, rejoined.orElse(run.now())));
            run.event("node-1 restarted: " + rejoined.map(t -> "Fish initialized").orElse("did not initialize"));
            if (rejoined.isPresent()) {
                run.measure("node-1 restart → majority allocates again", restarting,
                        run.allocatedVia(1, "to the majority after node-1's restart", run.now(), ALLOCATE_WITHIN,
                                PROBE_SPACING), ALLOCATE_WITHIN,
                        "node-1 started again (node-3 still cut off), an application POSTed to it → ALLOCATED");
            }
            endCutOfNodeThree(run, cut);
        }
    }

    private SplitRun begin(String title, String key, RepetitionInfo repetition) {
        return SplitRun.begin(cluster, title, key, repetition.getCurrentRepetition(), logRoot);
    }

    /** When node 3 was cut off, and the probe of its writes (running until the end of the cut). */
    private record NodeThreeCut(long at, SplitRun.WriteProbe probe) {
    }

    /**
     * Cuts node 3 off from 1 and 2 and posts to both sides at once: to node 1 (retried while it answers
     * 503, then awaited ALLOCATED: measured), to node 2, and to node 3 every {@link #PROBE_SPACING} until
     * the end of the cut. Returns once the majority allocated and node 3 refuses (or their time is up).
     */
    private NodeThreeCut cutOffNodeThree(SplitRun run) {
        long cut = run.cutOff(3, 1, 2);
        CompletableFuture<Optional<Long>> allocated = run.async(
                () -> run.allocatedVia(1, "to the majority at the cut", cut, ALLOCATE_WITHIN, PROBE_SPACING));
        CompletableFuture<SplitRun.Posted> toTwo = run.postAsync(2, "to the majority at the cut");
        SplitRun.WriteProbe probe = run.probeWrites(3, PROBE_SPACING, () -> false);
        run.measure("cut → majority allocates", cut, allocated.join(), ALLOCATE_WITHIN, ALLOCATE_NOTES);
        toTwo.join();
        probe.awaitRefusing(remaining(cut, REFUSE_WITHIN));
        return new NodeThreeCut(cut, probe);
    }

    /** Keeps node 3 cut off for {@link #CUT_AT_LEAST}, measures and checks its refusal, heals, and checks every invariant. */
    private static void endCutOfNodeThree(SplitRun run, NodeThreeCut cut) {
        run.holdUntil(cut.at(), CUT_AT_LEAST);
        cut.probe().stop();
        run.measure("cut → minority refuses writes", cut.at(),
                cut.probe().refusingSince().map(SplitRun.Posted::answeredAt), REFUSE_WITHIN, REFUSE_NOTES);
        checkCutOff(run, cut.probe(), "at the end of the cut", Duration.ZERO);
        long healed = run.healOff(3, 1, 2);
        run.verifyAfterHeal(healed);
    }

    /**
     * A cut-off node's probe (stopped) ended refusing writes, and the node still serves reads and says
     * it has no quorum (within {@code within}).
     */
    private static void checkCutOff(SplitRun run, SplitRun.WriteProbe probe, String when, Duration within) {
        if (!probe.refusing()) {
            run.violation("the minority side refuses writes (503) while cut off", LabCluster.name(probe.node) + " "
                    + when + " had not refused " + SplitRun.WriteProbe.REFUSING_STREAK + " POSTs in a row; its last "
                    + "answers: " + probe.lastAnswers());
        }
        run.checkMinorityView(probe.node, when, within);
    }

    private static Duration remaining(long since, Duration within) {
        return Duration.ofNanos(Math.max(0, since + within.toNanos() - System.nanoTime()));
    }

    /** Down, up, down, ... durations of 2–6 s, about {@link #FLAPPING} in all, ending with a down (then the heal). */
    private static List<Duration> flappingSchedule(Random random) {
        List<Duration> schedule = new ArrayList<>();
        long total = 0;
        while (total < FLAPPING.toMillis()) {
            long d = 2000 + random.nextInt(4001);
            schedule.add(Duration.ofMillis(d));
            total += d;
        }
        if (schedule.size() % 2 == 0) {
            schedule.remove(schedule.size() - 1);
        }
        return schedule;
    }
}
