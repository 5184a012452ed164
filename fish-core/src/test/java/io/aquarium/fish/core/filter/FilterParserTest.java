package io.aquarium.fish.core.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquarium.fish.core.filter.FilterExpr.And;
import io.aquarium.fish.core.filter.FilterExpr.Compare;
import io.aquarium.fish.core.filter.FilterExpr.In;
import io.aquarium.fish.core.filter.FilterExpr.IsNull;
import io.aquarium.fish.core.filter.FilterExpr.Literal;
import io.aquarium.fish.core.filter.FilterExpr.Not;
import io.aquarium.fish.core.filter.FilterExpr.Op;
import io.aquarium.fish.core.filter.FilterExpr.Or;
import io.aquarium.fish.core.store.Entity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {
    private static final Set<String> LABEL = Entity.LABEL.filterColumns();

    private static FilterExpr parsed(String text) {
        Optional<FilterExpr> expr = FilterParser.parse(text, LABEL);
        assertTrue(expr.isPresent(), () -> "should parse: " + text);
        return expr.get();
    }

    private static SqlWhere sql(String text) {
        return Filter.parse(text, LABEL).toSql(c -> '"' + c.toUpperCase(Locale.ROOT) + '"');
    }

    private static Compare cmp(String column, Op op, Object value) {
        return new Compare(column, op, new Literal(value));
    }

    @Test
    void realClientFilterByName() {
        assertEquals(cmp("name", Op.EQ, "X"), parsed("name='X'"));
        assertEquals(new SqlWhere("\"NAME\" = ?", List.of("X")), sql("name='X'"));
    }

    @Test
    void realClientFilterByNameAndVersion() {
        assertEquals(new And(cmp("name", Op.EQ, "X"), cmp("version", Op.EQ, 3L)), parsed("name='X' AND version=3"));
        assertEquals(new SqlWhere("(\"NAME\" = ? AND \"VERSION\" = ?)", List.of("X", 3L)),
                sql("name='X' AND version=3"));
    }

    @Test
    void doubleQuotedNonColumnIsAStringLiteral() {
        assertEquals(cmp("name", Op.EQ, "ubuntu"), parsed("name=\"ubuntu\""));
        assertEquals(cmp("name", Op.EQ, "say \"hi\""), parsed("name=\"say \"\"hi\"\"\""));
        assertEquals(new SqlWhere("\"NAME\" = ?", List.of("ubuntu")), sql("name=\"ubuntu\""));
    }

    @Test
    void doubleQuotedColumnIsAColumn() {
        assertEquals(cmp("name", Op.EQ, "x"), parsed("\"NAME\" = 'x'"));
        // a column on the right would be column-to-column comparison, which the language lacks
        assertTrue(FilterParser.parse("name = \"version\"", LABEL).isEmpty());
    }

    @Test
    void blankIsAllAndGarbageIsNone() {
        assertSame(Filter.ALL, Filter.parse(null, LABEL));
        assertSame(Filter.ALL, Filter.parse("  ", LABEL));
        assertSame(Filter.NONE, Filter.parse("nope", LABEL));
        assertTrue(Filter.parse("nope", LABEL).matchesNothing());
        assertFalse(Filter.parse("name='a'", LABEL).matchesNothing());
        assertEquals(new SqlWhere("1=0", List.of()), sql("nope"));
    }

    @Test
    void everyComparisonOperator() {
        assertEquals(cmp("version", Op.EQ, 1L), parsed("version = 1"));
        assertEquals(cmp("version", Op.EQ, 1L), parsed("version == 1"));
        assertEquals(cmp("version", Op.NE, 1L), parsed("version != 1"));
        assertEquals(cmp("version", Op.NE, 1L), parsed("version <> 1"));
        assertEquals(cmp("version", Op.LT, 1L), parsed("version<1"));
        assertEquals(cmp("version", Op.GT, 1L), parsed("version>1"));
        assertEquals(cmp("version", Op.LE, 1L), parsed("version<=1"));
        assertEquals(cmp("version", Op.GE, 1L), parsed("version>=1"));
        assertEquals(cmp("name", Op.LIKE, "ub%"), parsed("name LIKE 'ub%'"));
        assertEquals(cmp("name", Op.NOT_LIKE, "ub%"), parsed("name not like 'ub%'"));
        assertEquals(new SqlWhere("\"VERSION\" <> ?", List.of(1L)), sql("version != 1"));
        assertEquals(new SqlWhere("\"NAME\" NOT LIKE ?", List.of("ub%")), sql("name NOT LIKE 'ub%'"));
    }

    @Test
    void inAndNotIn() {
        assertEquals(new In("version", List.of(new Literal(1L), new Literal(2L), new Literal("3")), false),
                parsed("version IN (1, 2,'3')"));
        assertEquals(new In("name", List.of(new Literal("a")), true), parsed("name NOT IN ('a')"));
        assertEquals(new SqlWhere("\"VERSION\" NOT IN (?, ?)", List.of(1L, 2L)), sql("version not in (1,2)"));
    }

    @Test
    void isNullAndIsNotNull() {
        assertEquals(new IsNull("metadata", false), parsed("metadata IS NULL"));
        assertEquals(new IsNull("metadata", true), parsed("metadata is not null"));
        assertEquals(new SqlWhere("\"METADATA\" IS NOT NULL", List.of()), sql("metadata IS NOT NULL"));
    }

    @Test
    void numbers() {
        assertEquals(cmp("version", Op.EQ, -7L), parsed("version=-7"));
        assertEquals(cmp("version", Op.GT, new BigDecimal("1.50")), parsed("version > 1.50"));
        assertEquals(cmp("version", Op.GT, new BigDecimal("-0.5")), parsed("version > -0.5"));
        assertEquals(cmp("version", Op.EQ, new BigDecimal("99999999999999999999")),
                parsed("version = 99999999999999999999"));
        assertEquals(cmp("version", Op.EQ, Long.MIN_VALUE), parsed("version = -9223372036854775808"));
    }

    @Test
    void stringsWithDoubledQuotes() {
        assertEquals(cmp("name", Op.EQ, "it's"), parsed("name='it''s'"));
        assertEquals(cmp("name", Op.EQ, ""), parsed("name=''"));
    }

    @Test
    void keywordsAndIdentifiersAreCaseInsensitive() {
        assertEquals(new Or(cmp("name", Op.EQ, "a"), new Not(new IsNull("version", false))),
                parsed("NaMe = 'a' oR nOt VERSION iS nUlL"));
    }

    @Test
    void precedenceIsNotThenAndThenOr() {
        FilterExpr a = cmp("name", Op.EQ, "a");
        FilterExpr b = cmp("name", Op.EQ, "b");
        FilterExpr c = cmp("version", Op.EQ, 1L);
        assertEquals(new Or(a, new And(b, c)), parsed("name='a' OR name='b' AND version=1"));
        assertEquals(new Or(new And(a, b), c), parsed("name='a' AND name='b' OR version=1"));
        assertEquals(new And(new Not(a), b), parsed("NOT name='a' AND name='b'"));
        assertEquals(new Not(new And(a, b)), parsed("NOT (name='a' AND name='b')"));
        assertEquals(new And(new Or(a, b), c), parsed("(name='a' OR name='b') AND version=1"));
        assertEquals(new And(new And(a, b), c), parsed("name='a' AND name='b' AND version=1"));
        assertEquals(new Not(new Not(a)), parsed("NOT NOT ((name='a'))"));
        assertEquals(new SqlWhere("((\"NAME\" = ? OR \"NAME\" = ?) AND \"VERSION\" = ?)", List.of("a", "b", 1L)),
                sql("(name='a' OR name='b') AND version=1"));
        assertEquals(new SqlWhere("(\"NAME\" = ? OR (\"NAME\" = ? AND \"VERSION\" = ?))", List.of("a", "b", 1L)),
                sql("name='a' OR name='b' AND version=1"));
    }

    @Test
    void chainsRenderFlatWithParamsInOrder() {
        assertEquals(new SqlWhere("(\"VERSION\" = ? AND \"VERSION\" = ? AND (NOT \"VERSION\" = ?) AND \"NAME\" = ?)",
                List.of(1L, 2L, 3L, "x")), sql("version=1 AND version=2 AND NOT version=3 AND name='x'"));
    }

    @Test
    void textAfterTheFirstExpressionIsDropped() {
        FilterExpr nameA = cmp("name", Op.EQ, "a");
        assertEquals(nameA, parsed("name='a'; DROP label"));
        assertEquals(nameA, parsed("name='a' ; DELETE FROM user"));
        assertEquals(nameA, parsed("name='a' -- comment"));
        assertEquals(nameA, parsed("name='a' ; 'unterminated"));
        assertEquals(nameA, parsed("name='a') garbage"));
        assertEquals(cmp("name", Op.EQ, "x"), parsed("name = 'x' ; DELETE FROM user"));
        assertEquals(new SqlWhere("\"NAME\" = ?", List.of("a")), sql("name='a'; DROP label"));
    }

    @Test
    void quoteBreakoutStaysOneStringParam() {
        assertEquals(cmp("name", Op.EQ, "' OR '1'='1"), parsed("name=''' OR ''1''=''1'"));
        assertEquals(new SqlWhere("\"NAME\" = ?", List.of("' OR '1'='1")), sql("name=''' OR ''1''=''1'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "name IN (DROP label)", "name IN ()", "name IN (1,)", "name IN (1 2)", "name IN 1", "name IN (1",
        "name='a' OR 1=1", "1=1", "1=1 --", "'x'", "42", "\"ubuntu\"='x'", "'a'=name",
        "name='unterminated", "name=\"unterminated", "name=", "name", "name =", "= 'a'", "name == == 'a'",
        "()", "(name='a'", "((name='a')", "name='a' AND", "name='a' OR", "NOT", "name='a' AND NOT",
        "owner_name='a'", "label.name='a'", "name=foo", "name=NULL", "name IS 'a'", "name IS NOT", "name NOT 'a'",
        "name NOT = 'a'", "name ! 'a'", "version=1e5", "version=1.2.3", "version=7abc", "version=.5",
        "version=- 1", "name LIKE", "AND name='a'", "name='a' AND ; DROP label", ";name='a'",
        "name = \"name\"", "name = \"VERSION\"", "namé='a'", "name\u0660='a'", "version=\u0661",
    })
    void unparsableOrUnknownColumnMatchesNothing(String text) {
        assertTrue(FilterParser.parse(text, LABEL).isEmpty(), () -> "should not parse: " + text);
        assertSame(Filter.NONE, Filter.parse(text, LABEL));
    }

    @Test
    void columnWhitelistIsPerEntity() {
        assertSame(Filter.NONE, Filter.parse("version=1", Entity.USER.filterColumns()));
        assertEquals(cmp("version", Op.EQ, 1L), parsed("VERSION=1"));
        assertTrue(FilterParser.parse("name='a'", Set.of()).isEmpty());
        assertTrue(FilterParser.parse("name='a'", null).isEmpty());
    }

    @Test
    void boundsAreEnforcedWithoutOverflowingTheStack() {
        int limit = FilterParser.MAX_DEPTH;
        String nested = "(".repeat(limit) + "name='a'" + ")".repeat(limit);
        assertEquals(cmp("name", Op.EQ, "a"), parsed(nested));
        assertTrue(FilterParser.parse("(" + nested + ")", LABEL).isEmpty());
        assertTrue(FilterParser.parse("NOT ".repeat(limit + 1) + "name='a'", LABEL).isEmpty());
        assertTrue(FilterParser.parse("(".repeat(4000), LABEL).isEmpty());
        assertTrue(FilterParser.parse("NOT ".repeat(1000) + "name='a'", LABEL).isEmpty());

        String longString = "name='" + "x".repeat(FilterParser.MAX_LENGTH - 7) + "'";
        assertEquals(FilterParser.MAX_LENGTH, longString.length());
        assertTrue(FilterParser.parse(longString, LABEL).isPresent());
        assertTrue(FilterParser.parse(longString + " ", LABEL).isEmpty());

        String maxList = "version IN (" + "1,".repeat(FilterParser.MAX_IN_VALUES - 1) + "1)";
        assertEquals(FilterParser.MAX_IN_VALUES, ((In) parsed(maxList)).values().size());
        String tooLong = "version IN (" + "1,".repeat(FilterParser.MAX_IN_VALUES) + "1)";
        assertTrue(FilterParser.parse(tooLong, LABEL).isEmpty());
    }

    @Test
    void longestChainWithinTheLengthLimitRenders() {
        String chain = "version=1" + " OR version=1".repeat(300);
        assertTrue(chain.length() <= FilterParser.MAX_LENGTH);
        SqlWhere where = sql(chain);
        assertEquals(301, where.params().size());
        assertFalse(where.sql().contains("(("));
    }
}
