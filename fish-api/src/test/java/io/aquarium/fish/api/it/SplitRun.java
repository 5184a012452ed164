package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One run of a network-split scenario on a {@link LabCluster}: posts the scenario's applications
 * (each marked with unique metadata, so its marker file names it), cuts and heals, measures, and
 * checks the invariants of a split:
 * <ul>
 * <li>every node healthy and accepting writes within {@link #HEALTHY_WITHIN} of the heal, every node
 *     reporting the same status for every application, no accepted application lost;</li>
 * <li>no application stuck ELECTED (and, capacity being unlimited, none left NEW);</li>
 * <li>no marker on a cut-off node, while cut off, for an application created during the cut;</li>
 * <li>each application's marker at most once, marker files = ALLOCATED applications;</li>
 * <li>nothing left after deallocating everything;</li>
 * <li>writes answered with 200 or 503 {@code {"message": ...}}; a cut-off node ends up refusing
 *     writes, serving reads and reporting {@code has_quorum: false} (the scenarios ask); a node that
 *     prints {@code Fish initialized} after a restart already holds what its cluster holds.</li>
 * </ul>
 * While it runs, watchers sample every node's marker files, its view of the cluster and its process,
 * and every event goes to a timeline. Violations are collected, so one failure reports all of them;
 * {@link #close()} saves the timeline and the nodes' log lines of the run under
 * {@code target/it-logs/ClusterSplitIT/<scenario>-<n>/}.
 */
final class SplitRun implements AutoCloseable {
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);
    static final Duration SETTLE_WITHIN = Duration.ofSeconds(30);
    static final Duration DEALLOCATE_WITHIN = Duration.ofSeconds(30);
    private static final Duration MARKER_INTERVAL = Duration.ofMillis(100);
    private static final Duration VIEW_INTERVAL = Duration.ofMillis(500);
    private static final Duration PROCESS_INTERVAL = Duration.ofMillis(50);
    /** How many occurrences of one broken invariant the failure message spells out (the timeline has all). */
    private static final int MAX_DETAILS = 3;
    private static final Set<String> FINISHED = Set.of("DEALLOCATED", "RECALLED", "ERROR");

    /** One POST of an application: where, when, and the answer. */
    record Posted(String tag, int node, String why, long postedAt, long answeredAt, int status, String uid,
                  String body) {
        boolean accepted() {
            return uid != null;
        }

        boolean refused() {
            return status == 503;
        }
    }

    /** A node cut off from a quorum, from {@code start} to {@code end} ({@link System#nanoTime()}; open: max). */
    private record Window(int node, long start, long end) {
        boolean contains(long t) {
            return t >= start && t <= end;
        }
    }

    /** A marker file the watcher saw first at {@code firstSeen}, with the tag it carries ({@code ?}: unreadable yet). */
    private record Sighting(int node, String file, long firstSeen, String tag) {
    }

    private final LabCluster cluster;
    private final String title;
    private final String key;
    private final Path logDir;
    private final long t0 = System.nanoTime();
    private final String tagPrefix;
    private final AtomicInteger seq = new AtomicInteger();
    private final List<String> timeline = new ArrayList<>();
    /** Broken invariant → how it broke, in the order seen. */
    private final Map<String, Set<String>> violations = new LinkedHashMap<>();
    private final List<Posted> posted = new ArrayList<>();
    private final List<Window> windows = new ArrayList<>();
    private final Map<String, Sighting> sightings = new ConcurrentHashMap<>();
    private final Map<String, String> measured = new LinkedHashMap<>();
    private final Map<Integer, String> latestViews = new ConcurrentHashMap<>();
    /** When each node's view was last seen without quorum ({@link System#nanoTime()}). */
    private final Map<Integer, Long> lastWithoutQuorum = new ConcurrentHashMap<>();
    private final Map<Integer, Long> logOffsets = new HashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "split-run");
        t.setDaemon(true);
        return t;
    });
    private final List<Thread> watchers = new ArrayList<>();
    private volatile boolean watching = true;

    private SplitRun(LabCluster cluster, String title, String key, Path logDir) {
        this.cluster = cluster;
        this.title = title;
        this.key = key;
        this.logDir = logDir;
        this.tagPrefix = key + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    /**
     * Starts run {@code repetition} of a scenario: a ready cluster ({@link LabCluster#ensureReady()}),
     * then the watchers. {@code key} names its directory and its application tags.
     */
    static SplitRun begin(LabCluster cluster, String title, String key, int repetition, Path logRoot) {
        SplitRun run = new SplitRun(cluster, title + " #" + repetition, key + "-" + repetition,
                logRoot.resolve(key + "-" + repetition));
        boolean fresh = cluster.ensureReady();
        for (int n = 1; n <= LabCluster.SIZE; n++) {
            run.logOffsets.put(n, fresh ? 0L : size(cluster.node(n).logFile()));
        }
        run.event("run starts on cluster generation " + cluster.generation() + (fresh ? " (new)" : " (reused)"));
        run.startWatchers();
        return run;
    }

    long now() {
        return System.nanoTime();
    }

    /** Logs an event on the run's timeline (and stdout). */
    void event(String what) {
        String line = at(now()) + "  " + what;
        synchronized (timeline) {
            timeline.add(line);
        }
        System.out.println("[split " + key + "] " + line);
    }

    /** Records that {@code invariant} broke, and how; the run fails at {@link #assertNoViolations()}. */
    void violation(String invariant, String detail) {
        boolean added;
        synchronized (violations) {
            added = violations.computeIfAbsent(invariant, i -> new LinkedHashSet<>()).add(detail);
        }
        if (added) {
            event("VIOLATION of '" + invariant + "': " + detail);
        }
    }

    // --- faults

    /** Cuts {@code node} off from each of {@code others} (neighbour trick); it is a minority from now on. */
    long cutOff(int node, int... others) {
        long t = fault("cut " + LabCluster.name(node) + " off from " + names(others),
                () -> eachPair(node, others, cluster.lab()::cut));
        minorityFrom(node, t);
        return t;
    }

    /** Heals what {@link #cutOff} did; ends {@code node}'s minority window. */
    long healOff(int node, int... others) {
        long t = fault("healed " + LabCluster.name(node) + " with " + names(others),
                () -> eachPair(node, others, cluster.lab()::heal));
        minorityUntil(node, t);
        return t;
    }

    /** Cuts two nodes from each other only. */
    long cut(int a, int b) {
        return fault("cut " + LabCluster.name(a) + " <-> " + LabCluster.name(b), () -> cluster.lab().cut(a, b));
    }

    long heal(int a, int b) {
        return fault("healed " + LabCluster.name(a) + " <-> " + LabCluster.name(b), () -> cluster.lab().heal(a, b));
    }

    /** SIGKILL of {@code node}'s process (the supervisor leaves it down). */
    long kill(int node) {
        return fault("kill -9 " + LabCluster.name(node), () -> cluster.node(node).kill());
    }

    private static void eachPair(int node, int[] others, BiConsumer<Integer, Integer> action) {
        for (int other : others) {
            action.accept(node, other);
        }
    }

    /** Does {@code action}, logs {@code what}, and returns when it was done. */
    private long fault(String what, Runnable action) {
        action.run();
        long t = now();
        event(what);
        return t;
    }

    /** From {@code start} on, {@code node} is on the minority side: it must allocate nothing created since. */
    void minorityFrom(int node, long start) {
        synchronized (windows) {
            windows.add(new Window(node, start, Long.MAX_VALUE));
        }
        event(LabCluster.name(node) + " is on the minority side since " + at(start));
    }

    /** Ends {@code node}'s open minority window at {@code end}. */
    void minorityUntil(int node, long end) {
        synchronized (windows) {
            windows.replaceAll(w -> w.node() == node && w.end() == Long.MAX_VALUE ? new Window(node, w.start(), end) : w);
        }
    }

    /** Keeps the cut until {@code atLeast} after {@code cutAt}: a scenario parameter, not a wait for a condition. */
    void holdUntil(long cutAt, Duration atLeast) {
        long left = cutAt + atLeast.toNanos() - now();
        if (left > 0) {
            event("holding the cut for " + ms(left) + " more");
            Poll.pause(Duration.ofNanos(left));
        }
    }

    // --- applications

    /** POSTs a new application, marked with a unique tag, to {@code node}; checks the answer's shape. */
    Posted post(int node, String why) {
        String tag = tagPrefix + "-" + String.format(Locale.ROOT, "%02d", seq.incrementAndGet());
        long at = now();
        FishApi.Reply reply = cluster.api(node).tryCreateApplication(cluster.labelUid(),
                "{\"" + LabCluster.TAG + "\":\"" + tag + "\"}");
        long answered = now();
        String uid = reply.status() == 200 ? reply.json().path("UID").asText(null) : null;
        Posted p = new Posted(tag, node, why, at, answered, reply.status(), uid, reply.body());
        synchronized (posted) {
            posted.add(p);
        }
        event(LabCluster.name(node) + " POST application " + tag + " (" + why + ") -> " + describe(reply) + " in "
                + ms(answered - at));
        if (reply.status() == 503) {
            String message = messageOf(reply);
            if (message == null) {
                violation("a node without quorum answers writes with 503 {\"message\": ...}", LabCluster.name(node)
                        + " answered 503 with " + reply.body());
            }
        } else if (reply.status() != 200 || uid == null) {
            violation("writes are accepted (200) or refused (503)", LabCluster.name(node) + " answered the POST of "
                    + tag + " (" + why + ") with " + describe(reply));
        }
        return p;
    }

    CompletableFuture<Posted> postAsync(int node, String why) {
        return async(() -> post(node, why));
    }

    <T> CompletableFuture<T> async(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, pool);
    }

    /**
     * POSTs an application to {@code node} every {@code spacing} (after each answer) until stopped, or
     * until {@code stopWhen} holds: tells when the node started refusing writes for good.
     */
    WriteProbe probeWrites(int node, Duration spacing, BooleanSupplier stopWhen) {
        WriteProbe probe = new WriteProbe(node);
        probe.loop = async(() -> {
            while (!probe.stopped && !stopWhen.getAsBoolean()) {
                probe.add(post(node, "write probe"));
                Poll.pause(spacing);
            }
            return null;
        });
        return probe;
    }

    /** The answers of {@link #probeWrites}. */
    final class WriteProbe {
        /** A node refuses writes once this many answers in a row were 503 (one can be a passing topology change). */
        static final int REFUSING_STREAK = 3;
        final int node;
        private final List<Posted> answers = new ArrayList<>();
        private volatile boolean stopped;
        private CompletableFuture<Void> loop;

        private WriteProbe(int node) {
            this.node = node;
        }

        private synchronized void add(Posted p) {
            answers.add(p);
        }

        /** True when the last {@link #REFUSING_STREAK} answers were all 503. */
        synchronized boolean refusing() {
            return answers.size() >= REFUSING_STREAK && answers.subList(answers.size() - REFUSING_STREAK,
                    answers.size()).stream().allMatch(Posted::refused);
        }

        /** True when the probe ended (stopped, or its stop condition held). */
        boolean ended() {
            return loop.isDone();
        }

        /** The first 503 of the trailing run of 503s (the node refuses since then), if the last answer was one. */
        synchronized Optional<Posted> refusingSince() {
            Posted first = null;
            for (int i = answers.size() - 1; i >= 0 && answers.get(i).refused(); i--) {
                first = answers.get(i);
            }
            return Optional.ofNullable(first);
        }

        /** The last few answers, e.g. {@code [200 in 35 ms, 503 in 19830 ms]}. */
        synchronized String lastAnswers() {
            return answers.subList(Math.max(0, answers.size() - 5), answers.size()).stream()
                    .map(p -> (p.status() == FishApi.NO_ANSWER ? "no answer" : String.valueOf(p.status())) + " in "
                            + ms(p.answeredAt() - p.postedAt()))
                    .toList().toString();
        }

        /** The first 503 at all. */
        synchronized Optional<Posted> firstRefusal() {
            return answers.stream().filter(Posted::refused).findFirst();
        }

        /** Waits (at most {@code max}) until the node {@link #refusing() refuses} writes or the probe ended. */
        WriteProbe awaitRefusing(Duration max) {
            Poll.within(max, () -> refusing() || ended(), Boolean::booleanValue);
            return this;
        }

        /** Stops posting; returns when the last POST was answered. */
        WriteProbe stop() {
            stopped = true;
            loop.join();
            return this;
        }
    }

    /**
     * POSTs to {@code node} until an application is accepted (a client retries a transient 503, which a
     * majority node may answer while the topology changes); the last attempt when none was within {@code max}.
     */
    Posted postUntilAccepted(int node, String why, Duration max, Duration spacing) {
        long deadline = now() + max.toNanos();
        Posted p = post(node, why);
        while (!p.accepted() && now() - deadline < 0) {
            Poll.pause(spacing);
            p = post(node, why + ", retried");
        }
        return p;
    }

    /**
     * When an application POSTed to {@code node} (retried until accepted) was first seen ALLOCATED
     * through it; empty when that did not happen within {@code within} of {@code since}.
     */
    Optional<Long> allocatedVia(int node, String why, long since, Duration within, Duration spacing) {
        Posted p = postUntilAccepted(node, why, Duration.ofNanos(since + within.toNanos() - now()), spacing);
        return awaitAllocated(p, node, Duration.ofNanos(Math.max(0, since + within.toNanos() - now())));
    }

    /** When {@code p}'s application was first seen ALLOCATED through {@code readFrom}; empty if not within {@code max}. */
    Optional<Long> awaitAllocated(Posted p, int readFrom, Duration max) {
        if (!p.accepted()) {
            return Optional.empty();
        }
        return Poll.within(max, () -> status(readFrom, p.uid()), "ALLOCATED"::equals).map(s -> {
            long t = now();
            event(p.tag() + " ALLOCATED (read from " + LabCluster.name(readFrom) + ")");
            return t;
        });
    }

    /** The application's status as {@code node} reports it, or {@code HTTP <code>}. */
    String status(int node, String uid) {
        FishApi.Reply r = cluster.api(node).tryGet("/api/v1/application/" + uid + "/state");
        return r.status() == 200 ? r.json().path("status").asText() : "HTTP " + r.status();
    }

    /** True when {@code node}'s latest view (as the watcher saw it) reports quorum. */
    boolean reportsQuorum(int node) {
        return latestViews.getOrDefault(node, "").startsWith("200 quorum=true");
    }

    /**
     * When {@code node} regained quorum, if it reports quorum now: the last time its view (sampled
     * every {@link #VIEW_INTERVAL}) showed none. From then on it is in a majority again.
     */
    Optional<Long> regainedQuorumAt(int node) {
        return reportsQuorum(node) ? Optional.ofNullable(lastWithoutQuorum.get(node)) : Optional.empty();
    }

    /** True when {@code node}'s latest view reports no quorum, or the node did not answer it with 200. */
    boolean lostQuorum(int node) {
        String view = latestViews.get(node);
        return view != null && !view.startsWith("200 quorum=true");
    }

    /**
     * While cut off, a node still serves reads from its own copy and reports that it has no quorum
     * ({@code has_quorum: false}, {@code X-Fish-Quorum: lost}) within {@code within}.
     */
    void checkMinorityView(int node, String when, Duration within) {
        String name = LabCluster.name(node);
        Poll.Outcome<FishApi.Reply> seen = Poll.poll(within, () -> cluster.api(node).tryGet("/api/v1/node/this/"),
                r -> r.status() == 200 && !clusterView(r).path("has_quorum").asBoolean(true)
                        && "lost".equals(r.header("X-Fish-Quorum").orElse("")));
        FishApi.Reply self = seen.last();
        if (self.status() != 200) {
            violation("a cut-off node serves reads (GET) from its own copy", name + " " + when + " answered GET "
                    + "/api/v1/node/this/ with " + describe(self));
            return;
        }
        String view = "fish_cluster " + clusterView(self) + ", X-Fish-Quorum " + self.header("X-Fish-Quorum").orElse("-");
        event(name + " " + when + ": " + view);
        if (!seen.met()) {
            violation("a cut-off node reports has_quorum=false and X-Fish-Quorum: lost", name + " " + when
                    + " reports " + view);
        }
    }

    private static JsonNode clusterView(FishApi.Reply nodeThis) {
        return nodeThis.json().path("definition").path("host").path("fish_cluster");
    }

    // --- measurements

    /** Records {@code from → to} under the run's title, or "none within ..." when it did not happen. */
    void measure(String what, long from, Optional<Long> to, Duration within, String notes) {
        String name = "split: " + title + ": " + what;
        if (to.isPresent()) {
            Duration d = Duration.ofNanos(to.get() - from);
            ClusterMeasurements.record(name, d, notes);
            measured.put(what, ClusterMeasurements.millis(d));
        } else {
            String value = "none within " + within.toSeconds() + " s";
            ClusterMeasurements.record(name, value, notes);
            measured.put(what, value);
        }
    }

    // --- invariants after the heal

    /**
     * Checks every invariant from {@code healedAt} (the end of the last fault) on, then fails with all
     * that broke during the run.
     */
    void verifyAfterHeal(long healedAt) {
        checkHealed(healedAt);
        assertNoViolations();
    }

    private void checkHealed(long healedAt) {
        event("verifying: healthy within " + HEALTHY_WITHIN.toSeconds() + " s of the heal");
        Poll.Outcome<String> health = Poll.poll(Duration.ofNanos(healedAt + HEALTHY_WITHIN.toNanos() - now()),
                this::healthReport, Objects::isNull);
        if (!health.met()) {
            measure("heal → healthy cluster", healedAt, Optional.empty(), HEALTHY_WITHIN,
                    "every node: quorum, 3 visible, a write accepted, same status for every application");
            violation("every node healthy and accepting writes within " + HEALTHY_WITHIN.toSeconds()
                    + " s of the heal, with the same statuses", health.last());
            return;
        }
        measure("heal → healthy cluster", healedAt, Optional.of(now()), HEALTHY_WITHIN,
                "every node: quorum, 3 visible, a write accepted, same status for every application");

        List<Posted> accepted = new ArrayList<>();
        for (Posted p : accepted()) {
            String s = status(1, p.uid());
            if (s.startsWith("HTTP")) {
                violation("an accepted write is never lost", p.tag() + " (accepted by " + LabCluster.name(p.node())
                        + " at " + at(p.postedAt()) + ") is " + s + " once the cluster is healthy");
            } else {
                accepted.add(p);
            }
        }
        Poll.Outcome<Map<String, String>> settled = Poll.poll(SETTLE_WITHIN, () -> statuses(1, accepted),
                s -> s.values().stream().noneMatch(v -> v.equals("NEW") || v.equals("ELECTED")));
        List<String> elected = tagsWith(settled.last(), "ELECTED");
        if (!elected.isEmpty()) {
            violation("no application stuck ELECTED", elected + " still ELECTED " + SETTLE_WITHIN.toSeconds()
                    + " s after the cluster was healthy");
        }
        List<String> waiting = tagsWith(settled.last(), "NEW");
        if (!waiting.isEmpty()) {
            violation("every accepted application is allocated once the cluster is healthy (capacity is unlimited)",
                    waiting + " still NEW " + SETTLE_WITHIN.toSeconds() + " s after");
        }
        String differing = differingStatuses(accepted);
        if (differing != null) {
            violation("every node reports the same status for every application", differing);
        }
        checkMarkersMatchAllocated(accepted, settled.last());
        deallocateEverything(accepted);
    }

    /** Null when every node is healthy and all report the same statuses; else what is not. */
    private String healthReport() {
        List<String> problems = new ArrayList<>();
        for (int n = 1; n <= LabCluster.SIZE; n++) {
            String why = cluster.unhealthy(n);
            if (why != null) {
                problems.add(LabCluster.name(n) + ": " + why);
            }
        }
        if (problems.isEmpty()) {
            String differing = differingStatuses(accepted());
            if (differing != null) {
                problems.add(differing);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** Null when every node reports the same status for every application, else the first difference. */
    private String differingStatuses(List<Posted> apps) {
        Map<String, String> reference = statuses(1, apps);
        for (int n = 2; n <= LabCluster.SIZE; n++) {
            Map<String, String> other = statuses(n, apps);
            for (Posted p : apps) {
                if (!reference.get(p.tag()).equals(other.get(p.tag()))) {
                    return p.tag() + " is " + reference.get(p.tag()) + " on node-1 but " + other.get(p.tag())
                            + " on " + LabCluster.name(n);
                }
            }
        }
        return null;
    }

    private Map<String, String> statuses(int node, List<Posted> apps) {
        Map<String, String> s = new TreeMap<>();
        for (Posted p : apps) {
            s.put(p.tag(), status(node, p.uid()));
        }
        return s;
    }

    private static List<String> tagsWith(Map<String, String> statuses, String status) {
        return statuses.entrySet().stream().filter(e -> e.getValue().equals(status)).map(Map.Entry::getKey).toList();
    }

    /** Marker files = ALLOCATED applications, each on the node and under the identifier its resource names. */
    private void checkMarkersMatchAllocated(List<Posted> accepted, Map<String, String> statuses) {
        Map<String, List<String>> markers = currentMarkers();
        Map<String, Posted> byTag = accepted.stream().collect(Collectors.toMap(Posted::tag, p -> p));
        for (Posted p : accepted) {
            List<String> where = markers.getOrDefault(p.tag(), List.of());
            if (!"ALLOCATED".equals(statuses.get(p.tag()))) {
                if (!where.isEmpty()) {
                    violation("marker files = ALLOCATED applications", p.tag() + " is " + statuses.get(p.tag())
                            + " but has markers " + where);
                }
                continue;
            }
            if (where.size() != 1) {
                violation("marker files = ALLOCATED applications, each marker once", "ALLOCATED " + p.tag()
                        + " has markers " + where);
                continue;
            }
            FishApi.Reply resource = cluster.api(1).tryGet("/api/v1/application/" + p.uid() + "/resource");
            if (resource.status() != 200) {
                violation("an ALLOCATED application has a resource", p.tag() + " -> " + describe(resource));
                continue;
            }
            int holder = cluster.nodeOfUid(resource.json().path("node_UID").asText());
            String expected = LabCluster.name(holder) + ":" + resource.json().path("identifier").asText();
            if (!where.get(0).equals(expected)) {
                violation("each marker is where its resource says", p.tag() + " has marker " + where.get(0)
                        + ", its resource names " + expected);
            }
        }
        for (Map.Entry<String, List<String>> m : markers.entrySet()) {
            if (!byTag.containsKey(m.getKey())) {
                violation("marker files = ALLOCATED applications", "markers " + m.getValue() + " carry tag "
                        + m.getKey() + ", which no ALLOCATED application of this run has");
            }
        }
    }

    /** Deallocates (or recalls) every accepted application; then no marker and no resource may be left. */
    private void deallocateEverything(List<Posted> accepted) {
        for (Posted p : accepted) {
            FishApi.Reply r = cluster.api(1).tryGet("/api/v1/application/" + p.uid() + "/deallocate");
            if (r.status() != 200) {
                violation("a healthy cluster deallocates", p.tag() + " -> " + describe(r));
            }
        }
        Poll.Outcome<String> done = Poll.poll(DEALLOCATE_WITHIN, () -> {
            for (int n = 1; n <= LabCluster.SIZE; n++) {
                Map<String, String> s = statuses(n, accepted);
                for (Map.Entry<String, String> e : s.entrySet()) {
                    if (!FINISHED.contains(e.getValue())) {
                        return e.getKey() + " is " + e.getValue() + " on " + LabCluster.name(n);
                    }
                }
            }
            return null;
        }, Objects::isNull);
        if (!done.met()) {
            violation("nothing left after deallocating everything", done.last() + " "
                    + DEALLOCATE_WITHIN.toSeconds() + " s after the requests");
            return;
        }
        Poll.Outcome<Map<String, List<String>>> markers = Poll.poll(Duration.ofSeconds(10), this::currentMarkers,
                Map::isEmpty);
        if (!markers.met()) {
            violation("nothing left after deallocating everything", "markers " + markers.last());
        }
        for (int n = 1; n <= LabCluster.SIZE; n++) {
            FishApi.Reply resources = cluster.api(n).tryGet("/api/v1/resource/");
            if (resources.status() != 200 || resources.json().size() != 0) {
                violation("nothing left after deallocating everything", LabCluster.name(n) + " lists resources "
                        + describe(resources));
            }
        }
        event("everything deallocated");
    }

    /** Tag → {@code node-N:file} of every marker file now. */
    private Map<String, List<String>> currentMarkers() {
        Map<String, List<String>> byTag = new TreeMap<>();
        for (int n = 1; n <= LabCluster.SIZE; n++) {
            for (Map.Entry<String, String> m : cluster.markers(n).entrySet()) {
                byTag.computeIfAbsent(m.getValue(), t -> new ArrayList<>()).add(LabCluster.name(n) + ":" + m.getKey());
            }
        }
        return byTag;
    }

    /** The invariants the watchers' history answers; then fails with every violation of the run. */
    private void assertNoViolations() {
        // Two markers of one application at the same moment are caught by every sample
        // (sampleMarkers). One after the other is a retry: an allocation whose resource could not be
        // recorded (a write refused in the cut) is released before the application is elected again.
        checkMinorityMarkers();
        List<String> report = new ArrayList<>();
        synchronized (violations) {
            violations.forEach((invariant, details) -> {
                List<String> shown = details.stream().limit(MAX_DETAILS).toList();
                report.add(invariant + " -- " + String.join("; ", shown)
                        + (details.size() > shown.size() ? " (+" + (details.size() - shown.size()) + " more)" : ""));
            });
        }
        if (!report.isEmpty()) {
            throw new AssertionError(title + ": " + report.size() + " invariant(s) broke (timeline and node logs: "
                    + logDir + "):\n - " + String.join("\n - ", report) + "\nmeasured: " + measured);
        }
    }

    /** No marker on a cut-off node, while cut off, for an application created during a cut of that node. */
    private void checkMinorityMarkers() {
        Map<String, Posted> byTag = new HashMap<>();
        for (Posted p : accepted()) {
            byTag.put(p.tag(), p);
        }
        List<Window> all;
        synchronized (windows) {
            all = List.copyOf(windows);
        }
        for (Sighting s : sightings.values()) {
            Posted p = byTag.get(s.tag());
            if (p == null) {
                continue;
            }
            for (Window created : all) {
                if (created.node() != s.node() || !created.contains(p.postedAt())) {
                    continue;
                }
                for (Window seen : all) {
                    if (seen.node() == s.node() && seen.start() >= created.start() && seen.contains(s.firstSeen())) {
                        violation("no marker on the minority for an application created during the cut",
                                LabCluster.name(s.node()) + " made marker " + s.file() + " for " + p.tag()
                                + " (posted to " + LabCluster.name(p.node()) + " at " + at(p.postedAt())
                                + ") at " + at(s.firstSeen()) + ", while cut off since " + at(seen.start()));
                    }
                }
            }
        }
    }

    // --- watchers

    private void startWatchers() {
        watch("markers", MARKER_INTERVAL, this::sampleMarkers);
        for (int n = 1; n <= LabCluster.SIZE; n++) {
            int node = n;
            // Known before any fault, so a scenario never reads a view that is not there yet.
            String first = cluster.view(node);
            latestViews.put(node, first);
            event(LabCluster.name(node) + " view: " + first);
            watch("view-" + n, VIEW_INTERVAL, () -> {
                String view = cluster.view(node);
                if (!view.startsWith("200 quorum=true")) {
                    lastWithoutQuorum.put(node, now());
                }
                if (!view.equals(latestViews.put(node, view))) {
                    event(LabCluster.name(node) + " view: " + view);
                }
            });
        }
        Map<Integer, String> processState = new HashMap<>();
        Map<Integer, Integer> checkedStart = new HashMap<>();
        for (int n = 1; n <= LabCluster.SIZE; n++) {
            checkedStart.put(n, cluster.node(n).starts());
        }
        watch("processes", PROCESS_INTERVAL, () -> {
            for (int n = 1; n <= LabCluster.SIZE; n++) {
                FishProcess p = cluster.node(n);
                int starts = p.starts();
                boolean initialized = p.isInitialized();
                String state = (p.isRunning() ? "running" : "exited") + ", start #" + starts
                        + (initialized ? ", Fish initialized" : "")
                        + (p.supervisedRestarts() > 0 ? " (" + p.supervisedRestarts() + " supervised restart(s))" : "");
                if (!state.equals(processState.put(n, state))) {
                    event(LabCluster.name(n) + " process " + state);
                }
                if (initialized && p.isRunning() && starts > checkedStart.get(n)) {
                    checkedStart.put(n, starts);
                    checkHoldsDataAtOnce(n, starts);
                }
            }
        });
    }

    private void watch(String name, Duration interval, Runnable sample) {
        Thread t = new Thread(() -> {
            while (watching) {
                try {
                    sample.run();
                } catch (RuntimeException | AssertionError e) {
                    event("watcher " + name + " failed once: " + e);
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "split-watch-" + name);
        t.setDaemon(true);
        watchers.add(t);
        t.start();
    }

    private void sampleMarkers() {
        long t = now();
        Map<String, List<String>> byTag = new HashMap<>();
        for (int n = 1; n <= LabCluster.SIZE; n++) {
            for (Map.Entry<String, String> m : cluster.markers(n).entrySet()) {
                String where = n + ":" + m.getKey();
                int node = n;
                Sighting s = sightings.computeIfAbsent(where, w -> {
                    event("marker " + m.getKey() + " (" + m.getValue() + ") appeared on " + LabCluster.name(node));
                    return new Sighting(node, m.getKey(), t, m.getValue());
                });
                if ("?".equals(s.tag()) && !"?".equals(m.getValue())) {
                    sightings.put(where, new Sighting(node, m.getKey(), s.firstSeen(), m.getValue()));
                }
                byTag.computeIfAbsent(m.getValue(), k -> new ArrayList<>()).add(LabCluster.name(n) + ":" + m.getKey());
            }
        }
        for (Map.Entry<String, List<String>> e : byTag.entrySet()) {
            if (e.getValue().size() > 1 && !"?".equals(e.getKey())) {
                violation("each application's marker exists at most once", e.getKey() + " has " + e.getValue()
                        + " at " + at(t));
            }
        }
    }

    /** A node that printed {@code Fish initialized} after a restart must already hold the data. */
    private void checkHoldsDataAtOnce(int node, int start) {
        String name = LabCluster.name(node);
        long t = now();
        List<Posted> known = accepted();
        // The restarted node first, at once; then what the cluster it joined holds (a peer with quorum).
        FishApi.Reply label = cluster.api(node).tryGet("/api/v1/label/" + cluster.labelUid());
        Map<String, String> mine = statuses(node, known);
        long readIn = now() - t;
        int peer = 0;
        for (int n = 1; n <= LabCluster.SIZE && peer == 0; n++) {
            peer = n != node && reportsQuorum(n) ? n : 0;
        }
        Map<String, String> theirs = peer == 0 ? Map.of() : statuses(peer, known);
        List<String> wrong = new ArrayList<>();
        if (label.status() != 200) {
            wrong.add("label -> " + describe(label));
        }
        for (Posted p : known) {
            String s = mine.get(p.tag());
            if (s.startsWith("HTTP") && !theirs.getOrDefault(p.tag(), "").startsWith("HTTP")) {
                wrong.add(p.tag() + " -> " + s + (peer == 0 ? "" : " (" + LabCluster.name(peer) + ": "
                        + theirs.get(p.tag()) + ")"));
            }
        }
        event(name + " printed Fish initialized (start #" + start + "); read the label and " + known.size()
                + " application(s) in " + ms(readIn) + (peer == 0 ? " (no peer with quorum to compare)"
                : ", compared with " + LabCluster.name(peer)) + ": " + (wrong.isEmpty() ? "all there" : wrong));
        if (!wrong.isEmpty()) {
            violation("a joining node prints Fish initialized only once it holds the data", name + " (start #"
                    + start + ") right after: " + wrong);
        }
    }

    // --- the end

    List<Posted> posted() {
        synchronized (posted) {
            return List.copyOf(posted);
        }
    }

    List<Posted> accepted() {
        return posted().stream().filter(Posted::accepted).toList();
    }

    /** Stops the watchers, heals every fault, and saves the timeline and the nodes' log lines of this run. */
    @Override
    public void close() {
        watching = false;
        for (Thread t : watchers) {
            t.interrupt();
        }
        for (Thread t : watchers) {
            try {
                t.join(LabCluster.REQUEST_TIMEOUT.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.shutdownNow();
        cluster.lab().healAll();
        event("run ends; measured: " + measured);
        try {
            Files.createDirectories(logDir);
            List<String> lines = new ArrayList<>();
            synchronized (timeline) {
                lines.addAll(timeline);
            }
            lines.add("");
            lines.add("applications posted (tag, node, answer, accepted uid):");
            for (Posted p : posted()) {
                lines.add("  " + p.tag() + "  " + LabCluster.name(p.node()) + "  " + at(p.postedAt()) + "  " + p.status()
                        + "  " + (p.uid() == null ? "-" : p.uid()) + "  (" + p.why() + ")");
            }
            Files.write(logDir.resolve("timeline.log"), lines, StandardCharsets.UTF_8);
            for (int n = 1; n <= LabCluster.SIZE; n++) {
                copyFrom(cluster.node(n).logFile(), logOffsets.getOrDefault(n, 0L),
                        logDir.resolve(LabCluster.name(n) + ".log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- formatting

    String at(long nanos) {
        return String.format(Locale.ROOT, "+%.3f s", (nanos - t0) / 1e9);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
    }

    private static String names(int... nodes) {
        List<String> names = new ArrayList<>();
        for (int n : nodes) {
            names.add(LabCluster.name(n));
        }
        return String.join(", ", names);
    }

    static String describe(FishApi.Reply r) {
        String body = r.body() == null ? "" : r.body().replace('\n', ' ');
        return (r.status() == FishApi.NO_ANSWER ? "no answer" : String.valueOf(r.status())) + " "
                + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }

    private static String messageOf(FishApi.Reply r) {
        try {
            JsonNode message = r.json().get("message");
            return message != null && message.isTextual() ? message.asText() : null;
        } catch (AssertionError notJson) {
            return null;
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyFrom(Path source, long offset, Path target) throws IOException {
        if (!Files.exists(source)) {
            return;
        }
        try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(target)) {
            in.skipNBytes(Math.min(offset, Files.size(source)));
            in.transferTo(out);
        }
    }
}
