package io.aquarium.fish.core.store.ignite;

import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.QueryIndex;
import org.apache.ignite.cache.QueryIndexType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One SQL-visible cache: its cache name, binary value type, key column, SQL columns and indexes.
 *
 * <p>Values are binary objects built field by field (no Java classes on the cluster), so a node
 * never needs another node's classes. Only the columns SQL filters, orders or looks up on are
 * declared here; the value holds every field. UIDs and times are strings: a UID compares with a
 * filter's {@code 'text'} as is (Calcite casts, never parses, a text parameter against a UUID or
 * TIMESTAMP column), and times are fixed-width UTC ISO-8601 with microseconds
 * ({@code 2024-03-01T10:00:00.123456Z}), so text order is time order and nothing is lost to SQL's
 * millisecond timestamps. A time filter therefore compares text: {@code created_at >= '2024-03-01'}
 * and full-precision literals work; a literal cut at the seconds ({@code '...T10:00:00Z'}) sorts after
 * the times within that second.
 */
enum IgniteTable {
    USERS("users", "FishUser", "name", columns("name", "created_at", "updated_at"),
            index("created_at", "name")),
    NODES("nodes", "FishNode", "uid", columns("uid", "created_at", "updated_at", "name", "location_name", "address"),
            index("created_at", "uid")),
    LABELS("labels", "FishLabel", "uid", columns("uid", "created_at", "name", "version:int", "metadata"),
            index("created_at", "uid"), index("name", "version")),
    APPLICATIONS("applications", "FishApplication", "uid",
            columns("uid", "created_at", "owner_name", "label_uid", "metadata"),
            index("created_at", "uid"), index("owner_name")),
    /**
     * Every state ever appended; {@code seq} is the per-application append order, {@code node_uid}
     * the node the state concerns (the elected node of ELECTED, else null).
     */
    APPLICATION_STATES("application_states", "FishApplicationState", "uid",
            columns("uid", "created_at", "application_uid", "status", "description", "node_uid", "seq:long"),
            index("application_uid", "seq")),
    /**
     * The compare-and-set target of a transition: one entry per application holding its newest
     * state (a copy), the number of states so far, the application's creation time (for ordering)
     * and, once its status is final, when it finished (the history retention sweep reads the oldest).
     */
    APPLICATION_CURRENT("application_current", "FishApplicationCurrent", "application_uid",
            columns("application_uid", "status", "app_created_at", "finished_at"),
            index("status"), index("app_created_at", "application_uid"), index("finished_at", "application_uid")),
    APPLICATION_TASKS("application_tasks", "FishApplicationTask", "uid",
            columns("uid", "created_at", "updated_at", "application_uid", "task", "when", "options", "result"),
            index("application_uid", "created_at", "uid")),
    RESOURCES("resources", "FishResource", "uid",
            columns("uid", "created_at", "updated_at", "application_uid", "node_uid", "label_uid",
                    "definition_index:int", "identifier", "ip_addr", "hw_addr", "metadata"),
            index("created_at", "uid"), index("node_uid", "ip_addr"), index("application_uid")),
    VOTES("votes", "FishVote", "uid",
            columns("uid", "created_at", "application_uid", "node_uid", "round:int", "available:int", "rand:long"),
            index("created_at", "uid"), index("application_uid", "round")),
    LOCATIONS("locations", "FishLocation", "name", columns("name", "created_at", "description"),
            index("created_at", "name")),
    SERVICE_MAPPINGS("service_mappings", "FishServiceMapping", "uid",
            columns("uid", "created_at", "service", "redirect", "location_name", "application_uid"),
            index("created_at", "uid"), index("application_uid"));

    /** Enough to inline a UID and a timestamp, the widest thing we index. */
    private static final int INDEX_INLINE_SIZE = 80;

    private final String tableName;
    private final String valueType;
    private final String keyColumn;
    private final LinkedHashMap<String, String> columns;
    private final List<String[]> indexes;

    IgniteTable(String tableName, String valueType, String keyColumn, LinkedHashMap<String, String> columns,
                String[]... indexes) {
        this.tableName = tableName;
        this.valueType = valueType;
        this.keyColumn = keyColumn;
        this.columns = columns;
        this.indexes = List.of(indexes);
    }

    String cacheName() {
        return "fish_" + tableName;
    }

    /** The SQL table name (Ignite upper-cases it; unquoted references match). */
    String tableName() {
        return tableName;
    }

    String valueType() {
        return valueType;
    }

    QueryEntity queryEntity() {
        List<QueryIndex> queryIndexes = new ArrayList<>();
        for (String[] fields : indexes) {
            LinkedHashMap<String, Boolean> ascending = new LinkedHashMap<>();
            for (String f : fields) {
                ascending.put(f, true);
            }
            QueryIndex index = new QueryIndex(ascending, QueryIndexType.SORTED)
                    .setName(tableName + "_" + String.join("_", fields));
            index.setInlineSize(INDEX_INLINE_SIZE);
            queryIndexes.add(index);
        }
        return new QueryEntity(String.class.getName(), valueType)
                .setTableName(tableName)
                .setKeyFieldName(keyColumn)
                .setFields(new LinkedHashMap<>(columns))
                .setIndexes(queryIndexes);
    }

    /** {@code "name"} is a String column; {@code "name:int"} and {@code "name:long"} are numbers. */
    private static LinkedHashMap<String, String> columns(String... specs) {
        LinkedHashMap<String, String> result = new LinkedHashMap<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            String name = colon < 0 ? spec : spec.substring(0, colon);
            String type = colon < 0 ? "string" : spec.substring(colon + 1);
            result.put(name, switch (type) {
                case "string" -> String.class.getName();
                case "int" -> Integer.class.getName();
                case "long" -> Long.class.getName();
                default -> throw new IllegalArgumentException("unknown column type " + type);
            });
        }
        return result;
    }

    private static String[] index(String... fields) {
        return fields;
    }
}
