package io.aquarium.fish.drivers.common;

import java.util.random.RandomGenerator;

/** The random part of the names drivers give what they make (containers, workspaces, marker files). */
public final class RandomNames {
    /** Lower-case letters and digits: safe in container names, paths and user names. */
    public static final String LOWER_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** Letters of both cases and digits. */
    public static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + LOWER_ALPHANUMERIC;

    private RandomNames() {
    }

    /**
     * {@code length} characters of {@code alphabet} drawn from {@code random}, which is locked while
     * drawing: RandomGenerator implementations are not all thread-safe, and drivers are called from
     * many workers.
     */
    public static String draw(RandomGenerator random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        synchronized (random) {
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return sb.toString();
    }
}
