package io.aquarium.fish.core.election;

/**
 * Go's {@code path.Match} semantics for {@code node_filter} entries: {@code *} matches any run of
 * non-'/' characters, {@code ?} one non-'/' character, {@code [a-z]} / {@code [^a-z]} a class,
 * {@code \} escapes. A malformed pattern matches nothing.
 */
public final class NodeFilterGlob {
    private NodeFilterGlob() {
    }

    public static boolean matches(String pattern, String name) {
        try {
            return match(pattern, 0, name, 0);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static boolean match(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                for (int k = si; ; k++) {
                    if (match(p, pi, s, k)) {
                        return true;
                    }
                    if (k >= s.length() || s.charAt(k) == '/') {
                        return false;
                    }
                }
            }
            if (si >= s.length()) {
                return false;
            }
            char sc = s.charAt(si);
            if (c == '?') {
                if (sc == '/') {
                    return false;
                }
                pi++;
            } else if (c == '[') {
                int end = classEnd(p, pi);
                if (sc == '/' || !inClass(p, pi + 1, end, sc)) {
                    return false;
                }
                pi = end + 1;
            } else {
                if (c == '\\') {
                    pi++;
                    if (pi >= p.length()) {
                        throw new IllegalArgumentException("trailing escape");
                    }
                    c = p.charAt(pi);
                }
                if (c != sc) {
                    return false;
                }
                pi++;
            }
            si++;
        }
        return si == s.length();
    }

    /**
     * The index of the class's closing ']'. Like Go, each item is a character or a range
     * {@code lo-hi}; an unescaped '-' or ']' cannot be one (so {@code []a]}, {@code [-a]},
     * {@code [a-]} and {@code []} are malformed), and ']' closes the class only after one item.
     */
    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        for (int items = 0; ; items++) {
            if (items > 0 && i < p.length() && p.charAt(i) == ']') {
                return i;
            }
            i = afterClassChar(p, i);
            if (i < p.length() && p.charAt(i) == '-') {
                i = afterClassChar(p, i + 1);
            }
        }
    }

    private static int afterClassChar(String p, int i) {
        if (i >= p.length() || p.charAt(i) == '-' || p.charAt(i) == ']') {
            throw new IllegalArgumentException("bad character class");
        }
        if (p.charAt(i) == '\\') {
            i++;
        }
        if (i + 1 >= p.length()) {
            throw new IllegalArgumentException("unterminated class");
        }
        return i + 1;
    }

    /** Whether {@code sc} is in the class between {@code from} and {@code end}, which {@link #classEnd} validated. */
    private static boolean inClass(String p, int from, int end, char sc) {
        boolean negated = p.charAt(from) == '^';
        int i = negated ? from + 1 : from;
        boolean matched = false;
        while (i < end) {
            if (p.charAt(i) == '\\') {
                i++;
            }
            char lo = p.charAt(i++);
            char hi = lo;
            if (p.charAt(i) == '-') {
                if (p.charAt(++i) == '\\') {
                    i++;
                }
                hi = p.charAt(i++);
            }
            if (lo <= sc && sc <= hi) {
                matched = true;
            }
        }
        return matched != negated;
    }
}
