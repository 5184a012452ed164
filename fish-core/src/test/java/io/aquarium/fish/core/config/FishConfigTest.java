package io.aquarium.fish.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FishConfigTest {

    @Test
    void builderStartsFromTheDefaults() {
        FishConfig c = FishConfig.builder().nodeName("n").build();
        assertEquals("0.0.0.0:8001", c.apiAddress());
        assertEquals(Path.of("fish_data").toAbsolutePath(), c.directory());
        assertEquals(3, c.allocationRetry());
        assertEquals(Duration.ofSeconds(5), c.electionInterval());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void defaultNodeNameIsNeverBlank() {
        assertEquals(false, FishConfig.builder().build().nodeName().isBlank());
    }

    @Test
    void listsAreCopiedAndBlankOptionalStringsBecomeNull() {
        List<String> join = new ArrayList<>(List.of("a:1"));
        FishConfig c = FishConfig.builder().nodeName("n").clusterJoin(join).clusterAddress(" ").tlsKey("")
                .build();
        join.add("b:2");
        assertEquals(List.of("a:1"), c.clusterJoin());
        assertThrows(UnsupportedOperationException.class, () -> c.clusterJoin().add("c:3"));
        assertNull(c.clusterAddress());
        assertNull(c.tlsKey());
    }

    @Test
    void constructorValidatesLikeTheLoader() {
        FishConfig.Builder b = FishConfig.builder().nodeName("n");
        assertEquals("allocation_retry",
                assertThrows(ConfigException.class, () -> b.allocationRetry(0).build()).key());
        b.allocationRetry(1);
        assertEquals("election_interval",
                assertThrows(ConfigException.class, () -> b.electionInterval(null).build()).key());
        b.electionInterval(Duration.ofMillis(1));
        assertEquals("directory", assertThrows(ConfigException.class, () -> b.directory(null).build()).key());
        b.directory(Path.of("x"));
        assertEquals("cluster_quorum", assertThrows(ConfigException.class, () -> b.clusterQuorum(0).build()).key());
        b.clusterQuorum(1);
        assertEquals("drivers", assertThrows(ConfigException.class,
                () -> b.drivers(List.of(new DriverConfig("t"), new DriverConfig("t"))).build()).key());
        b.drivers(List.of(new DriverConfig("t"), new DriverConfig("t/x")));
        assertEquals(2, b.build().drivers().size());
    }
}
