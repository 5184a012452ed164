package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.config.GoDuration;
import io.aquarium.fish.core.model.Resources;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an allocated resource expires: the definition's {@code lifetime} if set (and not "0"), else
 * the node's default; none or negative means it lives until deallocated.
 */
public final class LifetimePolicy {
    private final Duration nodeDefault;

    public LifetimePolicy(Duration nodeDefault) {
        this.nodeDefault = nodeDefault;
    }

    public Optional<Instant> expiry(Resources resources, Instant allocatedAt) {
        Duration lifetime = nodeDefault;
        String own = resources.lifetime();
        if (!own.isEmpty()) {
            Duration parsed = GoDuration.parseOrNull(own);
            if (parsed != null && !parsed.isZero()) {
                lifetime = parsed;
            }
        }
        if (lifetime == null || lifetime.isZero() || lifetime.isNegative()) {
            return Optional.empty();
        }
        return Optional.of(allocatedAt.plus(lifetime));
    }
}
