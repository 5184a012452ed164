package io.aquarium.fish.core.auth;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordGeneratorTest {
    private final PasswordGenerator generator = new PasswordGenerator(new SecureRandom());

    @Test
    void generates64AlphanumericCharacters() {
        String password = generator.generate();
        assertEquals(64, password.length());
        assertTrue(password.matches("[A-Za-z0-9]{64}"), password);
    }

    @Test
    void generatesDifferentPasswordsUsingTheWholeAlphabet() {
        Set<Character> seen = new HashSet<>();
        Set<String> passwords = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String password = generator.generate();
            passwords.add(password);
            password.chars().forEach(c -> seen.add((char) c));
        }
        assertEquals(200, passwords.size());
        assertEquals(62, seen.size());
        assertNotEquals(generator.generate(), generator.generate());
    }
}
