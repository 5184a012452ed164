package io.aquarium.fish.core.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquarium.fish.core.store.Entity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rendered filters run as real parameterised SQL against H2 and select the right rows. */
class FilterH2Test {
    private static final Set<String> COLUMNS = Entity.LABEL.filterColumns();

    private Connection db;

    @BeforeEach
    void createTable() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:filter_" + UUID.randomUUID());
        try (Statement st = db.createStatement()) {
            st.execute("CREATE TABLE label (uid UUID PRIMARY KEY, name VARCHAR NOT NULL, version INT NOT NULL,"
                    + " metadata VARCHAR)");
            st.execute("CREATE TABLE \"user\" (name VARCHAR PRIMARY KEY)");
            st.execute("INSERT INTO \"user\" VALUES ('admin')");
        }
        insert("ubuntu", 1, null);
        insert("ubuntu", 2, "{}");
        insert("macos", 1, "{\"a\":1}");
        insert("it's", 5, null);
        insert("win_11", 3, null);
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private void insert(String name, int version, String metadata) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO label VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, name);
            ps.setInt(3, version);
            ps.setString(4, metadata);
            ps.executeUpdate();
        }
    }

    /** name:version of matching rows, in a stable order. */
    private List<String> select(String filter) throws SQLException {
        SqlWhere where = Filter.parse(filter, COLUMNS).toSql(c -> '"' + c.toUpperCase(Locale.ROOT) + '"');
        String sql = "SELECT name, version FROM label WHERE " + where.sql() + " ORDER BY name, version";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < where.params().size(); i++) {
                ps.setObject(i + 1, where.params().get(i));
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getInt(2));
                }
            }
            return rows;
        }
    }

    private int count(String table) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void selectsTheRightRows() throws SQLException {
        assertEquals(List.of("ubuntu:1", "ubuntu:2"), select("name='ubuntu'"));
        assertEquals(List.of("ubuntu:2"), select("name='ubuntu' AND version=2"));
        assertEquals(List.of("ubuntu:1", "ubuntu:2"), select("name=\"ubuntu\""));
        assertEquals(List.of("it's:5"), select("name = 'it''s'"));
        assertEquals(List.of("it's:5", "macos:1", "win_11:3"), select("name <> 'ubuntu'"));
        assertEquals(List.of("it's:5", "ubuntu:2", "win_11:3"), select("version >= 2"));
        assertEquals(List.of("macos:1", "ubuntu:1"), select("version < 1.5"));
        assertEquals(List.of("ubuntu:1", "ubuntu:2"), select("name LIKE 'ub%'"));
        assertEquals(List.of("it's:5", "macos:1", "win_11:3"), select("name NOT LIKE 'ub%'"));
        assertEquals(List.of("macos:1", "win_11:3"), select("version IN (1, 3) AND name != 'ubuntu'"));
        assertEquals(List.of("it's:5", "ubuntu:2"), select("version NOT IN (1, 3)"));
        assertEquals(List.of("macos:1", "ubuntu:2"), select("metadata IS NOT NULL"));
        assertEquals(List.of("it's:5", "ubuntu:1", "win_11:3"), select("metadata is null"));
        assertEquals(List.of("macos:1", "ubuntu:1", "win_11:3"),
                select("NOT (name = 'ubuntu' AND version = 2) AND version < 4"));
        assertEquals(List.of("macos:1", "ubuntu:1"), select("version = 1 OR name = 'x' AND version = 2"));
    }

    @Test
    void unparsableAndBlankFilters() throws SQLException {
        assertEquals(List.of(), select("name IN (DROP label)"));
        assertEquals(List.of(), select("bogus = 1"));
        assertEquals(5, select("").size());
    }

    @Test
    void injectionAttemptsLeaveTheDatabaseIntact() throws SQLException {
        assertEquals(List.of(), select("name = 'x'; DROP TABLE label"));
        assertEquals(List.of(), select("name=''' OR ''1''=''1'"));
        assertEquals(List.of(), select("name='a' OR 1=1"));
        assertEquals(List.of(), select("name = 'x'; DELETE FROM \"user\""));
        assertEquals(List.of(), select("name = 'x''); DELETE FROM label; --'"));
        assertEquals(5, count("label"));
        assertEquals(1, count("\"user\""));
    }

    @Test
    void longChainsRunOnTheDatabase() throws SQLException {
        assertEquals(List.of("macos:1", "ubuntu:1"), select("version=1" + " OR version=1".repeat(300)));
        String deep = "(".repeat(FilterParser.MAX_DEPTH) + "name='macos'" + ")".repeat(FilterParser.MAX_DEPTH);
        assertEquals(List.of("macos:1"), select(deep));
    }
}
