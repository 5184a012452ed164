package io.aquarium.fish.core.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A node's answer for an application in one election round: the lowest definition index it can
 * serve now, or -1. Unique per (application, node, round).
 */
public record Vote(UUID uid, Instant createdAt, UUID applicationUid, UUID nodeUid, int round, int available, long rand) {
    public static final int CANNOT_SERVE = -1;
}
