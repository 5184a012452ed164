package io.aquarium.fish.api.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Timings measured by the cluster scenarios: printed, and kept as a Markdown table in
 * {@code target/cluster-measurements.md} (one row per measurement, replaced when measured again).
 */
final class ClusterMeasurements {
    private static final String HEADER = "| measurement | value | notes | measured at |";
    private static final String RULE = "|---|---|---|---|";
    private static final Object FILE_LOCK = new Object();

    private ClusterMeasurements() {
    }

    static Path file() {
        Path logs = Path.of(System.getProperty(FishNodes.LOG_DIR_PROPERTY, "target/it-logs")).toAbsolutePath();
        return logs.getParent().resolve("cluster-measurements.md");
    }

    static void record(String measurement, Duration value, String notes) {
        record(measurement, millis(value), notes);
    }

    static void record(String measurement, String value, String notes) {
        String row = "| " + measurement + " | " + value + " | " + notes + " | "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " |";
        System.out.println("[cluster measurement] " + measurement + ": " + value + " (" + notes + ")");
        synchronized (FILE_LOCK) {
            Path file = file();
            try {
                List<String> rows = new ArrayList<>();
                if (Files.isRegularFile(file)) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        if (line.startsWith("| ") && !line.equals(HEADER)
                                && !line.startsWith("| " + measurement + " |")) {
                            rows.add(line);
                        }
                    }
                }
                rows.add(row);
                List<String> out = new ArrayList<>(List.of("# Cluster measurements (3 nodes on 127.0.0.1; split scenarios: 3 network namespaces)", "",
                        HEADER, RULE));
                out.addAll(rows);
                Files.createDirectories(file.getParent());
                Files.write(file, out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** Nearest-rank percentile of sorted samples. */
    static Duration percentile(List<Duration> sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
}
