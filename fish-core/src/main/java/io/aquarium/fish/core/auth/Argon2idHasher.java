package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.model.PasswordHash;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Argon2id password hashes, byte-compatible with the Go original (golang.org/x/crypto/argon2.IDKey,
 * version 0x13, password as UTF-8). New hashes use the original's cost parameters; verification
 * always uses the parameters stored with the hash, so older or cheaper hashes keep working.
 *
 * <p>Not final so tests can observe how often the expensive work runs.
 */
public class Argon2idHasher {
    public static final String ALGORITHM = "Argon2id";
    public static final int DEFAULT_MEMORY_KIB = 64 * 1024;
    public static final int DEFAULT_ITERATIONS = 1;
    public static final int DEFAULT_THREADS = 8;
    public static final int SALT_LENGTH = 8;
    public static final int KEY_LENGTH = 32;

    // Upper bounds for parameters read back from the store: a corrupt row must not make one check
    // allocate gigabytes or spin for minutes.
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_THREADS = 255;
    private static final int MAX_BYTES = 1024;

    private final SecureRandom random;
    private final int memoryKiB;
    private final int iterations;
    private final int threads;

    /** Hashes with the original node's parameters (64 MiB, 1 iteration, 8 lanes). */
    public Argon2idHasher(SecureRandom random) {
        this(random, DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_THREADS);
    }

    /** Hashes with other cost parameters (cheap ones for tests; stronger ones for tuning). */
    public Argon2idHasher(SecureRandom random, int memoryKiB, int iterations, int threads) {
        this.random = Objects.requireNonNull(random, "random");
        if (!validParameters(memoryKiB, iterations, threads)) {
            throw new IllegalArgumentException("Invalid Argon2id parameters: m=" + memoryKiB
                    + ", t=" + iterations + ", p=" + threads);
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.threads = threads;
    }

    /** The memory a new hash costs (Argon2 allocates it all at once). */
    public int memoryKiB() {
        return memoryKiB;
    }

    public PasswordHash hash(String password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        byte[] key = deriveKey(password, salt, memoryKiB, iterations, threads, KEY_LENGTH);
        return new PasswordHash(ALGORITHM, memoryKiB, iterations, threads, salt, key);
    }

    /**
     * True when {@code password} matches {@code stored}. A zeroed, foreign or malformed hash never
     * matches (and never throws): such a user simply cannot log in with a password.
     */
    public boolean verify(String password, PasswordHash stored) {
        if (password == null || stored == null || !ALGORITHM.equals(stored.algo())
                || !validParameters(stored.memoryKiB(), stored.iterations(), stored.threads())) {
            return false;
        }
        byte[] salt = stored.salt();
        byte[] expected = stored.hash();
        if (salt == null || salt.length == 0 || salt.length > MAX_BYTES
                || expected == null || expected.length < 4 || expected.length > MAX_BYTES) {
            return false;
        }
        byte[] actual = deriveKey(password, salt, stored.memoryKiB(), stored.iterations(), stored.threads(),
                expected.length);
        try {
            return MessageDigest.isEqual(actual, expected);
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /** The raw Argon2id key (the original's {@code argon2.IDKey}). */
    public byte[] deriveKey(String password, byte[] salt, int memoryKiB, int iterations, int threads,
                            int keyLength) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(threads)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[keyLength];
        try {
            generator.generateBytes(passwordBytes, out);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
        return out;
    }

    private static boolean validParameters(int memoryKiB, int iterations, int threads) {
        return threads >= 1 && threads <= MAX_THREADS
                && iterations >= 1 && iterations <= MAX_ITERATIONS
                // Argon2 needs at least 8 KiB per lane.
                && memoryKiB >= 8 * threads && memoryKiB <= MAX_MEMORY_KIB;
    }
}
