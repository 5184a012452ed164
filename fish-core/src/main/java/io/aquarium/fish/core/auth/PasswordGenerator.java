package io.aquarium.fish.core.auth;

import java.security.SecureRandom;
import java.util.Objects;

/** Random passwords of the original's shape: 64 characters of [A-Za-z0-9] (~381 bits). */
public final class PasswordGenerator {
    public static final int LENGTH = 64;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random;

    public PasswordGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public String generate() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            // nextInt(bound) is unbiased, unlike a byte modulo 62.
            chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(chars);
    }
}
