package io.aquarium.fish.core.store.h2;

import io.aquarium.fish.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Brings a database up to the newest known {@link Migration}, refusing one written by a newer build. */
final class SchemaMigrator {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

    private final List<Migration> migrations;

    SchemaMigrator(List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("Migrations must be numbered 1, 2, 3... without gaps");
            }
        }
        this.migrations = List.copyOf(migrations);
    }

    int latestVersion() {
        return migrations.size();
    }

    /** Returns the version the database is at afterwards. */
    int migrate(Connection c, String databaseName) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY,"
                    + " description VARCHAR NOT NULL,"
                    + " applied_at TIMESTAMP(6) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
        }
        int current = currentVersion(c);
        if (current > latestVersion()) {
            throw new StoreException("The database " + databaseName + " has schema version " + current
                    + ", newer than this build of Aquarium Fish supports (" + latestVersion()
                    + "): run a newer build or use another data directory");
        }
        for (Migration m : migrations.subList(current, migrations.size())) {
            apply(c, m);
            log.info("Database {}: applied schema version {} ({})", databaseName, m.version(), m.description());
        }
        return latestVersion();
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // H2 commits DDL implicitly, so a step is not atomic; the version row goes last so a crashed step is visible.
    private static void apply(Connection c, Migration m) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : m.statements()) {
                s.execute(sql);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
            ps.setInt(1, m.version());
            ps.setString(2, m.description());
            ps.executeUpdate();
        }
    }
}
