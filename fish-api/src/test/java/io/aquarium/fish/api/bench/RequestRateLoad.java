package io.aquarium.fish.api.bench;

import java.time.Duration;

/** Sends GET requests to one path over a fixed number of keep-alive connections for a bounded time. */
interface RequestRateLoad {
    /** A short name for the report, e.g. "wrk 4.1.0". */
    String tool();

    /**
     * Runs {@code warmUp} unmeasured, then measures {@code window}; stops by itself.
     *
     * @param authenticated sends the client's Basic credentials on every request
     */
    Result run(String path, boolean authenticated, int connections, Duration warmUp, Duration window)
            throws Exception;

    /** {@code perSecond} counts 2xx answers only. */
    record Result(double perSecond, long requests, long errors) {
    }
}
