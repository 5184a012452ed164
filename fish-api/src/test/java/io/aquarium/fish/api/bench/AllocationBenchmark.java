package io.aquarium.fish.api.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.aquarium.fish.api.bench.BenchTable.ms;

/**
 * Allocation latency and API throughput of one node, measured from outside: starts the packaged jar as a
 * separate process with the test driver (no delays) and drives it over HTTPS. Prints a Markdown table.
 *
 * <p>{@code mvn -B -q -DskipTests package -Pbench}; argument: the node jar (default
 * {@code fish-api/target/aquarium-fish.jar}). {@code -Dfish.bench.load=java} uses the Java load loop even
 * when {@code wrk} is installed.
 */
public final class AllocationBenchmark {
    private static final int WARM_UP_ALLOCATIONS = 20;
    private static final int SEQUENTIAL = 200;
    private static final int BURST = 1_000;
    private static final int CLIENTS = 50;
    /** Unservable applications created at once whose absorption is measured in node CPU. */
    private static final int ABSORBED = 1_000;
    /** Unservable applications waiting while idle CPU and the sequential latency are measured again. */
    private static final int WAITING = 3_000;
    private static final String MAX_HEAP = "512m";
    /** "Idle again": the node used at most this share of one core over the trailing window (> the 5 s election interval). */
    private static final double QUIET_SHARE = 0.08;
    private static final double QUIET_WINDOW_SECONDS = 6;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(30);
    /**
     * CPU is also counted over this fixed window from the first create (longer than the 20–30 s of
     * busy absorption), for the refused and the unservable creates alike: the difference does not depend on
     * when "quiet" is detected on a shared machine.
     */
    private static final Duration ABSORB_WINDOW = Duration.ofSeconds(40);
    private static final Duration STATE_WARM_UP = Duration.ofSeconds(25);
    private static final Duration STATE_WINDOW = Duration.ofSeconds(15);
    private static final Duration BARE_WARM_UP = Duration.ofSeconds(5);
    private static final Duration BARE_WINDOW = Duration.ofSeconds(10);
    /** Between two state polls of the one application being timed: the resolution of the sequential numbers. */
    private static final long SINGLE_POLL_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Between two polling rounds of a burst client over its applications. Node timestamps time the burst;
     * clients polling every 5 ms made their GETs (thousands per second, Jersey and Jetty: three quarters of
     * the node's CPU samples in a profile of the burst) the node's main load.
     */
    private static final long ROUND_POLL_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    /** After the backlog's last create, before maintenance ends: longer than the 5 s election interval. */
    private static final Duration BACKLOG_SETTLE = Duration.ofSeconds(6);
    private static final Duration ALLOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);
    private static final Set<String> FINISHED = Set.of("DEALLOCATED", "RECALLED", "ERROR");

    private static final String FISH_YML = """
            node_name: bench-node
            api_address: 127.0.0.1:0
            drivers:
              - name: test
                cfg: {}
              # Too small for the "unservable" label: its applications wait in NEW.
              - name: test/small
                cfg:
                  cpu_limit: 2
                  ram_limit: 2
                  workspace_path: fish_test_workspace_small
            """;
    private static final String SERVABLE_LABEL = """
            {"name":"bench-servable","version":1,"definitions":[{"driver":"test","resources":{"cpu":1,"ram":1}}]}""";
    private static final String UNSERVABLE_LABEL = """
            {"name":"bench-unservable","version":1,"definitions":[{"driver":"test/small","resources":{"cpu":4,"ram":4}}]}""";

    private final BenchClient client;
    private final ExecutorService pool;
    private final NodeStats stats;
    private final BenchTable table = new BenchTable();

    private AllocationBenchmark(BenchClient client, ExecutorService pool, NodeStats stats) {
        this.client = client;
        this.pool = pool;
        this.stats = stats;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "fish-api/target/aquarium-fish.jar");
        long start = System.nanoTime();
        progress("starting the node: java -Xmx" + MAX_HEAP + " -jar " + jar + " -c <tmp>/fish.yml");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS, daemonThreads());
        try (NodeProcess node = NodeProcess.start(jar, FISH_YML, MAX_HEAP); NodeStats stats = new NodeStats(node.pid())) {
            try {
                BenchClient client = new BenchClient(node.caCertificate(), node.address(), "admin", node.adminPassword());
                RequestRateLoad load = "java".equals(System.getProperty("fish.bench.load"))
                        ? new JavaLoopLoad(client)
                        : WrkLoad.find(client, node.workDir()).<RequestRateLoad>map(w -> w).orElseGet(() -> new JavaLoopLoad(client));
                AllocationBenchmark bench = new AllocationBenchmark(client, pool, stats);
                bench.run(load);
                double total = (System.nanoTime() - start) / 1e9;
                System.out.println();
                System.out.printf(Locale.ROOT, "Node: separate process (`java -Xmx" + MAX_HEAP + " -jar aquarium-fish.jar`), H2 store, "
                                + "test driver without delays, HTTPS on %s. Client: this JVM (java.net.http); "
                                + "request rates: %s. Machine: %d CPUs shared by node and client, Java %s. "
                                + "Total run: %.0f s.%n%n", node.address(), load.tool(),
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), total);
                bench.table.print();
            } catch (Exception | Error e) {
                node.keepWorkDir();
                System.err.println("# benchmark failed: " + e.getMessage());
                System.err.println("# last lines of the node log:\n" + node.logTail(30));
                throw e;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void run(RequestRateLoad load) throws Exception {
        String servable = client.createLabel(SERVABLE_LABEL);
        String unservable = client.createLabel(UNSERVABLE_LABEL);

        progress(WARM_UP_ALLOCATIONS + " warm-up allocations (not measured)");
        List<String> done = new ArrayList<>();
        for (int i = 0; i < WARM_UP_ALLOCATIONS; i++) {
            done.add(allocateOne(servable).uid());
        }
        finish(done);

        progress(SEQUENTIAL + " sequential allocations");
        List<Sample> sequential = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL; i++) {
            sequential.add(allocateOne(servable));
        }
        Latencies seqClient = Latencies.of(sequential.stream().map(Sample::clientMillis).toList());
        Latencies seqServer = Latencies.of(sequential.stream().map(Sample::serverMillis).toList());
        table.row("sequential POST→ALLOCATED p50 (" + SEQUENTIAL + " apps, one at a time)", ms(seqClient.percentile(50)),
                target(seqClient.percentile(50) <= 100, "≤ 100 ms"));
        table.row("sequential POST→ALLOCATED p99", ms(seqClient.percentile(99)),
                target(seqClient.percentile(99) <= 500, "≤ 500 ms"));
        table.row("sequential, node timestamps (NEW→ALLOCATED state) p50 / p99",
                ms(seqServer.percentile(50)) + " / " + ms(seqServer.percentile(99)), "–");
        finish(sequential.stream().map(Sample::uid).toList());

        double seqRate = 1000 / seqServer.percentile(50);

        progress(BURST + " applications created at once by " + CLIENTS + " keep-alive clients");
        Concurrent burst = allocateConcurrently(servable, BURST);
        Latencies conClient = Latencies.of(burst.samples().stream().map(Sample::clientMillis).toList());
        Latencies conServer = Latencies.of(burst.samples().stream().map(Sample::serverMillis).toList());
        table.row("burst POST→ALLOCATED p50 / p99 (" + BURST + " apps, " + CLIENTS + " clients)",
                ms(conClient.percentile(50)) + " / " + ms(conClient.percentile(99)), "–");
        table.row("burst, node timestamps (NEW→ALLOCATED state) p50 / p99",
                ms(conServer.percentile(50)) + " / " + ms(conServer.percentile(99)), "–");
        Instant firstCreated = burst.samples().stream().map(Sample::createdAt).min(Instant::compareTo).orElseThrow();
        Instant lastAllocated = burst.samples().stream().map(Sample::allocatedAt).max(Instant::compareTo).orElseThrow();
        double burstRate = BURST / (millisBetween(firstCreated, lastAllocated) / 1000);
        table.row("burst allocations/s (node timestamps, first created → last ALLOCATED; all " + burst.samples().size()
                        + " ALLOCATED) vs sequential rate 1 / node p50 = " + String.format(Locale.ROOT, "%.0f /s", seqRate),
                String.format(Locale.ROOT, "%.0f /s = %.1f ×", burstRate, burstRate / seqRate),
                target(burstRate >= 3 * seqRate && burst.samples().size() == BURST, "≥ 3 ×"));
        Instant lastCreated = burst.samples().stream().map(Sample::createdAt).max(Instant::compareTo).orElseThrow();
        table.row("  … of which the creates alone (node timestamps, first → last created)",
                String.format(Locale.ROOT, "%.2f s = %.0f creates/s", millisBetween(firstCreated, lastCreated) / 1000,
                        BURST / (millisBetween(firstCreated, lastCreated) / 1000)), "–");
        table.row("for comparison: client view (first POST → last ALLOCATED seen)",
                String.format(Locale.ROOT, "%.0f /s", BURST / burst.seconds()), "–");
        finish(burst.samples().stream().map(Sample::uid).toList());

        progress(BURST + " applications waiting under maintenance, then maintenance off");
        Backlog backlog = allocateBacklog(servable, BURST);
        double backlogRate = BURST / (millisBetween(backlog.released(), backlog.lastAllocated()) / 1000);
        table.row("backlog of " + BURST + " (created under maintenance): allocations/s, maintenance off → last "
                        + "ALLOCATED (node timestamp), vs sequential rate " + String.format(Locale.ROOT, "%.0f /s", seqRate),
                String.format(Locale.ROOT, "%.0f /s = %.1f ×", backlogRate, backlogRate / seqRate), "–");
        table.row("  … its creates (node timestamps, first → last created, nothing else running)",
                String.format(Locale.ROOT, "%.2f s = %.0f creates/s", backlog.createSeconds(),
                        BURST / backlog.createSeconds()), "–");
        finish(backlog.uids());

        progress("idle CPU with none waiting: " + IDLE_WINDOW.toSeconds() + " s");
        stats.cpuUntilQuiet(stats.cpuSeconds(), QUIET_WINDOW_SECONDS, QUIET_SHARE, 180);
        double idleNone = idleShare();
        table.row("settled idle CPU with none waiting (" + IDLE_WINDOW.toSeconds() + " s)",
                String.format(Locale.ROOT, "%.1f %% of one core", idleNone * 100), "–");

        progress(ABSORBED + " creates refused with 400 (unknown label): " + ABSORB_WINDOW.toSeconds() + " s from the first");
        String unknownLabel = java.util.UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        double cpu0 = stats.cpuSeconds();
        List<Integer> refused = parallel(range(ABSORBED), i -> client.createApplicationStatus(unknownLabel));
        if (refused.stream().anyMatch(code -> code != 400)) {
            throw new IllegalStateException("a create with an unknown label was not refused with 400");
        }
        double refusedCpu = cpuOver(t0, cpu0);

        progress(ABSORBED + " unservable applications created at once: " + ABSORB_WINDOW.toSeconds() + " s from the first");
        long t1 = System.nanoTime();
        double cpu1 = stats.cpuSeconds();
        List<String> waiting = new ArrayList<>(parallel(range(ABSORBED), i -> client.createApplication(unservable).uid()));
        double absorbCpu = cpuOver(t1, cpu1);
        double quietAfter = stats.cpuUntilQuiet(cpu1, QUIET_WINDOW_SECONDS, QUIET_SHARE, 180);
        table.row("node CPU absorbing " + ABSORBED + " new unservable apps (" + ABSORB_WINDOW.toSeconds()
                        + " s from the first create), minus the same for " + ABSORBED + " creates refused with 400 ("
                        + String.format(Locale.ROOT, "%.2f s", refusedCpu) + ")",
                String.format(Locale.ROOT, "%.2f s (%.2f − %.2f)", absorbCpu - refusedCpu, absorbCpu, refusedCpu),
                target(absorbCpu - refusedCpu <= 2, "≤ 2 s"));
        table.row("  … quiet again (≤ " + Math.round(QUIET_SHARE * 100) + " % over " + Math.round(QUIET_WINDOW_SECONDS)
                        + " s) after", String.format(Locale.ROOT, "%.2f s of CPU", quietAfter), "–");

        progress("topping up to " + WAITING + " waiting, then " + IDLE_WINDOW.toSeconds() + " s of idle CPU");
        waiting.addAll(parallel(range(WAITING - ABSORBED), i -> client.createApplication(unservable).uid()));
        stats.cpuUntilQuiet(stats.cpuSeconds(), QUIET_WINDOW_SECONDS, QUIET_SHARE, 300);
        double idleShare = idleShare();
        table.row("settled idle CPU with " + WAITING + " waiting (" + IDLE_WINDOW.toSeconds() + " s)",
                String.format(Locale.ROOT, "%.1f %% of one core", idleShare * 100), target(idleShare <= 0.05, "≤ 5 %"));

        progress(SEQUENTIAL + " sequential allocations while " + WAITING + " wait");
        List<Sample> probes = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL; i++) {
            probes.add(allocateOne(servable));
        }
        List<String> notWaiting = parallel(waiting, uid -> client.state(uid).status()).stream()
                .filter(st -> !"NEW".equals(st)).toList();
        if (!notWaiting.isEmpty()) {
            throw new IllegalStateException(notWaiting.size() + " 'unservable' applications left NEW: " + notWaiting);
        }
        Latencies probe = Latencies.of(probes.stream().map(Sample::clientMillis).toList());
        Latencies probeServer = Latencies.of(probes.stream().map(Sample::serverMillis).toList());
        double ratio = probe.percentile(50) / seqClient.percentile(50);
        table.row("sequential POST→ALLOCATED p50 with " + WAITING + " waiting (" + SEQUENTIAL + " apps) vs none ("
                        + ms(seqClient.percentile(50)) + ")",
                ms(probe.percentile(50)) + String.format(Locale.ROOT, " = %.2f ×", ratio), target(ratio <= 1.3, "≤ 1.3 ×"));
        table.row("  … node timestamps p50 with " + WAITING + " waiting vs none (" + ms(seqServer.percentile(50)) + ")",
                ms(probeServer.percentile(50)) + String.format(Locale.ROOT, " = %.2f ×",
                        probeServer.percentile(50) / seqServer.percentile(50)), "–");
        finish(probes.stream().map(Sample::uid).toList());
        finish(waiting);

        String stateUid = probes.get(probes.size() - 1).uid();
        table.row("peak RSS of the node (VmRSS, sampled every 200 ms) under -Xmx" + MAX_HEAP + ", all phases above",
                String.format(Locale.ROOT, "%.0f MB", stats.peakRssMb()), target(stats.peakRssMb() <= 768, "≤ 768 MB"));
        progress("GET .../state with " + CLIENTS + " keep-alive connections: " + STATE_WARM_UP.toSeconds()
                + " s warm-up, " + STATE_WINDOW.toSeconds() + " s measured (" + load.tool() + ")");
        RequestRateLoad.Result state = load.run("/api/v1/application/" + stateUid + "/state", true, CLIENTS,
                STATE_WARM_UP, STATE_WINDOW);
        table.row("authenticated GET /api/v1/application/{uid}/state, " + CLIENTS + " keep-alive connections",
                rate(state), target(state.perSecond() >= 2000 && state.errors() == 0, "≥ 2000 req/s"));

        progress("GET /api/ (no auth) for comparison: " + BARE_WARM_UP.toSeconds() + " s warm-up, "
                + BARE_WINDOW.toSeconds() + " s measured");
        int bareKb = Math.round(client.publicBodyBytes("/api/") / 1024f);
        RequestRateLoad.Result bare = load.run("/api/", false, CLIENTS, BARE_WARM_UP, BARE_WINDOW);
        table.row("for comparison: GET /api/ (no auth, static " + bareKb + " KB OpenAPI YAML), " + CLIENTS + " connections",
                rate(bare), "–");
    }

    /** The share of one core the node uses over {@link #IDLE_WINDOW}. */
    private double idleShare() throws InterruptedException {
        double before = stats.cpuSeconds();
        Thread.sleep(IDLE_WINDOW.toMillis());
        return (stats.cpuSeconds() - before) / IDLE_WINDOW.toSeconds();
    }

    /** The node's CPU seconds from {@code cpuAtStart} until {@link #ABSORB_WINDOW} after {@code startNanos}. */
    private double cpuOver(long startNanos, double cpuAtStart) throws InterruptedException {
        long left = startNanos + ABSORB_WINDOW.toNanos() - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
        return stats.cpuSeconds() - cpuAtStart;
    }

    /** Posts one application and polls its state until ALLOCATED. */
    private Sample allocateOne(String labelUid) {
        long t0 = System.nanoTime();
        BenchClient.Created app = client.createApplication(labelUid);
        long deadline = t0 + ALLOCATION_TIMEOUT.toNanos();
        while (true) {
            BenchClient.State s = client.state(app.uid());
            long now = System.nanoTime();
            if ("ALLOCATED".equals(s.status())) {
                return new Sample(app.uid(), (now - t0) / 1e6, app.createdAt(), s.createdAt());
            }
            check(app.uid(), s, now, deadline);
            LockSupport.parkNanos(SINGLE_POLL_PAUSE_NANOS);
        }
    }

    /** Each client thread posts its share of applications back to back, then polls them round-robin. */
    private Concurrent allocateConcurrently(String labelUid, int count) throws Exception {
        int perClient = count / CLIENTS;
        Queue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicLong firstPost = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastAllocated = new AtomicLong(Long.MIN_VALUE);
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(() -> {
                go.await();
                List<BenchClient.Created> mine = new ArrayList<>();
                List<Long> postedAt = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    long t0 = System.nanoTime();
                    firstPost.accumulateAndGet(t0, Math::min);
                    mine.add(client.createApplication(labelUid));
                    postedAt.add(t0);
                }
                long deadline = System.nanoTime() + ALLOCATION_TIMEOUT.toNanos();
                boolean[] seen = new boolean[perClient];
                int left = perClient;
                while (left > 0) {
                    for (int i = 0; i < perClient; i++) {
                        if (seen[i]) {
                            continue;
                        }
                        BenchClient.Created app = mine.get(i);
                        BenchClient.State s = client.state(app.uid());
                        long now = System.nanoTime();
                        if ("ALLOCATED".equals(s.status())) {
                            seen[i] = true;
                            left--;
                            lastAllocated.accumulateAndGet(now, Math::max);
                            samples.add(new Sample(app.uid(), (now - postedAt.get(i)) / 1e6, app.createdAt(),
                                    s.createdAt()));
                        } else {
                            check(app.uid(), s, now, deadline);
                        }
                    }
                    LockSupport.parkNanos(ROUND_POLL_PAUSE_NANOS);
                }
                return null;
            });
        }
        List<Future<Void>> futures = clients.stream().map(pool::submit).toList();
        go.countDown();
        await(futures);
        return new Concurrent(List.copyOf(samples), (lastAllocated.get() - firstPost.get()) / 1e9);
    }

    /**
     * Creates {@code count} applications while the node is in maintenance (so none is voted for), then
     * ends maintenance and waits until all are ALLOCATED: how fast the election works off a queue it
     * finds, apart from the cost of receiving the creates.
     */
    private Backlog allocateBacklog(String labelUid, int count) throws Exception {
        client.maintenance(true);
        List<String> uids;
        Instant released;
        double createSeconds;
        try {
            List<BenchClient.Created> created = parallel(range(count), i -> client.createApplication(labelUid));
            uids = created.stream().map(BenchClient.Created::uid).toList();
            Instant first = created.stream().map(BenchClient.Created::createdAt).min(Instant::compareTo).orElseThrow();
            Instant last = created.stream().map(BenchClient.Created::createdAt).max(Instant::compareTo).orElseThrow();
            createSeconds = millisBetween(first, last) / 1000;
            Thread.sleep(BACKLOG_SETTLE.toMillis()); // passes under maintenance have seen them all
            released = Instant.now();
        } finally {
            client.maintenance(false);
        }
        long deadline = System.nanoTime() + ALLOCATION_TIMEOUT.toNanos();
        List<Instant> allocatedAt = new ArrayList<>();
        List<String> left = new ArrayList<>(uids);
        while (!left.isEmpty()) {
            List<BenchClient.State> states = parallel(left, client::state);
            List<String> still = new ArrayList<>();
            for (int i = 0; i < left.size(); i++) {
                BenchClient.State s = states.get(i);
                if ("ALLOCATED".equals(s.status())) {
                    allocatedAt.add(s.createdAt());
                } else {
                    check(left.get(i), s, System.nanoTime(), deadline);
                    still.add(left.get(i));
                }
            }
            left = still;
            LockSupport.parkNanos(ROUND_POLL_PAUSE_NANOS);
        }
        return new Backlog(uids, createSeconds, released, allocatedAt.stream().max(Instant::compareTo).orElseThrow());
    }

    /** Deallocates (or recalls) the applications and waits until the node has finished them all. */
    private void finish(Collection<String> uids) throws Exception {
        parallel(uids, uid -> {
            client.deallocate(uid);
            long deadline = System.nanoTime() + ALLOCATION_TIMEOUT.toNanos();
            while (!FINISHED.contains(client.state(uid).status())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("application " + uid + " was not deallocated within "
                            + ALLOCATION_TIMEOUT.toSeconds() + " s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            return uid;
        });
    }

    private <T, R> List<R> parallel(Collection<T> items, ThrowingFunction<T, R> work) throws Exception {
        List<Future<R>> futures = items.stream().map(item -> pool.submit(() -> work.apply(item))).toList();
        return await(futures);
    }

    private static <R> List<R> await(List<Future<R>> futures) throws Exception {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        List<R> results = new ArrayList<>();
        try {
            for (Future<R> f : futures) {
                results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("phase did not finish within " + PHASE_TIMEOUT.toSeconds() + " s", e);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
        return results;
    }

    private static void check(String uid, BenchClient.State s, long now, long deadline) {
        if (!"NEW".equals(s.status()) && !"ELECTED".equals(s.status())) {
            throw new IllegalStateException("application " + uid + " went to " + s.status() + " instead of ALLOCATED");
        }
        if (now > deadline) {
            throw new IllegalStateException("application " + uid + " not ALLOCATED within "
                    + ALLOCATION_TIMEOUT.toSeconds() + " s (still " + s.status() + ")");
        }
    }

    private static String target(boolean met, String target) {
        return target + (met ? " — met" : " — **missed**");
    }

    private static String rate(RequestRateLoad.Result r) {
        return String.format(Locale.ROOT, "%.0f req/s", r.perSecond())
                + (r.errors() == 0 ? "" : " (" + r.errors() + " of " + r.requests() + " failed)");
    }

    private static double millisBetween(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    private static void progress(String message) {
        System.err.println("# " + message);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "bench-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One timed allocation: seen by the polling client, and by the node's own state timestamps. */
    private record Sample(String uid, double clientMillis, Instant createdAt, Instant allocatedAt) {
        double serverMillis() {
            return millisBetween(createdAt, allocatedAt);
        }
    }

    private record Concurrent(List<Sample> samples, double seconds) {
    }

    private record Backlog(List<String> uids, double createSeconds, Instant released, Instant lastAllocated) {
    }

    @FunctionalInterface
    private interface ThrowingFunction<T, R> {
        R apply(T item) throws Exception;
    }
}
