package io.aquarium.fish.core.election;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DroppedNodesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private final DroppedNodes dropped = new DroppedNodes();
    private final UUID node = UUID.randomUUID();

    @Test
    void aNodeIsMissingSinceTheFirstPassThatDidNotSeeIt() {
        assertEquals(Optional.empty(), dropped.observe(node, true, T0));
        assertEquals(Optional.of(T0.plusSeconds(5)), dropped.observe(node, false, T0.plusSeconds(5)));
        assertEquals(Optional.of(T0.plusSeconds(5)), dropped.observe(node, false, T0.plusSeconds(9)));
    }

    @Test
    void aNodeSeenAgainStartsOverWhenItGoesMissingAgain() {
        dropped.observe(node, false, T0);
        assertEquals(Optional.empty(), dropped.observe(node, true, T0.plusSeconds(3)));
        assertEquals(Optional.of(T0.plusSeconds(7)), dropped.observe(node, false, T0.plusSeconds(7)));
    }
}
