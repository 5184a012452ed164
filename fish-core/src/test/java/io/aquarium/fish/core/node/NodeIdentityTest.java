package io.aquarium.fish.core.node;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeIdentityTest {
    private static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void uidIsTheKeysSha256AsAVersion5Uuid() throws Exception {
        KeyPair key = newKey();
        UUID uid = NodeIdentity.uidFromPublicKey(key.getPublic());

        assertEquals(5, uid.version());
        assertEquals(2, uid.variant());
        ByteBuffer digest = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(key.getPublic().getEncoded()));
        long versionMask = 0xF000L;
        long variantMask = 0xC000_0000_0000_0000L;
        assertEquals(digest.getLong(0) & ~versionMask, uid.getMostSignificantBits() & ~versionMask);
        assertEquals(digest.getLong(8) & ~variantMask, uid.getLeastSignificantBits() & ~variantMask);
    }

    @Test
    void uidIsDeterministicPerKey() throws Exception {
        KeyPair first = newKey();
        KeyPair second = newKey();
        assertEquals(NodeIdentity.uidFromPublicKey(first.getPublic()), NodeIdentity.uidFromPublicKey(first.getPublic()));
        assertNotEquals(NodeIdentity.uidFromPublicKey(first.getPublic()), NodeIdentity.uidFromPublicKey(second.getPublic()));
    }

    @Test
    void requiresUidAndName() {
        assertThrows(NullPointerException.class, () -> new NodeIdentity(null, "n"));
        assertThrows(NullPointerException.class, () -> new NodeIdentity(UUID.randomUUID(), null));
    }
}
