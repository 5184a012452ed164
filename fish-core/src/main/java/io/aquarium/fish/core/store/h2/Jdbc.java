package io.aquarium.fish.core.store.h2;

import io.aquarium.fish.core.model.RawJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Conversions between model values and H2 JDBC values, in one place. */
final class Jdbc {
    private Jdbc() {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, toJdbc(params[i]));
        }
    }

    private static Object toJdbc(Object value) {
        if (value instanceof Instant instant) {
            // Truncate, never round: a stored time must not move past the one given.
            return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        }
        if (value instanceof RawJson json) {
            return json.json();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static RawJson json(ResultSet rs, String column) throws SQLException {
        return new RawJson(rs.getString(column));
    }
}
