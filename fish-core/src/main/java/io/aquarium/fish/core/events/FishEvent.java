package io.aquarium.fish.core.events;

import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;

import java.util.UUID;

/** Something happened that may change an election's or a node's outcome. */
public sealed interface FishEvent {
    /** An application was created or changed status (locally or, in a cluster, on another node). */
    record ApplicationChanged(UUID applicationUid, ApplicationStatus status) implements FishEvent {
    }

    /** Driver work for an application finished on this node: capacity or state may have changed. */
    record JobFinished(UUID applicationUid) implements FishEvent {
    }

    /** A task was created for an application. */
    record TaskCreated(UUID applicationUid, UUID taskUid) implements FishEvent {
    }

    /** A node voted in an application's election (in a cluster: possibly another node); {@code nodeUid} is the voter. */
    record VoteCast(UUID applicationUid, UUID nodeUid) implements FishEvent {
    }

    /** A node's row changed: it joined, heartbeat, or changed its address. */
    record NodeChanged(UUID nodeUid) implements FishEvent {
    }

    /** This node's maintenance mode or shutdown request changed. */
    record MaintenanceChanged(boolean maintenance) implements FishEvent {
    }

    /** A label was created on this node. Carries the label: subscribers get the whole object. */
    record LabelCreated(Label label) implements FishEvent {
    }

    /** A label was deleted on this node. Carries the label as it was, since the store no longer has it. */
    record LabelRemoved(Label label) implements FishEvent {
    }
}
