package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.store.Entity;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.FishStoreContract;
import io.aquarium.fish.core.store.StoreException;
import io.aquarium.fish.core.store.UserQueryLimit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store contract on one persistent Ignite server node. Starting Ignite takes seconds, so the node
 * is shared by the class and its caches are emptied before each test; the reopen test restarts it on
 * the same work directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IgniteStoreTest extends FishStoreContract {
    private static final String INSTANCE = "fish-store-test";

    private Path workDir;
    /** The store that started (and owns) the node; tests get stores wrapping its node. */
    private IgniteStore owner;

    @BeforeAll
    void startNode() throws IOException {
        workDir = Files.createTempDirectory("fish-ignite-store");
        owner = startOwner();
    }

    @AfterAll
    void stopNode() {
        if (owner != null) {
            owner.close();
        }
        IgniteTestNodes.deleteRecursively(workDir);
    }

    private IgniteStore startOwner() {
        int port = IgniteTestNodes.freePort();
        return IgniteStore.start(IgniteTestNodes.config(workDir, INSTANCE, true, port, List.of(port)));
    }

    @Override
    protected FishStore newStore() {
        Ignite ignite = owner.ignite();
        for (String name : ignite.cacheNames()) {
            if (name.startsWith("fish_")) {
                ignite.cache(name).removeAll();
            }
        }
        return IgniteStore.wrap(ignite);
    }

    @Override
    protected FishStore reopenStore(FishStore current) {
        current.close();
        owner.close();
        owner = startOwner();
        return IgniteStore.wrap(owner.ignite());
    }

    @Override
    protected void limitUserQueries(FishStore target, UserQueryLimit limit) {
        ((IgniteStore) target).limitUserQueries(limit);
    }

    @Test
    void timesAreFixedWidthUtcTextSoFiltersCompareThemInTimeOrder() {
        Label old = label("old", 1, Instant.parse("2023-12-31T23:59:59.999999Z"));
        Label recent = label("new", 1, Instant.parse("2024-01-01T00:00:00.000001Z"));
        store.createLabel(recent);
        store.createLabel(old);

        assertEquals(List.of(recent), store.labels(parse("created_at >= '2024-01-01'")));
        assertEquals(List.of(old), store.labels(parse("created_at < '2024-01-01T00:00:00.000001Z'")));
        assertEquals(List.of(recent), store.labels(parse("created_at > '2023-12-31T23:59:59.999999Z'")));
        assertEquals("2024-01-01T00:00:00.000001Z", IgniteRows.time(recent.createdAt()));
        assertEquals("2024-03-01T10:00:00.000000Z", IgniteRows.time(Instant.parse("2024-03-01T10:00:00Z")));
        assertEquals(List.of(old, recent), store.labels(Filter.ALL));
    }

    private static Filter parse(String text) {
        return Filter.parse(text, Entity.LABEL.filterColumns());
    }

    @Test
    void filterColumnsAreQuotedAndWhitelisted() {
        assertEquals("\"WHEN\"", IgniteStore.columnSql(Entity.APPLICATION_TASK).apply("when"));
        assertEquals("\"LABEL_UID\"", IgniteStore.columnSql(Entity.APPLICATION).apply("label_uid"));
        assertThrows(IllegalArgumentException.class, () -> IgniteStore.columnSql(Entity.USER).apply("hash_hash"));
    }

    @Test
    void walUsesSmallSegmentsUnderTheWorkDirectory() throws IOException {
        Path wal = workDir.resolve("db").resolve("wal");
        try (Stream<Path> files = Files.walk(wal)) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().endsWith(".wal")).toList();
            assertTrue(!segments.isEmpty(), "no WAL segment under " + wal);
            for (Path segment : segments) {
                assertEquals(IgniteNodeConfiguration.WAL_SEGMENT_SIZE, Files.size(segment), segment.toString());
            }
        }
    }

    @Test
    void operationsOnAStoppedNodeFailAsStoreExceptionsWithoutValues() throws IOException {
        Path otherDir = Files.createTempDirectory("fish-ignite-stopped");
        int port = IgniteTestNodes.freePort();
        try {
            IgniteStore stopped = IgniteStore.start(
                    IgniteTestNodes.config(otherDir, "fish-stopped", false, port, List.of(port)));
            stopped.close();
            stopped.close();

            StoreException e = assertThrows(StoreException.class,
                    () -> stopped.createUser(user("alice", t(1), argon("secret-salt", (byte) 9))));

            assertTrue(e.getMessage().contains("create user"), e.getMessage());
            assertFalse(e.getMessage().contains("alice"), e.getMessage());
            assertFalse(e.getMessage().contains("secret-salt"), e.getMessage());
        } finally {
            IgniteTestNodes.deleteRecursively(otherDir);
        }
    }

    @Test
    void closingAWrappingStoreLeavesTheNodeRunning() {
        store.close();
        store.close();

        assertTrue(owner.ignite().cluster().state().active());
        store = IgniteStore.wrap(owner.ignite());
        assertEquals(List.of(), store.users(Filter.ALL));
    }
}
