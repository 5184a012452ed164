package io.aquarium.fish.core.store.h2;

import java.util.List;

/** One schema step: its statements run in order, then {@code version} is recorded in {@code schema_version}. */
record Migration(int version, String description, List<String> statements) {
    Migration {
        if (version < 1) {
            throw new IllegalArgumentException("Migration versions start at 1");
        }
        statements = List.copyOf(statements);
    }
}
