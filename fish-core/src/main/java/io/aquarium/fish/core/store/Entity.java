package io.aquarium.fish.core.store;

import java.util.Set;

/**
 * The stored kinds of object and the snake_case columns a {@code filter=} expression may name
 * (the whitelist the filter parser checks against). Column names are lower case; the parser
 * lower-cases identifiers, so {@code label_UID} and {@code label_uid} both work.
 */
public enum Entity {
    USER(Set.of("name", "created_at", "updated_at")),
    NODE(Set.of("uid", "created_at", "updated_at", "name", "location_name", "address")),
    LABEL(Set.of("uid", "created_at", "name", "version", "metadata")),
    APPLICATION(Set.of("uid", "created_at", "owner_name", "label_uid", "metadata")),
    APPLICATION_STATE(Set.of("uid", "created_at", "application_uid", "status", "description")),
    APPLICATION_TASK(Set.of("uid", "created_at", "updated_at", "application_uid", "task", "when", "options", "result")),
    RESOURCE(Set.of("uid", "created_at", "updated_at", "application_uid", "node_uid", "label_uid",
            "definition_index", "identifier", "ip_addr", "hw_addr", "metadata")),
    VOTE(Set.of("uid", "created_at", "application_uid", "node_uid", "round", "available", "rand")),
    LOCATION(Set.of("name", "created_at", "description")),
    SERVICE_MAPPING(Set.of("uid", "created_at", "service", "redirect", "location_name", "application_uid"));

    private final Set<String> filterColumns;

    Entity(Set<String> filterColumns) {
        this.filterColumns = filterColumns;
    }

    public Set<String> filterColumns() {
        return filterColumns;
    }
}
