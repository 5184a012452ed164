package io.aquarium.fish.core.filter;

import java.util.List;

/** A parameterised SQL boolean expression: {@code sql} has one {@code ?} per entry of {@code params}. */
public record SqlWhere(String sql, List<Object> params) {
    public SqlWhere {
        params = List.copyOf(params);
    }
}
