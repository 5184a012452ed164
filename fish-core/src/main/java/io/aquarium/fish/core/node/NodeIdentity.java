package io.aquarium.fish.core.node;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Objects;
import java.util.UUID;

/** Who this node is: a UID derived from its TLS key (stable across restarts and renames) and its name. */
public record NodeIdentity(UUID uid, String name) {
    public NodeIdentity {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(name, "name");
    }

    /** A name-based UUID (version 5 bits, IETF variant) from the SHA-256 of the key's encoding. */
    public static UUID uidFromPublicKey(PublicKey key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        digest[6] = (byte) ((digest[6] & 0x0f) | 0x50);
        digest[8] = (byte) ((digest[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(digest, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
