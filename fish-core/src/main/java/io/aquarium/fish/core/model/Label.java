package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Immutable, versioned recipe for a resource; (name, version) is unique.
 *
 * <p>Version 0 is a temporary label (v2's, Fish v0.10): it has a {@code removeAt}, after which no new
 * application may use it and it is removed once none of its applications is active.
 *
 * @param ownerName  the user who created it; "" for labels an admin created before owners were kept
 * @param visibleFor users who may see it besides its owner and admins; empty = everyone
 * @param removeAt   when a temporary label expires; null for every other label
 */
public record Label(UUID uid, Instant createdAt, String name, int version,
                    List<LabelDefinition> definitions, RawJson metadata,
                    String ownerName, List<String> visibleFor, Instant removeAt) {
    /** The version of temporary labels. */
    public static final int TEMPORARY = 0;

    public Label {
        definitions = List.copyOf(definitions);
        metadata = metadata == null ? RawJson.EMPTY_OBJECT : metadata;
        ownerName = ownerName == null ? "" : ownerName;
        visibleFor = visibleFor == null ? List.of() : List.copyOf(visibleFor);
    }

    /** A label without owner, visibility list or removal time (an admin's permanent label). */
    public Label(UUID uid, Instant createdAt, String name, int version, List<LabelDefinition> definitions,
                 RawJson metadata) {
        this(uid, createdAt, name, version, definitions, metadata, "", List.of(), null);
    }

    /** This label with every definition's credentials left out. */
    public Label withoutAuthentication() {
        return new Label(uid, createdAt, name, version,
                definitions.stream().map(LabelDefinition::withoutAuthentication).toList(), metadata,
                ownerName, visibleFor, removeAt);
    }

    /** The definition at {@code index} (a resource's {@code definition_index}), if the label has one there. */
    public Optional<LabelDefinition> definition(int index) {
        return index < 0 || index >= definitions.size() ? Optional.empty() : Optional.of(definitions.get(index));
    }

    /** Whether its removal time has come: it may no longer be used for new applications. */
    public boolean expiredAt(Instant now) {
        return removeAt != null && !now.isBefore(removeAt);
    }
}
