package io.aquarium.fish.api.bench;

import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.store.h2.H2Store;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.aquarium.fish.api.bench.BenchTable.ms;
import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;

/**
 * History retention (issue #16): what {@value #SEEDED} finished applications in the store cost the API,
 * and what the sweep that removes them costs, against an empty store in the same run. The store is
 * seeded through {@link H2Store} in a node's data directory before the node starts (each application
 * NEW → ELECTED → ALLOCATED → DEALLOCATE → DEALLOCATED, finished 30 days ago, owned by another user).
 * An empty node runs beside it all along, and every measurement alternates between the two (one
 * request here, one there), so that load from outside (a shared machine) hits both alike:
 * <ol>
 *   <li>both with {@code history_retention: 0}: sequential POST→ALLOCATED p50/p99 after a warm-up, and the
 *       list of this user's {@value #ACTIVE} active applications
 *       ({@code GET /api/v1/application/?filter=owner_name='admin'});</li>
 *   <li>the seeded node restarted with {@code history_retention: 168h}: its sweep starts 10 s later, and
 *       sequential allocations are measured for {@code SWEEP_WINDOW} while it runs (it needs minutes for
 *       all of them), with how many it deleted.</li>
 * </ol>
 *
 * <p>{@code mvn -B -q -DskipTests package -Pbench} runs it after {@link AllocationBenchmark}.
 */
public final class RetentionBenchmark {
    static final int SEEDED = 100_000;
    private static final int ACTIVE = 20;
    private static final int WARM_UP = 200;
    private static final int SEQUENTIAL = 300;
    private static final int LISTS = 100;
    private static final int SEED_THREADS = 4;
    /** How long allocations are measured while the sweep runs (it needs minutes for all of them). */
    private static final Duration SWEEP_WINDOW = Duration.ofSeconds(60);
    private static final Duration ALLOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern DELETED = Pattern.compile("History retention: deleted (\\d+) ");
    /** Named per node process: the restarted one finds the label of the one before. */
    private static final String LABEL = """
            {"name":"bench-retention-%s","version":1,"definitions":[{"driver":"test","resources":{"cpu":1,"ram":1}}]}""";

    private final BenchTable table = new BenchTable();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "fish-api/target/aquarium-fish.jar");
        RetentionBenchmark bench = new RetentionBenchmark();
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory("fish-bench-retention-");
        progress("seeding " + SEEDED + " finished applications into " + dir + " (through the H2 store)");
        seed(dir.resolve("fish_data"));
        double seedSeconds = (System.nanoTime() - start) / 1e9;

        progress("an empty node and the seeded node, both history_retention 0, measured alternately");
        try (NodeProcess emptyNode = NodeProcess.start(jar, yml("0"))) {
            Target empty = prepare(emptyNode);
            String password;
            try (NodeProcess seededNode = NodeProcess.start(jar, yml("0"), dir, null)) {
                Target seeded = prepare(seededNode);
                Paired lists = lists(empty, seeded);
                Paired sequential = sequential(empty, seeded, n -> n < SEQUENTIAL);
                bench.table.row("sequential POST→ALLOCATED p50 (" + SEQUENTIAL + " apps each): empty / " + SEEDED + " finished",
                        ms(sequential.a().percentile(50)) + " / " + ms(sequential.b().percentile(50)),
                        ratio(sequential.b().percentile(50), sequential.a().percentile(50), 1.2));
                bench.table.row("sequential POST→ALLOCATED p99: empty / " + SEEDED + " finished",
                        ms(sequential.a().percentile(99)) + " / " + ms(sequential.b().percentile(99)), "–");
                bench.table.row("list of the user's " + ACTIVE + " active applications (filter=owner_name; the finished ones"
                                + " are another user's) p50: empty / " + SEEDED + " finished",
                        ms(lists.a().percentile(50)) + " / " + ms(lists.b().percentile(50)),
                        ratio(lists.b().percentile(50), lists.a().percentile(50), 1.2));
                password = seededNode.adminPassword();
                seededNode.keepWorkDirForRestart();
            }

            progress("the seeded node restarted with history_retention 168h: allocations while its sweep runs,"
                    + " alternately with the empty node");
            try (NodeProcess sweepingNode = NodeProcess.start(jar, yml("168h"), dir, password)) {
                Target sweeping = prepare(sweepingNode);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int before;
                while ((before = deleted(sweepingNode)) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no sweep within 60 s: " + sweepingNode.logTail(20));
                    }
                    Thread.sleep(100);
                }
                long sweepStart = System.nanoTime();
                Paired during = sequential(empty, sweeping,
                        n -> System.nanoTime() - sweepStart < SWEEP_WINDOW.toNanos());
                double seconds = (System.nanoTime() - sweepStart) / 1e9;
                int deleted = deleted(sweepingNode) - before;
                bench.table.row("sequential POST→ALLOCATED p99 while the sweep runs (" + during.b().count() + " apps each in "
                                + SWEEP_WINDOW.toSeconds() + " s): empty / sweeping",
                        ms(during.a().percentile(99)) + " / " + ms(during.b().percentile(99)),
                        ratio(during.b().percentile(99), during.a().percentile(99), 2.0));
                bench.table.row("p50 in the same window: empty / sweeping",
                        ms(during.a().percentile(50)) + " / " + ms(during.b().percentile(50)), "–");
                bench.table.row("finished applications the sweep deleted in that window", String.format(Locale.ROOT,
                        "%d (%.0f /s; all %d in ~%.0f min)", deleted, deleted / seconds, SEEDED,
                        SEEDED / (deleted / seconds) / 60), "–");
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "History retention: nodes as above (H2 store), an empty one and a seeded one"
                + " measured alternately so that load from outside hits both alike. Seeding %d finished applications"
                + " took %.0f s. Total run: %.0f s.%n%n", SEEDED, seedSeconds, (System.nanoTime() - start) / 1e9);
        bench.table.print();
    }

    /** A node under measurement, warmed up, with {@value #ACTIVE} applications of its admin left allocated. */
    private record Target(BenchClient client, String label) {
    }

    /** Samples of two targets taken alternately. */
    private record Paired(Latencies a, Latencies b) {
    }

    private static Target prepare(NodeProcess node) throws java.io.IOException {
        BenchClient client = new BenchClient(node.caCertificate(), node.address(), "admin", node.adminPassword());
        String label = client.createLabel(LABEL.formatted(UUID.randomUUID()));
        for (int i = 0; i < WARM_UP; i++) {
            finish(client, allocate(client, label).uid());
        }
        for (int i = 0; i < ACTIVE; i++) {
            allocate(client, label);
        }
        return new Target(client, label);
    }

    private static Paired lists(Target a, Target b) throws Exception {
        List<Double> as = new ArrayList<>();
        List<Double> bs = new ArrayList<>();
        for (int i = 0; i < LISTS; i++) {
            as.add(list(a));
            bs.add(list(b));
        }
        return new Paired(Latencies.of(as), Latencies.of(bs));
    }

    private static double list(Target target) throws Exception {
        HttpRequest list = target.client().request("/api/v1/application/?filter="
                + URLEncoder.encode("owner_name='admin'", StandardCharsets.UTF_8), true).GET().build();
        long t0 = System.nanoTime();
        if (target.client().sendDiscarding(list) != 200) {
            throw new IllegalStateException("list answered an error");
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** One allocation on {@code a}, then one on {@code b}, each deallocated after, while {@code more(count)}. */
    private static Paired sequential(Target a, Target b, java.util.function.IntPredicate more) {
        List<Double> as = new ArrayList<>();
        List<Double> bs = new ArrayList<>();
        while (more.test(as.size())) {
            for (Target t : List.of(a, b)) {
                Sample s = allocate(t.client(), t.label());
                (t == a ? as : bs).add(s.millis());
                finish(t.client(), s.uid());
            }
        }
        return new Paired(Latencies.of(as), Latencies.of(bs));
    }

    private record Sample(String uid, double millis) {
    }

    private static Sample allocate(BenchClient client, String label) {
        long t0 = System.nanoTime();
        String uid = client.createApplication(label).uid();
        long deadline = t0 + ALLOCATION_TIMEOUT.toNanos();
        while (!"ALLOCATED".equals(client.state(uid).status())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("application " + uid + " not ALLOCATED within "
                        + ALLOCATION_TIMEOUT.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return new Sample(uid, (System.nanoTime() - t0) / 1e6);
    }

    /** Deallocates so that the next allocation starts from the same capacity; does not wait for it. */
    private static void finish(BenchClient client, String uid) {
        client.deallocate(uid);
    }

    /** The applications the node's sweeps have deleted so far, from their log lines. */
    private static int deleted(NodeProcess node) {
        Matcher m = DELETED.matcher(node.log());
        int total = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        return total;
    }

    /** Writes the finished applications with the store the node uses, on a few threads. */
    private static void seed(Path dataDir) throws Exception {
        Instant base = Instant.now().minus(Duration.ofDays(30));
        UUID label = UUID.randomUUID();
        ExecutorService threads = Executors.newFixedThreadPool(SEED_THREADS);
        try (H2Store store = H2Store.open(dataDir)) {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < SEED_THREADS; t++) {
                int part = t;
                parts.add(threads.submit(() -> {
                    for (int i = part; i < SEEDED; i += SEED_THREADS) {
                        Instant at = base.plusMillis(i * 10L);
                        Application app = new Application(UUID.randomUUID(), at, "jenkins-old", label,
                                new RawJson("{\"JENKINS_URL\":\"http://ci/\",\"JENKINS_AGENT_NAME\":\"agent-" + i + "\"}"));
                        store.createApplication(app, new ApplicationState(UUID.randomUUID(), at, app.uid(), NEW, ""));
                        ApplicationStatus previous = NEW;
                        int step = 0;
                        for (ApplicationStatus next : List.of(ELECTED, ALLOCATED, DEALLOCATE, DEALLOCATED)) {
                            step++;
                            store.transition(app.uid(), previous, new ApplicationState(UUID.randomUUID(),
                                    at.plusMillis(step), app.uid(), next, "seeded"));
                            previous = next;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String yml(String retention) {
        return """
                node_name: bench-node
                api_address: 127.0.0.1:0
                history_retention: %s
                drivers:
                  - name: test
                    cfg: {}
                """.formatted(retention);
    }

    private static String ratio(double value, double baseline, double limit) {
        double r = value / baseline;
        return String.format(Locale.ROOT, "%.2f × (≤ %.1f × — %s)", r, limit, r <= limit ? "met" : "**missed**");
    }

    private static void progress(String message) {
        System.err.println("# " + message);
    }
}
