package io.aquarium.fish.core.filter;

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
        if (expr instanceof FilterExpr.And a) {
            return "(" + render(a.left(), col, params) + " AND " + render(a.right(), col, params) + ")";
        }
        if (expr instanceof FilterExpr.Or o) {
            return "(" + render(o.left(), col, params) + " OR " + render(o.right(), col, params) + ")";
        }
        if (expr instanceof FilterExpr.Not n) {
            return "(NOT " + render(n.inner(), col, params) + ")";
        }
        throw new IllegalStateException("unknown filter node " + expr);
    }
}
