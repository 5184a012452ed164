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
    private static final int CONCURRENT = 200;
    private static final int CLIENTS = 50;
    private static final int WAITING = 500;
    private static final int WAITING_PROBES = 5;
    private static final Duration STATE_WARM_UP = Duration.ofSeconds(25);
    private static final Duration STATE_WINDOW = Duration.ofSeconds(15);
    private static final Duration BARE_WARM_UP = Duration.ofSeconds(5);
    private static final Duration BARE_WINDOW = Duration.ofSeconds(10);
    /** Between two state polls of the one application being timed: the resolution of the sequential numbers. */
    private static final long SINGLE_POLL_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Between two polling rounds of a concurrent client over its applications. */
    private static final long ROUND_POLL_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
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
    private final BenchTable table = new BenchTable();

    private AllocationBenchmark(BenchClient client, ExecutorService pool) {
        this.client = client;
        this.pool = pool;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "fish-api/target/aquarium-fish.jar");
        long start = System.nanoTime();
        progress("starting the node: java -Xmx1g -jar " + jar + " -c <tmp>/fish.yml");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS, daemonThreads());
        try (NodeProcess node = NodeProcess.start(jar, FISH_YML)) {
            try {
                BenchClient client = new BenchClient(node.caCertificate(), node.address(), "admin", node.adminPassword());
                RequestRateLoad load = "java".equals(System.getProperty("fish.bench.load"))
                        ? new JavaLoopLoad(client)
                        : WrkLoad.find(client, node.workDir()).<RequestRateLoad>map(w -> w).orElseGet(() -> new JavaLoopLoad(client));
                AllocationBenchmark bench = new AllocationBenchmark(client, pool);
                bench.run(load);
                double total = (System.nanoTime() - start) / 1e9;
                System.out.println();
                System.out.printf(Locale.ROOT, "Node: separate process (`java -Xmx1g -jar aquarium-fish.jar`), H2 store, "
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

        progress(CONCURRENT + " concurrent allocations (" + CLIENTS + " client threads)");
        Concurrent concurrent = allocateConcurrently(servable);
        Latencies conClient = Latencies.of(concurrent.samples().stream().map(Sample::clientMillis).toList());
        Latencies conServer = Latencies.of(concurrent.samples().stream().map(Sample::serverMillis).toList());
        table.row("concurrent POST→ALLOCATED p50 (" + CONCURRENT + " apps, " + CLIENTS + " clients)",
                ms(conClient.percentile(50)), "–");
        table.row("concurrent POST→ALLOCATED p99", ms(conClient.percentile(99)), "–");
        table.row("concurrent, node timestamps (NEW→ALLOCATED state) p50 / p99",
                ms(conServer.percentile(50)) + " / " + ms(conServer.percentile(99)), "–");
        table.row("allocations per second (concurrent: first POST → last ALLOCATED seen)",
                String.format(Locale.ROOT, "%.0f /s", CONCURRENT / concurrent.seconds()), "–");
        finish(concurrent.samples().stream().map(Sample::uid).toList());

        progress(WAITING + " unservable applications, then " + WAITING_PROBES + " servable ones, one at a time");
        List<String> waiting = parallel(range(WAITING), i -> client.createApplication(unservable).uid());
        Thread.sleep(2_000); // let the node's election pass see them all before the first probe
        List<Sample> probes = new ArrayList<>();
        for (int i = 0; i < WAITING_PROBES; i++) {
            probes.add(allocateOne(servable));
        }
        List<String> notWaiting = parallel(waiting, uid -> client.state(uid).status()).stream()
                .filter(s -> !"NEW".equals(s)).toList();
        if (!notWaiting.isEmpty()) {
            throw new IllegalStateException(notWaiting.size() + " 'unservable' applications left NEW: " + notWaiting);
        }
        Latencies probe = Latencies.of(probes.stream().map(Sample::clientMillis).toList());
        table.row("one servable app while " + WAITING + " unservable wait: POST→ALLOCATED (median / max of "
                        + WAITING_PROBES + ")", ms(probe.percentile(50)) + " / " + ms(probe.max()),
                target(probe.max() <= 1000, "≤ 1 s"));
        finish(waiting);

        String stateUid = probes.get(probes.size() - 1).uid();
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

    /** Posts one application and polls its state until ALLOCATED. */
    private Sample allocateOne(String labelUid) {
        long t0 = System.nanoTime();
        BenchClient.Created app = client.createApplication(labelUid);
        long deadline = t0 + ALLOCATION_TIMEOUT.toNanos();
        while (true) {
            BenchClient.State s = client.state(app.uid());
            long now = System.nanoTime();
            if ("ALLOCATED".equals(s.status())) {
                return new Sample(app.uid(), (now - t0) / 1e6, millisBetween(app.createdAt(), s.createdAt()));
            }
            check(app.uid(), s, now, deadline);
            LockSupport.parkNanos(SINGLE_POLL_PAUSE_NANOS);
        }
    }

    /** Each client thread posts its share of applications back to back, then polls them round-robin. */
    private Concurrent allocateConcurrently(String labelUid) throws Exception {
        int perClient = CONCURRENT / CLIENTS;
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
                            samples.add(new Sample(app.uid(), (now - postedAt.get(i)) / 1e6,
                                    millisBetween(app.createdAt(), s.createdAt())));
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
    private record Sample(String uid, double clientMillis, double serverMillis) {
    }

    private record Concurrent(List<Sample> samples, double seconds) {
    }

    @FunctionalInterface
    private interface ThrowingFunction<T, R> {
        R apply(T item) throws Exception;
    }
}
