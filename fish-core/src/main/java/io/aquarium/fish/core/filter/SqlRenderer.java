package io.aquarium.fish.core.filter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/** Renders a {@link FilterExpr} as SQL with {@code ?} placeholders; values only ever go to params. */
final class SqlRenderer {
    private SqlRenderer() {
    }

    static String render(FilterExpr expr, UnaryOperator<String> col, List<Object> params) {
        if (expr instanceof FilterExpr.Const c) {
            return c == FilterExpr.Const.TRUE ? "1=1" : "1=0";
        }
        if (expr instanceof FilterExpr.Compare c) {
            params.add(c.value().value());
            return col.apply(c.column()) + " " + c.op().sql + " ?";
        }
        if (expr instanceof FilterExpr.In in) {
            StringJoiner marks = new StringJoiner(", ", "(", ")");
            for (FilterExpr.Literal v : in.values()) {
                params.add(v.value());
                marks.add("?");
            }
            return col.apply(in.column()) + (in.negated() ? " NOT IN " : " IN ") + marks;
        }
        if (expr instanceof FilterExpr.IsNull n) {
            return col.apply(n.column()) + (n.negated() ? " IS NOT NULL" : " IS NULL");
        }
        if (expr instanceof FilterExpr.And || expr instanceof FilterExpr.Or) {
            return chain(expr, col, params);
        }
        if (expr instanceof FilterExpr.Not n) {
            return "(NOT " + render(n.inner(), col, params) + ")";
        }
        throw new IllegalStateException("unknown filter node " + expr);
    }

    /**
     * Renders a run of the same connective flat, {@code (a AND b AND c)}: the parser builds
     * {@code a AND b AND c} as a left-deep tree, and nesting parentheses once per term would make
     * both this renderer and the database's SQL parser recurse once per term.
     */
    private static String chain(FilterExpr expr, UnaryOperator<String> col, List<Object> params) {
        boolean and = expr instanceof FilterExpr.And;
        StringJoiner sql = new StringJoiner(and ? " AND " : " OR ", "(", ")");
        Deque<FilterExpr> pending = new ArrayDeque<>();
        pending.push(expr);
        while (!pending.isEmpty()) {
            FilterExpr next = pending.pop();
            if (and && next instanceof FilterExpr.And a) {
                pending.push(a.right());
                pending.push(a.left());
            } else if (!and && next instanceof FilterExpr.Or o) {
                pending.push(o.right());
                pending.push(o.left());
            } else {
                sql.add(render(next, col, params));
            }
        }
        return sql.toString();
    }
}
