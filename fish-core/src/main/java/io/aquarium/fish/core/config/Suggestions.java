package io.aquarium.fish.core.config;

import java.util.Collection;
import java.util.Optional;

/** The known key an operator most likely meant by a mistyped one. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The closest of {@code known} to {@code typed}, if it is close enough to be a typo. */
    public static Optional<String> closest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = typed.length() < 6 ? 1 : 2;
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /**
     * Reports an unknown key. A near miss of a known key is an error ({@code unknown key 'api_addres'
     * (did you mean 'api_address'?)}): the value the operator meant would silently not apply. A key
     * unlike every known one is a warning and ignored, as CONTRACT.md has it ("Unknown keys: warn, not
     * fail"): a config written for another Fish version or read by another tool still starts a node.
     */
    public static void reportUnknown(ConfigProblems problems, String key, String what, String typed,
                                     Collection<String> known) {
        if (closest(typed, known).isPresent()) {
            problems.error(key, unknownKey(what, typed, known));
        } else {
            problems.warning(key, what + " " + ConfigValues.describe(typed) + " is ignored (known: "
                    + String.join(", ", known.stream().sorted().toList()) + ")");
        }
    }

    /** {@code unknown key 'x' (did you mean 'y'?)}, or with {@code known: ...} when nothing is close. */
    public static String unknownKey(String what, String typed, Collection<String> known) {
        String shown = ConfigValues.describe(typed);
        return closest(typed, known)
                .map(k -> what + " " + shown + " (did you mean '" + k + "'?)")
                .orElseGet(() -> what + " " + shown + " (known: " + String.join(", ", known.stream().sorted().toList())
                        + ")");
    }

    /** Levenshtein distance, with a swap of two neighbours counting as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
