package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.model.PasswordHash;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Argon2idHasherTest {
    private static final String VECTOR_PASSWORD = "abcdefghijklmnopqrstuvwxyz012345";
    private static final byte[] VECTOR_SALT = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VECTOR_KEY =
            HexFormat.of().parseHex("f3ca14a142596fe4b1c5441cc962cf88b8f7c59243abfbca89f34e24aa8c9e25");

    private final Argon2idHasher hasher = new Argon2idHasher(new SecureRandom());
    private final Argon2idHasher cheap = new Argon2idHasher(new SecureRandom(), 64, 1, 1);

    @Test
    void derivesTheOriginalsTestVector() {
        assertArrayEquals(VECTOR_KEY, hasher.deriveKey(VECTOR_PASSWORD, VECTOR_SALT, 65536, 1, 8, 32));
    }

    @Test
    void verifiesAHashStoredByTheOriginal() {
        PasswordHash stored = new PasswordHash("Argon2id", 65536, 1, 8, VECTOR_SALT, VECTOR_KEY);
        assertTrue(cheap.verify(VECTOR_PASSWORD, stored), "verify must use the stored parameters");
    }

    @Test
    void hashesWithTheOriginalsParametersAndVerifies() {
        PasswordHash hash = hasher.hash("s3cret");
        assertEquals("Argon2id", hash.algo());
        assertEquals(65536, hash.memoryKiB());
        assertEquals(1, hash.iterations());
        assertEquals(8, hash.threads());
        assertEquals(8, hash.salt().length);
        assertEquals(32, hash.hash().length);
        assertTrue(hasher.verify("s3cret", hash));
    }

    @Test
    void rejectsAWrongPassword() {
        PasswordHash hash = cheap.hash("s3cret");
        assertFalse(cheap.verify("s3cret ", hash));
        assertFalse(cheap.verify("", hash));
        assertTrue(cheap.verify("s3cret", hash));
    }

    @Test
    void usesAFreshSaltPerHash() {
        PasswordHash first = cheap.hash("same");
        PasswordHash second = cheap.hash("same");
        assertFalse(java.util.Arrays.equals(first.salt(), second.salt()));
        assertFalse(first.equals(second));
    }

    @Test
    void hashesNonAsciiPasswordsAsUtf8() {
        PasswordHash hash = cheap.hash("pässwörd");
        assertTrue(cheap.verify("pässwörd", hash));
        assertFalse(cheap.verify("passwort", hash));
    }

    @Test
    void neverMatchesZeroedOrMalformedHashes() {
        PasswordHash good = cheap.hash("pw");
        assertFalse(cheap.verify("pw", PasswordHash.ZEROED));
        assertFalse(cheap.verify("", PasswordHash.ZEROED));
        assertFalse(cheap.verify("pw", null));
        assertFalse(cheap.verify(null, good));
        assertFalse(cheap.verify("pw", withAlgo(good, "bcrypt")));
        assertFalse(cheap.verify("pw", new PasswordHash("Argon2id", 64, 1, 1, null, good.hash())));
        assertFalse(cheap.verify("pw", new PasswordHash("Argon2id", 64, 1, 1, good.salt(), null)));
        assertFalse(cheap.verify("pw", new PasswordHash("Argon2id", 64, 1, 1, good.salt(), new byte[0])));
        assertFalse(cheap.verify("pw", new PasswordHash("Argon2id", 0, 1, 1, good.salt(), good.hash())));
        assertFalse(cheap.verify("pw", new PasswordHash("Argon2id", 64, 0, 1, good.salt(), good.hash())));
        assertFalse(cheap.verify("pw", new PasswordHash("Argon2id", 64, 1, 0, good.salt(), good.hash())));
        // A corrupt row must not make a login allocate gigabytes.
        assertFalse(cheap.verify("pw", new PasswordHash("Argon2id", Integer.MAX_VALUE, 1, 1, good.salt(), good.hash())));
    }

    @Test
    void rejectsInvalidCostParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Argon2idHasher(new SecureRandom(), 8, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> new Argon2idHasher(new SecureRandom(), 64, 0, 1));
    }

    private static PasswordHash withAlgo(PasswordHash hash, String algo) {
        return new PasswordHash(algo, hash.memoryKiB(), hash.iterations(), hash.threads(), hash.salt(), hash.hash());
    }
}
