package io.aquarium.fish.api.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The API's request rates of two builds of the node, measured alternately in one run (A, B, A, B...),
 * so that a noisy shared machine weighs on both alike: what a change (e.g. metrics on every request)
 * costs. Each round starts the build's node afresh with the same config, allocates one application,
 * then loads its authenticated {@code GET .../state} and the unauthenticated static {@code GET /api/}.
 *
 * <pre>
 * mvn -B -q -DskipTests package -Pcompare-builds \
 *   -Dfish.compare.a=/tmp/before/aquarium-fish.jar -Dfish.compare.b=$PWD/fish-api/target/aquarium-fish.jar
 * </pre>
 */
public final class BuildComparisonBenchmark {
    private static final int ROUNDS = 4;
    private static final int CONNECTIONS = 50;
    private static final Duration STATE_WARM_UP = Duration.ofSeconds(20);
    private static final Duration STATE_WINDOW = Duration.ofSeconds(10);
    private static final Duration BARE_WARM_UP = Duration.ofSeconds(3);
    private static final Duration BARE_WINDOW = Duration.ofSeconds(6);
    private static final String FISH_YML = """
            node_name: compare-node
            api_address: 127.0.0.1:0
            drivers:
              - name: test
                cfg: {}
            """;
    private static final String LABEL = """
            {"name":"compare","version":1,"definitions":[{"driver":"test","resources":{"cpu":1,"ram":1}}]}""";

    private BuildComparisonBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BuildComparisonBenchmark <A: aquarium-fish.jar> <B: aquarium-fish.jar>");
            System.exit(2);
        }
        List<Path> jars = List.of(Path.of(args[0]), Path.of(args[1]));
        List<List<Double>> state = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> bare = List.of(new ArrayList<>(), new ArrayList<>());
        String tool = "";
        for (int round = 1; round <= ROUNDS; round++) {
            for (int build = 0; build < 2; build++) {
                System.err.println("# round " + round + ", build " + (build == 0 ? "A" : "B") + ": " + jars.get(build));
                try (NodeProcess node = NodeProcess.start(jars.get(build), FISH_YML, "512m")) {
                    BenchClient client = new BenchClient(node.caCertificate(), node.address(), "admin",
                            node.adminPassword());
                    RequestRateLoad load = "java".equals(System.getProperty("fish.bench.load"))
                            ? new JavaLoopLoad(client)
                            : WrkLoad.find(client, node.workDir()).<RequestRateLoad>map(w -> w)
                            .orElseGet(() -> new JavaLoopLoad(client));
                    tool = load.tool();
                    String app = client.createApplication(client.createLabel(LABEL)).uid();
                    RequestRateLoad.Result s = load.run("/api/v1/application/" + app + "/state", true, CONNECTIONS,
                            STATE_WARM_UP, STATE_WINDOW);
                    RequestRateLoad.Result b = load.run("/api/", false, CONNECTIONS, BARE_WARM_UP, BARE_WINDOW);
                    if (s.errors() > 0 || b.errors() > 0) {
                        throw new IllegalStateException("failed requests: " + s.errors() + " state, " + b.errors()
                                + " static");
                    }
                    state.get(build).add(s.perSecond());
                    bare.get(build).add(b.perSecond());
                }
            }
        }
        BenchTable table = new BenchTable();
        row(table, "authenticated GET /api/v1/application/{uid}/state, " + CONNECTIONS + " connections", state);
        row(table, "GET /api/ (no auth, static), " + CONNECTIONS + " connections", bare);
        System.out.println();
        System.out.printf(Locale.ROOT, "A: %s%nB: %s%nAlternating rounds: %d; load: %s; %d CPUs shared by "
                        + "node and client.%n%n", jars.get(0), jars.get(1), ROUNDS, tool,
                Runtime.getRuntime().availableProcessors());
        table.print();
    }

    private static void row(BenchTable table, String what, List<List<Double>> rates) {
        double a = median(rates.get(0));
        double b = median(rates.get(1));
        table.row(what + ": A / B (median of " + ROUNDS + "; rounds A " + list(rates.get(0)) + ", B "
                        + list(rates.get(1)) + ")",
                String.format(Locale.ROOT, "%.0f / %.0f req/s = B %.2f × A", a, b, b / a), "–");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String list(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }
}
