package io.aquarium.fish.core.error;

import java.time.Duration;
import java.util.Objects;

/**
 * A refusal that passes: the node is busy ({@link Kind#UNAVAILABLE}) or the caller must slow down
 * ({@link Kind#TOO_MANY_REQUESTS}). {@link #retryAfter()} tells the client when trying again makes
 * sense (the API sends it as {@code Retry-After}).
 */
public final class RetryLaterException extends FishException {
    private final Duration retryAfter;

    public RetryLaterException(Kind kind, String message, Duration retryAfter) {
        super(kind, message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
