package io.aquarium.fish.core.filter;

import io.aquarium.fish.core.filter.FilterToken.Kind;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * Splits filter text into tokens on demand. Lexing is lazy on purpose: text after the first
 * complete expression is dropped, so a bad character there must not fail the whole parse.
 * Once a token is malformed every later call answers {@link FilterToken#ERROR}.
 */
final class FilterLexer {
    private static final Map<String, Kind> KEYWORDS = Map.of(
            "and", Kind.AND, "or", Kind.OR, "not", Kind.NOT, "like", Kind.LIKE,
            "in", Kind.IN, "is", Kind.IS, "null", Kind.NULL);

    private final String text;
    private int pos;
    private boolean failed;

    FilterLexer(String text) {
        this.text = text;
    }

    FilterToken next() {
        if (failed) {
            return FilterToken.ERROR;
        }
        FilterToken token = scan();
        if (token.kind() == Kind.ERROR) {
            failed = true;
        }
        return token;
    }

    private FilterToken scan() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        if (pos >= text.length()) {
            return FilterToken.END;
        }
        char c = text.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return FilterToken.of(Kind.LPAREN);
            case ')':
                pos++;
                return FilterToken.of(Kind.RPAREN);
            case ',':
                pos++;
                return FilterToken.of(Kind.COMMA);
            case '\'':
                return quoted('\'', Kind.STRING);
            case '"':
                return quoted('"', Kind.QUOTED);
            case '=':
                // SQLite also accepts "=="
                return comparison(FilterExpr.Op.EQ, peekIs(1, '=') ? 2 : 1);
            case '!':
                return peekIs(1, '=') ? comparison(FilterExpr.Op.NE, 2) : FilterToken.ERROR;
            case '<':
                if (peekIs(1, '=')) {
                    return comparison(FilterExpr.Op.LE, 2);
                }
                return peekIs(1, '>') ? comparison(FilterExpr.Op.NE, 2) : comparison(FilterExpr.Op.LT, 1);
            case '>':
                return peekIs(1, '=') ? comparison(FilterExpr.Op.GE, 2) : comparison(FilterExpr.Op.GT, 1);
            case '-':
                return pos + 1 < text.length() && isDigit(text.charAt(pos + 1)) ? number() : FilterToken.ERROR;
            default:
                if (isDigit(c)) {
                    return number();
                }
                if (isIdentStart(c)) {
                    return identifier();
                }
                return FilterToken.ERROR;
        }
    }

    private boolean peekIs(int ahead, char expected) {
        return pos + ahead < text.length() && text.charAt(pos + ahead) == expected;
    }

    private FilterToken comparison(FilterExpr.Op op, int length) {
        pos += length;
        return new FilterToken(Kind.COMPARISON, op.sql, op);
    }

    /** A quoted run where a doubled quote stands for one quote character. */
    private FilterToken quoted(char quote, Kind kind) {
        StringBuilder content = new StringBuilder();
        int i = pos + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    content.append(quote);
                    i += 2;
                    continue;
                }
                pos = i + 1;
                return new FilterToken(kind, content.toString(), null);
            }
            content.append(c);
            i++;
        }
        return FilterToken.ERROR; // unterminated
    }

    /** {@code -?digits(.digits)?}; glued to a letter, digit or dot (1e5, 1.2.3, 7abc) it is malformed. */
    private FilterToken number() {
        int start = pos;
        int i = text.charAt(pos) == '-' ? pos + 1 : pos;
        i = skipDigits(i);
        boolean decimal = false;
        if (i + 1 < text.length() && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
            decimal = true;
            i = skipDigits(i + 1);
        }
        if (i < text.length() && (isIdentPart(text.charAt(i)) || text.charAt(i) == '.')) {
            return FilterToken.ERROR;
        }
        pos = i;
        String literal = text.substring(start, i);
        return new FilterToken(Kind.NUMBER, literal, decimal ? new BigDecimal(literal) : integer(literal));
    }

    private static Object integer(String literal) {
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException tooLong) {
            return new BigDecimal(literal);
        }
    }

    private int skipDigits(int i) {
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private FilterToken identifier() {
        int start = pos;
        while (pos < text.length() && isIdentPart(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
        Kind keyword = KEYWORDS.get(name);
        return keyword != null ? FilterToken.of(keyword) : new FilterToken(Kind.IDENT, name, null);
    }

    // ASCII only: Character.isDigit/isLetter would let other scripts' digits reach Long.parseLong.
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
