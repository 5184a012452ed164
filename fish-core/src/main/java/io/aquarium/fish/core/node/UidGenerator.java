package io.aquarium.fish.core.node;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * New object UIDs: random version-4 UUIDs whose first 6 bytes are the creating node's UID prefix,
 * so any UID tells which node made it. That leaves 74 random bits, plenty per node.
 */
public final class UidGenerator {
    private static final int NODE_PREFIX_BYTES = 6;

    private final byte[] nodePrefix;
    private final SecureRandom random;

    public UidGenerator(UUID nodeUid, SecureRandom random) {
        Objects.requireNonNull(nodeUid, "nodeUid");
        this.random = Objects.requireNonNull(random, "random");
        this.nodePrefix = Arrays.copyOf(
                ByteBuffer.allocate(8).putLong(nodeUid.getMostSignificantBits()).array(), NODE_PREFIX_BYTES);
    }

    public UUID next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        System.arraycopy(nodePrefix, 0, bytes, 0, NODE_PREFIX_BYTES);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
