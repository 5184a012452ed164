package io.aquarium.fish.core.metrics;

import java.time.Duration;

/**
 * What the node's core reports for metrics, without depending on a metrics library: fish-api
 * implements it (Micrometer, {@code GET /metrics}); tests and simulated nodes use {@link #NOOP}.
 * Implementations must be cheap and must not throw.
 */
public interface FishMetrics {
    FishMetrics NOOP = new FishMetrics() {
    };

    /**
     * An allocation attempt on this node ended: {@code allocated} true when the application became
     * ALLOCATED ({@code sinceCreated}: from the application's creation), false when the driver or the
     * store failed it.
     */
    default void allocationEnded(String driver, boolean allocated, Duration sinceCreated) {
    }

    /** One election pass ran, taking {@code took}. */
    default void electionPass(Duration took) {
    }
}
