package io.aquarium.fish.core.filter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * Bounds the work of the {@code LIKE} comparisons of one filter. Both stores match a pattern by
 * backtracking (H2's own matcher, Ignite's Calcite through a Java regex): every {@code %} that more
 * pattern follows retries the rest at each position, so the work grows as the text's length to the
 * power of their count. One {@code %a%a%a%a%b} on 200 characters took 10 s, and a database checks a
 * query's time limit only between rows (H2 every 128 rows), never inside one comparison.
 *
 * <p>So a pattern may have one {@code %} before its last character (work linear in the text's
 * length times the pattern's), patterns are short and few, and LIKE does not apply to the JSON
 * columns, which hold up to 64 KB each: there one comparison alone could outlast the time limit.
 * {@code %} counts even when escaped, so no store's escape rules can slip more past.
 */
final class LikeLimits {
    static final int MAX_LIKES = 4;
    static final int MAX_PATTERN_LENGTH = 128;
    static final int MAX_INNER_WILDCARDS = 1;
    static final Set<String> JSON_COLUMNS = Set.of("metadata", "options", "result");

    private LikeLimits() {
    }

    /** Why {@code expr} asks for too much work, or empty when it is within the limits. */
    static Optional<String> excess(FilterExpr expr) {
        int likes = 0;
        Deque<FilterExpr> pending = new ArrayDeque<>();
        pending.push(expr);
        while (!pending.isEmpty()) {
            FilterExpr next = pending.pop();
            if (next instanceof FilterExpr.And a) {
                pending.push(a.left());
                pending.push(a.right());
            } else if (next instanceof FilterExpr.Or o) {
                pending.push(o.left());
                pending.push(o.right());
            } else if (next instanceof FilterExpr.Not n) {
                pending.push(n.inner());
            } else if (next instanceof FilterExpr.Compare c && (c.op() == FilterExpr.Op.LIKE || c.op() == FilterExpr.Op.NOT_LIKE)) {
                if (++likes > MAX_LIKES) {
                    return Optional.of("filter: at most " + MAX_LIKES + " LIKE comparisons");
                }
                Optional<String> excess = excess(c.column(), String.valueOf(c.value().value()));
                if (excess.isPresent()) {
                    return excess;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> excess(String column, String pattern) {
        if (JSON_COLUMNS.contains(column)) {
            return Optional.of("filter: LIKE is not allowed on '" + column + "' (JSON text up to 64 KB);"
                    + " compare it with = or filter on another column");
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            return Optional.of("filter: a LIKE pattern is at most " + MAX_PATTERN_LENGTH + " characters");
        }
        long inner = pattern.chars().limit(Math.max(0, pattern.length() - 1)).filter(ch -> ch == '%').count();
        if (inner > MAX_INNER_WILDCARDS) {
            return Optional.of("filter: a LIKE pattern may have at most " + MAX_INNER_WILDCARDS
                    + " '%' before its last character (each one more multiplies the work by the text's length); it has "
                    + inner);
        }
        return Optional.empty();
    }
}
