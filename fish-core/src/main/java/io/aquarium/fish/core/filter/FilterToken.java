package io.aquarium.fish.core.filter;

/**
 * One lexical token of the filter language.
 *
 * <p>{@code text} is the lower-cased name for {@link Kind#IDENT}, the unescaped content for
 * {@link Kind#STRING} and {@link Kind#QUOTED}; {@code value} is the {@link FilterExpr.Op} of a
 * {@link Kind#COMPARISON} and the Long / BigDecimal of a {@link Kind#NUMBER}.
 */
record FilterToken(Kind kind, String text, Object value) {
    enum Kind {
        IDENT, QUOTED, STRING, NUMBER, COMPARISON, LPAREN, RPAREN, COMMA,
        AND, OR, NOT, LIKE, IN, IS, NULL,
        END, ERROR
    }

    static final FilterToken END = new FilterToken(Kind.END, "", null);
    static final FilterToken ERROR = new FilterToken(Kind.ERROR, "", null);

    static FilterToken of(Kind kind) {
        return new FilterToken(kind, "", null);
    }
}
