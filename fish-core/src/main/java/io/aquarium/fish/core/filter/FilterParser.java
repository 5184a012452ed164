package io.aquarium.fish.core.filter;

import io.aquarium.fish.core.filter.FilterToken.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive-descent parser for the filter language (see {@code CONTRACT.md} §3):
 *
 * <pre>
 * filter     := or-expr (anything)        -- text after the first complete expression is dropped
 * or-expr    := and-expr ( OR and-expr )*
 * and-expr   := not-expr ( AND not-expr )*
 * not-expr   := NOT not-expr | primary
 * primary    := '(' or-expr ')' | predicate
 * predicate  := column ( cmp value
 *                      | [NOT] LIKE value
 *                      | [NOT] IN '(' value ( ',' value )* ')'
 *                      | IS [NOT] NULL )
 * cmp        := '=' | '==' | '!=' | '&lt;&gt;' | '&lt;' | '&gt;' | '&lt;=' | '&gt;='
 * column     := identifier | "quoted"      -- lower-cased, must be whitelisted
 * value      := 'string' | number | "quoted" -- a "quoted" value that names a column is rejected
 * number     := -?digits(.digits)?          -- Long, or BigDecimal when decimal or too long
 * </pre>
 *
 * Keywords are case-insensitive. A dangling AND/OR/NOT is an error, not "the end of the first
 * expression", so {@code name='a' OR 1=1} fails rather than silently widening or narrowing.
 * Input length, nesting depth and IN-list size are bounded so hostile input cannot exhaust the
 * stack or memory.
 */
final class FilterParser {
    static final int MAX_LENGTH = 4096;
    static final int MAX_DEPTH = 32;
    static final int MAX_IN_VALUES = 1000;

    /** Internal bail-out; never leaves {@link #parse}. No stack trace: it is control flow. */
    private static final class Unparsable extends Exception {
        private static final long serialVersionUID = 1L;

        Unparsable() {
            super(null, null, false, false);
        }
    }

    private final FilterLexer lexer;
    private final Set<String> columns;
    private FilterToken current;
    private int depth;

    private FilterParser(String text, Set<String> columns) {
        this.lexer = new FilterLexer(text);
        this.columns = columns;
        this.current = lexer.next();
    }

    /** The first complete expression of {@code text}, or empty when there is none; never throws. */
    static Optional<FilterExpr> parse(String text, Set<String> columns) {
        if (text == null || columns == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FilterParser(text, columns).orExpr());
        } catch (Unparsable e) {
            return Optional.empty();
        }
    }

    private FilterExpr orExpr() throws Unparsable {
        FilterExpr left = andExpr();
        while (current.kind() == Kind.OR) {
            advance();
            left = new FilterExpr.Or(left, andExpr());
        }
        return left;
    }

    private FilterExpr andExpr() throws Unparsable {
        FilterExpr left = notExpr();
        while (current.kind() == Kind.AND) {
            advance();
            left = new FilterExpr.And(left, notExpr());
        }
        return left;
    }

    private FilterExpr notExpr() throws Unparsable {
        if (current.kind() != Kind.NOT) {
            return primary();
        }
        enter();
        advance();
        FilterExpr inner = notExpr();
        depth--;
        return new FilterExpr.Not(inner);
    }

    private FilterExpr primary() throws Unparsable {
        if (current.kind() != Kind.LPAREN) {
            return predicate();
        }
        enter();
        advance();
        FilterExpr inner = orExpr();
        expect(Kind.RPAREN);
        depth--;
        return inner;
    }

    private FilterExpr predicate() throws Unparsable {
        String column = column();
        advance();
        switch (current.kind()) {
            case COMPARISON: {
                FilterExpr.Op op = (FilterExpr.Op) current.value();
                advance();
                return new FilterExpr.Compare(column, op, value());
            }
            case LIKE:
                advance();
                return new FilterExpr.Compare(column, FilterExpr.Op.LIKE, value());
            case IN:
                return in(column, false);
            case NOT:
                advance();
                if (current.kind() == Kind.LIKE) {
                    advance();
                    return new FilterExpr.Compare(column, FilterExpr.Op.NOT_LIKE, value());
                }
                return in(column, true);
            case IS: {
                advance();
                boolean negated = current.kind() == Kind.NOT;
                if (negated) {
                    advance();
                }
                expect(Kind.NULL);
                return new FilterExpr.IsNull(column, negated);
            }
            default:
                throw new Unparsable();
        }
    }

    private FilterExpr in(String column, boolean negated) throws Unparsable {
        expect(Kind.IN);
        expect(Kind.LPAREN);
        List<FilterExpr.Literal> values = new ArrayList<>();
        values.add(value());
        while (current.kind() == Kind.COMMA) {
            if (values.size() >= MAX_IN_VALUES) {
                throw new Unparsable();
            }
            advance();
            values.add(value());
        }
        expect(Kind.RPAREN);
        return new FilterExpr.In(column, List.copyOf(values), negated);
    }

    /** The current token as a whitelisted column name; a value on the left is not allowed. */
    private String column() throws Unparsable {
        String name = switch (current.kind()) {
            case IDENT -> current.text();
            case QUOTED -> current.text().toLowerCase(Locale.ROOT);
            default -> null;
        };
        if (name == null || !columns.contains(name)) {
            throw new Unparsable();
        }
        return name;
    }

    private FilterExpr.Literal value() throws Unparsable {
        FilterToken token = current;
        switch (token.kind()) {
            case STRING:
                advance();
                return new FilterExpr.Literal(token.text());
            case NUMBER:
                advance();
                return new FilterExpr.Literal(token.value());
            case QUOTED:
                // As in SQLite: "x" is a column when one is called x, else a string. Column-to-column
                // comparison is not part of the language, so the column reading is an error here.
                if (columns.contains(token.text().toLowerCase(Locale.ROOT))) {
                    throw new Unparsable();
                }
                advance();
                return new FilterExpr.Literal(token.text());
            default:
                throw new Unparsable();
        }
    }

    private void enter() throws Unparsable {
        if (++depth > MAX_DEPTH) {
            throw new Unparsable();
        }
    }

    private void expect(Kind kind) throws Unparsable {
        if (current.kind() != kind) {
            throw new Unparsable();
        }
        advance();
    }

    private void advance() {
        current = lexer.next();
    }
}
