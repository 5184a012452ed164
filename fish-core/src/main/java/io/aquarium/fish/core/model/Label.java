package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Immutable, versioned recipe for a resource; (name, version) is unique. */
public record Label(UUID uid, Instant createdAt, String name, int version,
                    List<LabelDefinition> definitions, RawJson metadata) {
    public Label {
        definitions = List.copyOf(definitions);
        metadata = metadata == null ? RawJson.EMPTY_OBJECT : metadata;
    }

    /** This label with every definition's credentials left out. */
    public Label withoutAuthentication() {
        return new Label(uid, createdAt, name, version,
                definitions.stream().map(LabelDefinition::withoutAuthentication).toList(), metadata);
    }
}
