package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import static io.aquarium.fish.api.it.Configs.TEST_DRIVER;
import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.node;
import static io.aquarium.fish.api.it.Configs.testDefinition;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource lifetimes: the node's default and a label's own. Durations are measured between the
 * node's own state timestamps; the node and this test share the machine's clock.
 */
class LifetimeIT {
    /** "Expiry is exact to about a second"; more slack for a loaded 2-core machine. */
    private static final Duration LATE = Duration.ofSeconds(4);

    @RegisterExtension
    final FishNodes nodes = new FishNodes();

    @Test
    void defaultLifetimeDeallocates(@TempDir Path dir) {
        FishApi api = nodes.start("node-1", dir, node("node-1", "default_resource_lifetime: 2s\n" + TEST_DRIVER)).api();
        String app = api.createApplication(api.createLabel(label("test-label", testDefinition(1, 2))));

        Instant allocated = createdAt(api.awaitAllocated(app));
        JsonNode ended = Poll.until("the lifetime to end " + app, Duration.ofSeconds(30), () -> api.state(app),
                s -> !"ALLOCATED".equals(s.path("status").asText()));
        assertLifetime(Duration.ofSeconds(2), allocated, ended);
        api.awaitStatus(app, "DEALLOCATED", Duration.ofSeconds(15));
    }

    @Test
    void labelLifetimeOverridesTheDefault(@TempDir Path dir) {
        FishApi api = nodes.start("node-1", dir, node("node-1", "default_resource_lifetime: 1s\n" + TEST_DRIVER)).api();
        String app = api.createApplication(api.createLabel(label("test-label",
                "{\"driver\":\"test\",\"resources\":{\"cpu\":1,\"ram\":2,\"lifetime\":\"4s\"}}")));

        Instant allocated = createdAt(api.awaitAllocated(app));
        // Well past the node's 1 s default: the label's 4 s applies.
        Duration left = Duration.between(Instant.now(), allocated.plusMillis(2500));
        if (!left.isNegative()) {
            api.assertStaysStatus(app, "ALLOCATED", left);
        }
        JsonNode ended = Poll.until("the lifetime to end " + app, Duration.ofSeconds(30), () -> api.state(app),
                s -> !"ALLOCATED".equals(s.path("status").asText()));
        assertLifetime(Duration.ofSeconds(4), allocated, ended);
        api.awaitStatus(app, "DEALLOCATED", Duration.ofSeconds(15));
    }

    /** A lifetime that ran out while the node was down ends right after the next start. */
    @Test
    void lifetimeIsKeptAcrossARestart(@TempDir Path dir) {
        FishProcess node = nodes.start("node-1", dir, node("node-1", TEST_DRIVER));
        FishApi api = node.api();
        String app = api.createApplication(api.createLabel(label("test-label",
                "{\"driver\":\"test\",\"resources\":{\"cpu\":1,\"ram\":2,\"lifetime\":\"3s\"}}")));
        Instant allocated = createdAt(api.awaitAllocated(app));
        node.stop();
        Duration left = Duration.between(Instant.now(), allocated.plusSeconds(3));
        if (!left.isNegative()) {
            Poll.pause(left);
        }

        FishApi restarted = node.start().api();
        Instant started = Instant.now();
        JsonNode ended = restarted.awaitStatus(app, "DEALLOCATED", Duration.ofSeconds(30));
        Duration after = Duration.between(started, createdAt(ended));
        assertTrue(after.compareTo(LATE) <= 0, "deallocated " + after + " after the restart: " + ended);
    }

    /** {@code ended} is the first state seen after ALLOCATED: DEALLOCATE, or DEALLOCATED when that was quicker than a poll. */
    private static void assertLifetime(Duration lifetime, Instant allocated, JsonNode ended) {
        Duration lived = Duration.between(allocated, createdAt(ended));
        // 100 ms for the truncation of the two timestamps and the scheduler's tick.
        assertTrue(lived.compareTo(lifetime.minusMillis(100)) >= 0, "expired early after " + lived + ": " + ended);
        assertTrue(lived.compareTo(lifetime.plus(LATE)) <= 0, "expired late after " + lived + ": " + ended);
    }

    private static Instant createdAt(JsonNode state) {
        return OffsetDateTime.parse(state.path("created_at").asText()).toInstant();
    }
}
