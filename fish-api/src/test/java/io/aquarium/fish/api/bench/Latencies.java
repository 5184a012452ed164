package io.aquarium.fish.api.bench;

import java.util.Arrays;
import java.util.Collection;

/** Latency samples in milliseconds, sorted; percentiles by the nearest-rank method. */
record Latencies(double[] sortedMillis) {
    static Latencies of(Collection<Double> millis) {
        double[] a = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return new Latencies(a);
    }

    /** {@code p} in (0, 100]. */
    double percentile(double p) {
        if (sortedMillis.length == 0) {
            throw new IllegalStateException("no samples");
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedMillis.length);
        return sortedMillis[Math.max(0, rank - 1)];
    }

    double max() {
        return percentile(100);
    }

    int count() {
        return sortedMillis.length;
    }
}
