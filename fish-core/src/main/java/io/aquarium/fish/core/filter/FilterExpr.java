package io.aquarium.fish.core.filter;

import java.util.List;

/** The filter language's syntax tree. Column names are already lower-cased and whitelisted. */
sealed interface FilterExpr {
    enum Const implements FilterExpr { TRUE, FALSE }

    enum Op {
        EQ("="), NE("<>"), LT("<"), GT(">"), LE("<="), GE(">="), LIKE("LIKE"), NOT_LIKE("NOT LIKE");

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }
    }

    /** A value: String, Long or java.math.BigDecimal. */
    record Literal(Object value) {
    }

    record Compare(String column, Op op, Literal value) implements FilterExpr {
    }

    record In(String column, List<Literal> values, boolean negated) implements FilterExpr {
    }

    record IsNull(String column, boolean negated) implements FilterExpr {
    }

    record And(FilterExpr left, FilterExpr right) implements FilterExpr {
    }

    record Or(FilterExpr left, FilterExpr right) implements FilterExpr {
    }

    record Not(FilterExpr inner) implements FilterExpr {
    }
}
