package io.aquarium.fish.core.election;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when this node has seen each other node missing from its cluster topology, from what the
 * election passes observe. An entry goes when the node is seen again, so it holds at most the nodes
 * that left and never came back.
 */
final class DroppedNodes {
    private final Map<UUID, Instant> missingSince = new ConcurrentHashMap<>();

    /** Records whether {@code node} is in the topology at {@code now}; returns since when it has been missing, if it is. */
    Optional<Instant> observe(UUID node, boolean present, Instant now) {
        if (present) {
            missingSince.remove(node);
            return Optional.empty();
        }
        return Optional.of(missingSince.computeIfAbsent(node, n -> now));
    }
}
