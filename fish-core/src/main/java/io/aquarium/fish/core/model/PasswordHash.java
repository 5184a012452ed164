package io.aquarium.fish.core.model;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A stored password hash with its parameters, in the shape of the original's crypt.Hash.
 * {@link #ZEROED} is what API responses show instead of real hash material.
 */
public record PasswordHash(String algo, int memoryKiB, int iterations, int threads, byte[] salt, byte[] hash) {
    public static final PasswordHash ZEROED = new PasswordHash("", 0, 0, 0, null, null);

    public PasswordHash {
        salt = salt == null ? null : salt.clone();
        hash = hash == null ? null : hash.clone();
    }

    @Override
    public byte[] salt() {
        return salt == null ? null : salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash == null ? null : hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && algo.equals(p.algo) && memoryKiB == p.memoryKiB
                && iterations == p.iterations && threads == p.threads
                && Arrays.equals(salt, p.salt) && Arrays.equals(hash, p.hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(hash) + algo.hashCode();
    }

    /** Never prints the hash itself: this object may end up in a log line. */
    @Override
    public String toString() {
        return "PasswordHash[" + algo + ", m=" + memoryKiB + ", t=" + iterations + ", p=" + threads
                + ", salt=" + (salt == null ? "null" : HexFormat.of().formatHex(salt)) + "]";
    }
}
