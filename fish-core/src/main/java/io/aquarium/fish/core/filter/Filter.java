package io.aquarium.fish.core.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A parsed {@code filter=} expression over an entity's whitelisted columns. Never spliced into
 * SQL: {@link #toSql} renders placeholders and a parameter list.
 *
 * <p>{@link #ALL} matches everything (no filter given); {@link #NONE} matches nothing (the text
 * did not parse, or named a column outside the whitelist: the contract answers {@code []}).
 */
public final class Filter {
    public static final Filter ALL = new Filter(FilterExpr.Const.TRUE);
    public static final Filter NONE = new Filter(FilterExpr.Const.FALSE);

    private final FilterExpr expr;

    private Filter(FilterExpr expr) {
        this.expr = expr;
    }

    /**
     * Parses user text. Blank or null gives {@link #ALL}; anything unparsable gives {@link #NONE};
     * text after the first complete expression is ignored ({@code name='a'; DROP label} = {@code name='a'}).
     */
    public static Filter parse(String text, Set<String> columns) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        return FilterParser.parse(text, columns).map(Filter::new).orElse(NONE);
    }

    public static Filter eq(String column, Object value) {
        return new Filter(new FilterExpr.Compare(column, FilterExpr.Op.EQ, new FilterExpr.Literal(value)));
    }

    public Filter and(Filter other) {
        if (this == ALL) {
            return other;
        }
        if (other == ALL) {
            return this;
        }
        return new Filter(new FilterExpr.And(expr, other.expr));
    }

    public boolean matchesNothing() {
        return expr == FilterExpr.Const.FALSE;
    }

    FilterExpr expr() {
        return expr;
    }

    /** Renders as SQL; {@code columnSql} maps a whitelisted column name to its quoted SQL name. */
    public SqlWhere toSql(UnaryOperator<String> columnSql) {
        List<Object> params = new ArrayList<>();
        String sql = SqlRenderer.render(expr, columnSql, params);
        return new SqlWhere(sql, params);
    }

    @Override
    public String toString() {
        return "Filter[" + expr + "]";
    }
}
