package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.model.ApplicationStatus;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteException;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.cache.CacheException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Brings the SQL schema of a store created by an earlier version up to {@link IgniteTable}'s. Ignite
 * keeps a persisted cache's SQL columns and indexes as first created: {@code getOrCreateCaches} does not
 * add what a later version declares, so each addition is also made here with idempotent DDL, and rows
 * written before it get their value.
 *
 * <p>History retention added {@code application_current.finished_at} (with an index) and an index on
 * {@code service_mappings.application_uid}; finished applications of the earlier version get their
 * finish time from the copy of their final state the entry holds.
 */
final class IgniteSchemaUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(IgniteSchemaUpgrade.class);
    private static final String CURRENT = IgniteTable.APPLICATION_CURRENT.tableName();

    private IgniteSchemaUpgrade() {
    }

    /** Adds what is missing; a store created by this version has it all and only pays one probe. */
    static void apply(Ignite ignite, IgniteCache<String, BinaryObject> current) {
        if (answers(current, "SELECT finished_at FROM " + CURRENT + " WHERE 1 = 0")) {
            return;
        }
        LOG.info("Ignite store: adding {}.finished_at and its index (history retention) to a store made by an"
                + " earlier version", CURRENT);
        run(current, "ALTER TABLE " + CURRENT + " ADD COLUMN IF NOT EXISTS finished_at VARCHAR");
        run(current, "CREATE INDEX IF NOT EXISTS " + CURRENT + "_finished_at_application_uid ON " + CURRENT
                + " (finished_at, application_uid)");
        String mappings = IgniteTable.SERVICE_MAPPINGS.tableName();
        run(current, "CREATE INDEX IF NOT EXISTS " + mappings + "_application_uid ON " + mappings + " (application_uid)");
        int filled = backfill(current);
        LOG.info("Ignite store: finish time recorded for {} finished application(s)", filled);
    }

    /**
     * Sets finished_at from the held copy of the final state, with a {@code replace} of the exact entry
     * read: a racing write wins (nothing moves an application out of a final status, so it can only be
     * another node doing the same).
     */
    private static int backfill(IgniteCache<String, BinaryObject> current) {
        String finals = Arrays.stream(ApplicationStatus.values()).filter(ApplicationStatus::isFinal)
                .map(status -> "'" + status.name() + "'").collect(Collectors.joining(", "));
        List<String> keys = new ArrayList<>();
        try (FieldsQueryCursor<List<?>> rows = current.query(sql("SELECT application_uid FROM " + CURRENT
                + " WHERE status IN (" + finals + ") AND finished_at IS NULL"))) {
            rows.forEach(row -> keys.add((String) row.get(0)));
        }
        int filled = 0;
        for (String key : keys) {
            BinaryObject entry = current.get(key);
            if (entry != null && entry.field("finished_at") == null && current.replace(key, entry,
                    entry.toBuilder().setField("finished_at", entry.<String>field("state_created_at"), String.class)
                            .build())) {
                filled++;
            }
        }
        return filled;
    }

    private static boolean answers(IgniteCache<String, BinaryObject> cache, String query) {
        try (FieldsQueryCursor<List<?>> rows = cache.query(sql(query))) {
            rows.getAll();
            return true;
        } catch (IgniteException | CacheException e) {
            return false;
        }
    }

    private static void run(IgniteCache<String, BinaryObject> cache, String ddl) {
        try (FieldsQueryCursor<List<?>> rows = cache.query(sql(ddl))) {
            rows.getAll();
        }
    }

    private static SqlFieldsQuery sql(String text) {
        return new SqlFieldsQuery(text).setSchema(IgniteNodeConfiguration.SQL_SCHEMA);
    }
}
