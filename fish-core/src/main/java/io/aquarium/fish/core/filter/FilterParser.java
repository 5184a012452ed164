package io.aquarium.fish.core.filter;

import java.util.Optional;
import java.util.Set;

/** Parses the filter language (placeholder: accepts nothing until the real parser lands). */
final class FilterParser {
    private FilterParser() {
    }

    static Optional<FilterExpr> parse(String text, Set<String> columns) {
        return Optional.empty();
    }
}
