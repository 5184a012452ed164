package io.aquarium.fish.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetaTokensTest {
    @TempDir
    Path dir;

    @Test
    void aTokenNamesItsApplicationUnderItsKeyOnly() {
        MetaTokens tokens = new MetaTokens(new byte[32]);
        UUID app = UUID.randomUUID();
        String token = tokens.tokenFor(app);
        assertTrue(token.matches(app + "\\.[A-Za-z0-9_-]{43}"), token);
        assertEquals(token, tokens.tokenFor(app), "stateless: the same token every time");
        assertEquals(Optional.of(app), tokens.applicationOf(token));
        assertNotEquals(token, tokens.tokenFor(UUID.randomUUID()));

        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertEquals(Optional.empty(), new MetaTokens(otherKey).applicationOf(token));
        assertEquals(Optional.empty(), tokens.applicationOf(UUID.randomUUID() + token.substring(36)));
        assertEquals(Optional.empty(), tokens.applicationOf(token.substring(0, token.length() - 1)));
        assertEquals(Optional.empty(), tokens.applicationOf(null));
        assertEquals(Optional.empty(), tokens.applicationOf(token + "===="));
        assertThrows(IllegalArgumentException.class, () -> new MetaTokens(new byte[16]));
    }

    @Test
    void theKeyFileIsMadeOnceOwnerOnlyAndReadAfterwards() throws IOException {
        Path file = dir.resolve("meta_token.key");
        byte[] key = SecretKeyFile.loadOrCreate(file, 32, new SecureRandom());
        assertEquals(32, key.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(key, SecretKeyFile.loadOrCreate(file, 32, new SecureRandom()));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }

        Files.write(file, new byte[5]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretKeyFile.loadOrCreate(file, 32, new SecureRandom()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
