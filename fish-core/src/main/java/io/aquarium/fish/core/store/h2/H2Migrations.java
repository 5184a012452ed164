package io.aquarium.fish.core.store.h2;

import java.util.List;

/**
 * The schema, as an append-only list of steps. Never edit a released step: add the next one.
 *
 * <p>Timestamps are {@code TIMESTAMP(6) WITH TIME ZONE} so filters compare them as instants
 * ({@code created_at > '2024-01-01'}). Raw JSON is {@code VARCHAR}, not CLOB: it comes back byte-identical
 * and stays comparable in filters. {@code "WHEN"} is quoted because it is an SQL keyword.
 */
final class H2Migrations {
    private static final String TS = "TIMESTAMP(6) WITH TIME ZONE";

    private H2Migrations() {
    }

    static List<Migration> all() {
        return List.of(initialSchema(), electedNodeUid(), temporaryLabels(), historyRetention());
    }

    private static Migration initialSchema() {
        return new Migration(1, "initial schema", List.of(
                "CREATE TABLE users (name VARCHAR PRIMARY KEY, created_at " + TS + " NOT NULL, updated_at " + TS + ","
                        + " hash_algo VARCHAR, hash_memory INT, hash_iterations INT, hash_threads INT,"
                        + " hash_salt VARBINARY, hash_hash VARBINARY)",

                "CREATE TABLE nodes (uid UUID PRIMARY KEY, created_at " + TS + " NOT NULL, updated_at " + TS + ","
                        + " name VARCHAR NOT NULL, definition VARCHAR NOT NULL, location_name VARCHAR NOT NULL,"
                        + " address VARCHAR NOT NULL, pubkey VARCHAR)",

                "CREATE TABLE labels (uid UUID PRIMARY KEY, created_at " + TS + " NOT NULL, name VARCHAR NOT NULL,"
                        + " version INT NOT NULL, definitions VARCHAR NOT NULL, metadata VARCHAR NOT NULL)",
                "CREATE UNIQUE INDEX labels_name_version ON labels (name, version)",

                "CREATE TABLE applications (uid UUID PRIMARY KEY, created_at " + TS + " NOT NULL,"
                        + " owner_name VARCHAR NOT NULL, label_uid UUID NOT NULL, metadata VARCHAR NOT NULL)",
                "CREATE INDEX applications_created ON applications (created_at, uid)",
                "CREATE INDEX applications_owner ON applications (owner_name)",

                // seq is the append order: the history of an application, even when timestamps tie.
                "CREATE TABLE application_states (uid UUID PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY,"
                        + " created_at " + TS + " NOT NULL, application_uid UUID NOT NULL,"
                        + " status VARCHAR(16) NOT NULL, description VARCHAR NOT NULL)",
                "CREATE INDEX application_states_application ON application_states (application_uid, seq)",

                // The compare-and-set target of transition(): one row per application, pointing at its newest state.
                "CREATE TABLE application_current (application_uid UUID PRIMARY KEY, status VARCHAR(16) NOT NULL,"
                        + " state_uid UUID NOT NULL)",
                "CREATE INDEX application_current_status ON application_current (status)",

                "CREATE TABLE application_tasks (uid UUID PRIMARY KEY, created_at " + TS + " NOT NULL,"
                        + " updated_at " + TS + ", application_uid UUID NOT NULL, task VARCHAR NOT NULL,"
                        + " \"WHEN\" VARCHAR(16) NOT NULL, options VARCHAR NOT NULL, result VARCHAR NOT NULL,"
                        + " done BOOLEAN NOT NULL)",
                "CREATE INDEX application_tasks_application ON application_tasks (application_uid, created_at, uid)",

                "CREATE TABLE resources (uid UUID PRIMARY KEY, created_at " + TS + " NOT NULL, updated_at " + TS + ","
                        + " application_uid UUID NOT NULL, node_uid UUID NOT NULL, label_uid UUID NOT NULL,"
                        + " definition_index INT NOT NULL, identifier VARCHAR NOT NULL, ip_addr VARCHAR NOT NULL,"
                        + " hw_addr VARCHAR NOT NULL, metadata VARCHAR NOT NULL,"
                        + " auth_username VARCHAR, auth_password VARCHAR, auth_key VARCHAR, auth_port INT)",
                "CREATE UNIQUE INDEX resources_application ON resources (application_uid)",
                "CREATE INDEX resources_node_ip ON resources (node_uid, ip_addr)",

                "CREATE TABLE votes (uid UUID PRIMARY KEY, created_at " + TS + " NOT NULL, application_uid UUID NOT NULL,"
                        + " node_uid UUID NOT NULL, round INT NOT NULL, available INT NOT NULL, rand BIGINT NOT NULL)",
                "CREATE UNIQUE INDEX votes_application_node_round ON votes (application_uid, node_uid, round)",

                "CREATE TABLE locations (name VARCHAR PRIMARY KEY, created_at " + TS + " NOT NULL,"
                        + " description VARCHAR NOT NULL)",

                "CREATE TABLE service_mappings (uid UUID PRIMARY KEY, created_at " + TS + " NOT NULL,"
                        + " service VARCHAR NOT NULL, redirect VARCHAR NOT NULL, location_name VARCHAR NOT NULL,"
                        + " application_uid UUID NOT NULL)",
                "CREATE UNIQUE INDEX service_mappings_location_service_application"
                        + " ON service_mappings (location_name, service, application_uid)"));
    }

    /**
     * The node an ELECTED state concerns, by UID (null for other states). Read through the
     * application_current pointer like the rest of the state, so only application_states needs it.
     * ELECTED states written before this step named the node only in their description
     * ("Elected node: <name>"): they get the UID of the node row of that name (the freshest one if
     * several had it), so a node restarting on the new build still recognises its own allocations.
     */
    private static Migration electedNodeUid() {
        return new Migration(2, "elected node uid", List.of(
                "ALTER TABLE application_states ADD COLUMN node_uid UUID",
                "UPDATE application_states s SET node_uid = (SELECT n.uid FROM nodes n"
                        + " WHERE CONCAT('Elected node: ', n.name) = s.description"
                        + " ORDER BY n.updated_at DESC NULLS LAST, n.uid FETCH FIRST 1 ROW ONLY)"
                        + " WHERE s.status = 'ELECTED'"));
    }

    /**
     * Temporary labels (Fish v0.10): the creating user, who may see the label (a JSON array of user
     * names; empty = everyone) and when it expires. Labels written before this step were an admin's,
     * visible for everyone and permanent: "" and "[]" say so, remove_at stays null.
     */
    private static Migration temporaryLabels() {
        return new Migration(3, "temporary labels", List.of(
                "ALTER TABLE labels ADD COLUMN owner_name VARCHAR NOT NULL DEFAULT ''",
                "ALTER TABLE labels ADD COLUMN visible_for VARCHAR NOT NULL DEFAULT '[]'",
                "ALTER TABLE labels ADD COLUMN remove_at " + TS));
    }

    /**
     * History retention: when an application finished (the created_at of its final state), kept on the
     * application_current row next to the status it belongs to, so the sweep reads the oldest finished
     * ones through an index instead of scanning every state. Applications that finished before this
     * step get it from their current state. Deleting an application's service mappings looks them up
     * by application, which the unique index (location, service, application) cannot serve.
     */
    private static Migration historyRetention() {
        return new Migration(4, "history retention", List.of(
                "ALTER TABLE application_current ADD COLUMN finished_at " + TS,
                "UPDATE application_current c SET finished_at = (SELECT s.created_at FROM application_states s"
                        + " WHERE s.uid = c.state_uid) WHERE c.status IN ('RECALLED', 'DEALLOCATED', 'ERROR')",
                "CREATE INDEX application_current_finished ON application_current (finished_at, application_uid)",
                "CREATE INDEX service_mappings_application ON service_mappings (application_uid)"));
    }
}
