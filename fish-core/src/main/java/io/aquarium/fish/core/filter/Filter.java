package io.aquarium.fish.core.filter;

import io.aquarium.fish.core.error.FishException;

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
 *
 * <p>A filter parsed from text is {@link #fromUserText()}: its cost is the user's choice, so the stores
 * run it under a time limit and a bound on how many run at once ({@code store.UserQueryLimit}).
 */
public final class Filter {
    public static final Filter ALL = new Filter(FilterExpr.Const.TRUE, false);
    public static final Filter NONE = new Filter(FilterExpr.Const.FALSE, false);

    private final FilterExpr expr;
    private final boolean fromUserText;

    private Filter(FilterExpr expr, boolean fromUserText) {
        this.expr = expr;
        this.fromUserText = fromUserText;
    }

    /**
     * Parses user text. Blank or null gives {@link #ALL}; anything unparsable gives {@link #NONE};
     * text after the first complete expression is ignored ({@code name='a'; DROP label} = {@code name='a'}).
     *
     * @throws FishException (bad request) when the expression parses but its LIKE comparisons ask for
     *                       more work than {@link LikeLimits} allows; the message names the limit
     */
    public static Filter parse(String text, Set<String> columns) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        FilterExpr expr = FilterParser.parse(text, columns).orElse(null);
        if (expr == null) {
            return NONE;
        }
        LikeLimits.excess(expr).ifPresent(reason -> {
            throw FishException.badRequest(reason);
        });
        return new Filter(expr, true);
    }

    public static Filter eq(String column, Object value) {
        return new Filter(new FilterExpr.Compare(column, FilterExpr.Op.EQ, new FilterExpr.Literal(value)), false);
    }

    /** {@code column IN (values...)}; no values matches nothing. */
    public static Filter in(String column, java.util.Collection<?> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        return new Filter(new FilterExpr.In(column, values.stream().map(FilterExpr.Literal::new).toList(), false),
                false);
    }

    public Filter and(Filter other) {
        if (this == ALL) {
            return other;
        }
        if (other == ALL) {
            return this;
        }
        return new Filter(new FilterExpr.And(expr, other.expr), fromUserText || other.fromUserText);
    }

    public boolean matchesNothing() {
        return expr == FilterExpr.Const.FALSE;
    }

    /** Whether user text chose (part of) this filter, so its cost is unknown. */
    public boolean fromUserText() {
        return fromUserText;
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
