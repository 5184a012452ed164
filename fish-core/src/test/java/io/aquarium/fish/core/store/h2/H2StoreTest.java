package io.aquarium.fish.core.store.h2;

import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.store.Entity;
import io.aquarium.fish.core.store.FinishedApplication;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.FishStoreContract;
import io.aquarium.fish.core.store.StoreException;
import io.aquarium.fish.core.store.UserQueryLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class H2StoreTest extends FishStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected FishStore newStore() {
        return H2Store.open(dataDir);
    }

    @Override
    protected FishStore reopenStore(FishStore current) {
        current.close();
        return H2Store.open(dataDir);
    }

    @Override
    protected void limitUserQueries(FishStore target, UserQueryLimit limit) {
        ((H2Store) target).limitUserQueries(limit);
    }

    @Test
    void createsTheDatabaseFileAndRecordsTheSchemaVersion() throws SQLException {
        assertTrue(Files.isRegularFile(dataDir.resolve("fish.mv.db")));
        assertEquals(H2Migrations.all().size(), schemaVersion());
    }

    @Test
    void createsAMissingDataDirectory() {
        Path nested = dataDir.resolve("a/b/fish_data");
        try (H2Store other = H2Store.open(nested)) {
            assertTrue(other.users(Filter.ALL).isEmpty());
        }
        assertTrue(Files.isRegularFile(nested.resolve("fish.mv.db")));
    }

    @Test
    void reopeningWithANewerBuildAppliesOnlyTheNewMigrations() throws SQLException {
        Label label = label("ubuntu", 1, t(1));
        store.createLabel(label);
        store.close();
        List<Migration> newer = new ArrayList<>(H2Migrations.all());
        int next = newer.size() + 1;
        newer.add(new Migration(next, "add a test table", List.of("CREATE TABLE migration_probe (id INT)")));

        store = H2Store.open(dataDir, newer);

        assertEquals(label, store.label(label.uid()).orElseThrow());
        assertEquals(next, schemaVersion());
        store.close();
        store = H2Store.open(dataDir, newer); // nothing left to apply: would fail if v-next ran twice
        assertEquals(label, store.label(label.uid()).orElseThrow());
    }

    /** Schema 2 records the elected node by UID; ELECTED states of a schema-1 database get it from the node's name. */
    @Test
    void upgradingGivesOldElectedStatesTheUidOfTheNodeTheirDescriptionNames() throws SQLException {
        store.close();
        Path v1 = dataDir.resolve("v1");
        H2Store old = H2Store.open(v1, H2Migrations.all().subList(0, 1));
        Node holder = node("node-1", "west", t(1), "{}");
        Node replaced = new Node(UUID.randomUUID(), t(0), t(0), "node-1", null, "", "", null);
        old.putNode(holder);
        old.putNode(replaced);
        old.close();
        UUID known = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        try (Connection c = connect(v1)) {
            insertV1State(c, known, "ELECTED", "Elected node: node-1");
            insertV1State(c, unknown, "ELECTED", "Elected node: node-9");
            insertV1State(c, fresh, "NEW", "Elected node: node-1");
        }

        store = H2Store.open(v1);

        assertEquals(holder.uid(), store.currentState(known).orElseThrow().nodeUid(), "the freshest node of that name");
        assertEquals("Elected node: node-1", store.currentState(known).orElseThrow().description());
        assertNull(store.currentState(unknown).orElseThrow().nodeUid(), "no node has that name");
        assertNull(store.currentState(fresh).orElseThrow().nodeUid(), "only ELECTED states name a node");
    }

    /** Schema 4 records when an application finished; finished applications of a schema-3 database get it from their final state. */
    @Test
    void upgradingGivesFinishedApplicationsTheirFinishTime() throws SQLException {
        store.close();
        Path v3 = dataDir.resolve("v3");
        H2Store.open(v3, H2Migrations.all().subList(0, 3)).close();
        List<UUID> apps = new ArrayList<>();
        try (Connection c = connect(v3)) {
            for (String status : List.of("DEALLOCATED", "ERROR", "NEW")) {
                apps.add(UUID.randomUUID());
                insertV1State(c, apps.get(apps.size() - 1), status, "");
            }
        }
        UUID deallocated = apps.get(0);
        UUID failed = apps.get(1);

        store = H2Store.open(v3);

        List<FinishedApplication> finished = store.finishedBefore(Instant.now().plusSeconds(3600), 10);
        assertEquals(Set.of(new FinishedApplication(deallocated, store.currentState(deallocated).orElseThrow().createdAt()),
                new FinishedApplication(failed, store.currentState(failed).orElseThrow().createdAt())),
                Set.copyOf(finished));
        assertEquals(2, finished.size());
    }

    /** An application whose only state is {@code status}, written as a schema-1 node wrote it. */
    private static void insertV1State(Connection c, UUID app, String status, String description) throws SQLException {
        UUID state = UUID.randomUUID();
        try (PreparedStatement a = c.prepareStatement("INSERT INTO applications (uid, created_at, owner_name,"
                + " label_uid, metadata) VALUES (?, CURRENT_TIMESTAMP, 'alice', ?, '{}')");
             PreparedStatement s = c.prepareStatement("INSERT INTO application_states (uid, created_at,"
                     + " application_uid, status, description) VALUES (?, CURRENT_TIMESTAMP, ?, ?, ?)");
             PreparedStatement p = c.prepareStatement("INSERT INTO application_current (application_uid, status,"
                     + " state_uid) VALUES (?, ?, ?)")) {
            a.setObject(1, app);
            a.setObject(2, UUID.randomUUID());
            a.executeUpdate();
            s.setObject(1, state);
            s.setObject(2, app);
            s.setString(3, status);
            s.setString(4, description);
            s.executeUpdate();
            p.setObject(1, app);
            p.setString(2, status);
            p.setObject(3, state);
            p.executeUpdate();
        }
    }

    @Test
    void openingADatabaseOfANewerBuildFailsClearly() {
        store.close();
        List<Migration> newer = new ArrayList<>(H2Migrations.all());
        int next = newer.size() + 1;
        newer.add(new Migration(next, "from the future", List.of("CREATE TABLE future (id INT)")));
        H2Store.open(dataDir, newer).close();

        StoreException e = assertThrows(StoreException.class, () -> H2Store.open(dataDir));

        assertTrue(e.getMessage().contains("schema version " + next), e.getMessage());
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        store = H2Store.open(dataDir, newer); // the failed open released the file
    }

    @Test
    void timestampsCompareAsInstantsInSql() throws SQLException {
        store.createLabel(label("old", 1, Instant.parse("2023-12-31T23:59:59.999999Z")));
        store.createLabel(label("new", 1, Instant.parse("2024-01-01T00:00:00.000001Z")));

        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM labels WHERE created_at > '2024-01-01 00:00:00Z'")) {
            assertTrue(rs.next());
            assertEquals("new", rs.getString(1));
            assertFalse(rs.next());
        }
    }

    @Test
    void resourcesByIpIsAnIndexedLookup() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "EXPLAIN SELECT uid FROM resources WHERE node_uid = ? AND ip_addr = ?")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, "10.0.0.1");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertTrue(rs.getString(1).contains("RESOURCES_NODE_IP"), rs.getString(1));
            }
        }
    }

    @Test
    void filterColumnsAreQuotedAndWhitelisted() {
        assertEquals("\"WHEN\"", H2Store.columnSql(Entity.APPLICATION_TASK).apply("when"));
        assertEquals("\"LABEL_UID\"", H2Store.columnSql(Entity.APPLICATION).apply("label_uid"));
        assertThrows(IllegalArgumentException.class, () -> H2Store.columnSql(Entity.USER).apply("hash_hash"));
    }

    @Test
    void databaseFailuresBecomeStoreExceptionsWithoutValues() {
        User broken = new User("alice", null, null, argon("secret-salt", (byte) 9));

        StoreException e = assertThrows(StoreException.class, () -> store.createUser(broken));

        assertTrue(e.getMessage().contains("create user"), e.getMessage());
        assertFalse(e.getMessage().contains("alice"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-salt"), e.getMessage());
    }

    @Test
    void closeIsIdempotent() {
        store.close();
        store.close();
        store = H2Store.open(dataDir);
        assertTrue(store.users(Filter.ALL).isEmpty());
    }

    private Connection connect() throws SQLException {
        return connect(dataDir);
    }

    private static Connection connect(Path directory) throws SQLException {
        return DriverManager.getConnection(H2Store.jdbcUrl(directory.toAbsolutePath().resolve("fish").toString()),
                "sa", "");
    }

    private int schemaVersion() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
