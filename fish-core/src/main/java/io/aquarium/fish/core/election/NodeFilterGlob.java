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

    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        boolean first = true;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == ']' && !first) {
                return i;
            }
            if (c == '\\') {
                i++;
            }
            first = false;
            i++;
        }
        throw new IllegalArgumentException("unterminated class");
    }

    private static boolean inClass(String p, int from, int end, char sc) {
        boolean negated = p.charAt(from) == '^';
        int i = negated ? from + 1 : from;
        boolean matched = false;
        while (i < end) {
            char lo = p.charAt(i);
            if (lo == '\\') {
                lo = p.charAt(++i);
            }
            char hi = lo;
            if (i + 2 < end && p.charAt(i + 1) == '-') {
                hi = p.charAt(i + 2);
                if (hi == '\\') {
                    hi = p.charAt(i + 3);
                    i++;
                }
                i += 2;
            }
            if (lo <= sc && sc <= hi) {
                matched = true;
            }
            i++;
        }
        return matched != negated;
    }
}
