package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.election.ElectionTimings;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.NodeNameTakenException;
import io.aquarium.fish.core.store.h2.H2Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** node_name is unique among live nodes: rows and a time in, "refuse (holder)" or "allow (stale namesakes)" out. */
class UniqueNodeNameTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final ElectionTimings TIMINGS = ElectionTimings.forInterval(Duration.ofSeconds(5));
    private static final NodeIdentity ME = new NodeIdentity(UUID.randomUUID(), "node-2");

    @TempDir
    Path dir;

    @Test
    void anEmptyClusterAllowsAnyName() {
        assertEquals(allowed(List.of()), judge(List.of()));
    }

    @Test
    void theNodesOwnRowIsARestartNotAConflict() {
        Node mine = row(ME.uid(), "node-2", NOW.minusSeconds(1));

        assertEquals(allowed(List.of()), judge(List.of(mine)));
    }

    @Test
    void aLiveNodeWithAnotherUidHoldsTheName() {
        Node holder = row(UUID.randomUUID(), "node-2", NOW.minusSeconds(1));
        Node other = row(UUID.randomUUID(), "node-1", NOW);

        assertEquals(taken(holder), judge(List.of(other, holder)));
    }

    @Test
    void aHeartbeatExactlyAtTheStalenessWindowIsStillLive() {
        Node edge = row(UUID.randomUUID(), "node-2", NOW.minus(TIMINGS.nodeStaleAfter()));
        Node gone = row(UUID.randomUUID(), "node-2", NOW.minus(TIMINGS.nodeStaleAfter()).minusNanos(1000));

        assertEquals(taken(edge), judge(List.of(edge)));
        assertEquals(allowed(List.of(gone)), judge(List.of(gone)));
    }

    @Test
    void aStaleNamesakeIsAReplacedMachineAndDoesNotBlock() {
        Node replaced = row(UUID.randomUUID(), "node-2", NOW.minus(Duration.ofDays(3)));
        Node silent = row(UUID.randomUUID(), "node-2", null);

        assertEquals(allowed(List.of(replaced, silent)), judge(List.of(replaced, silent)));
    }

    @Test
    void theFreshestOfSeveralLiveNamesakesIsNamed() {
        Node older = row(UUID.randomUUID(), "node-2", NOW.minusSeconds(4));
        Node fresher = row(UUID.randomUUID(), "node-2", NOW.minusSeconds(1));
        Node stale = row(UUID.randomUUID(), "node-2", NOW.minusSeconds(60));

        assertEquals(new UniqueNodeName.Verdict(Optional.of(fresher), List.of(stale)),
                judge(List.of(older, stale, fresher)));
    }

    @Test
    void namesCompareExactly() {
        Node similar = row(UUID.randomUUID(), "Node-2", NOW);

        assertEquals(allowed(List.of()), judge(List.of(similar)));
    }

    @Test
    void ensureReadsTheStoreAndRefusesWithAClearMessage() {
        Node holder = row(UUID.randomUUID(), "node-2", NOW.minusSeconds(2));
        try (H2Store store = H2Store.open(dir)) {
            store.putNode(holder);
            store.putNode(row(UUID.randomUUID(), "node-2", NOW.minusSeconds(600)));

            NodeNameTakenException e = assertThrows(NodeNameTakenException.class,
                    () -> UniqueNodeName.ensure(store, ME, NOW, TIMINGS));

            assertEquals("Node name \"node-2\" is already used by live node " + holder.uid()
                    + " at 10.0.0.2:8001; choose another node_name", e.getMessage());
            assertEquals(holder.uid(), e.holderUid());
            // Once the holder falls silent, the name is free.
            UniqueNodeName.ensure(store, ME, NOW.plus(TIMINGS.nodeStaleAfter()).plusSeconds(1), TIMINGS);
        }
    }

    /** The whole node: refused before it writes anything while the namesake is live, started once it is not. */
    @Test
    void aNodeRefusesToStartUnderALiveNodesName() {
        Path data = dir.resolve("fish_data");
        Node holder = row(UUID.randomUUID(), "node-2", NOW);
        try (H2Store store = H2Store.open(data)) {
            store.putNode(holder);
        }
        FishConfig config = FishConfig.builder().nodeName("node-2").apiAddress("127.0.0.1:0").directory(data).build();

        NodeNameTakenException e = assertThrows(NodeNameTakenException.class,
                () -> FishNode.start(config, Clock.fixed(NOW, ZoneOffset.UTC), password -> { }, () -> { }));

        assertEquals(holder.uid(), e.holderUid());
        try (H2Store store = H2Store.open(data)) {
            assertEquals(List.of(), store.users(Filter.ALL), "no admin user created");
            assertEquals(List.of(holder), store.nodes(Filter.ALL), "not announced");
        }
        Clock later = Clock.fixed(NOW.plus(TIMINGS.nodeStaleAfter()).plusSeconds(1), ZoneOffset.UTC);
        try (FishNode node = FishNode.start(config, later, password -> { }, () -> { })) {
            assertEquals(1, node.store().users(Filter.ALL).size(), "the stale namesake no longer blocks the start");
        }
    }

    private static UniqueNodeName.Verdict judge(List<Node> rows) {
        return UniqueNodeName.judge(rows, ME, NOW, TIMINGS);
    }

    private static UniqueNodeName.Verdict allowed(List<Node> stale) {
        return new UniqueNodeName.Verdict(Optional.empty(), stale);
    }

    private static UniqueNodeName.Verdict taken(Node holder) {
        return new UniqueNodeName.Verdict(Optional.of(holder), List.of());
    }

    private static Node row(UUID uid, String name, Instant heartbeat) {
        return new Node(uid, NOW.minus(Duration.ofDays(10)), heartbeat, name, null, "", "10.0.0.2:8001", null);
    }
}
