package io.aquarium.fish.core.filter;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.store.Entity;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LIKE comparisons whose work could stall a node are refused with a 400 that names the limit. */
class LikeLimitsTest {
    private static final Set<String> APPLICATION = Entity.APPLICATION.filterColumns();
    private static final Set<String> LABEL = Entity.LABEL.filterColumns();

    private static String refusal(String filter, Set<String> columns) {
        FishException e = assertThrows(FishException.class, () -> Filter.parse(filter, columns), filter);
        assertEquals(FishException.Kind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().startsWith("filter: "), e.getMessage());
        return e.getMessage();
    }

    private static void accepted(String filter, Set<String> columns) {
        Filter parsed = Filter.parse(filter, columns);
        assertFalse(parsed.matchesNothing(), filter);
        assertTrue(parsed.fromUserText(), filter);
    }

    @Test
    void theAuditsFilterIsRefused() {
        // bob's application, 200 characters of metadata: this took 10 s of CPU in H2.
        assertTrue(refusal("metadata LIKE '%a%a%a%a%b'", APPLICATION).contains("not allowed on 'metadata'"));
        assertTrue(refusal("owner_name LIKE '%a%a%a%a%b'", APPLICATION)
                .contains("at most 1 '%' before its last character"));
        assertTrue(refusal("owner_name LIKE '%a%a%a%a%b'", APPLICATION).endsWith("it has 5"));
    }

    @Test
    void likeIsRefusedOnEveryJsonColumn() {
        for (String filter : new String[] {"metadata LIKE '%x%'", "metadata NOT LIKE 'x'", "name = 'a' OR metadata LIKE '{%'"}) {
            refusal(filter, LABEL);
        }
        refusal("options LIKE '%x%'", Entity.APPLICATION_TASK.filterColumns());
        refusal("result LIKE '%x%'", Entity.APPLICATION_TASK.filterColumns());
        refusal("metadata LIKE '%x%'", Entity.RESOURCE.filterColumns());
        accepted("metadata = '{}' OR metadata IN ('{\"a\":1}')", APPLICATION);
    }

    @Test
    void onlyOneWildcardBeforeThePatternsEnd() {
        for (String pattern : new String[] {"%a%b", "%a%b%", "a%b%c", "%%a", "a%%b%", "\\%a%b"}) {
            refusal("name LIKE '" + pattern + "'", LABEL);
            refusal("name NOT LIKE '" + pattern + "'", LABEL);
        }
        for (String pattern : new String[] {"ub%", "%ub", "%ub%", "u%b", "u%b%", "%u_b", "%u_b%", "___", "%", "%%", "",
                "a%%"}) {
            accepted("name LIKE '" + pattern + "'", LABEL);
        }
        accepted("version LIKE 1", LABEL);
    }

    @Test
    void patternsAreShortAndFew() {
        accepted("name LIKE '" + "a".repeat(LikeLimits.MAX_PATTERN_LENGTH) + "'", LABEL);
        assertEquals("filter: a LIKE pattern is at most 128 characters",
                refusal("name LIKE '" + "a".repeat(LikeLimits.MAX_PATTERN_LENGTH + 1) + "'", LABEL));

        String four = "name LIKE 'a%' OR name LIKE 'b%' OR (name LIKE 'c%' AND NOT name LIKE 'd%')";
        accepted(four, LABEL);
        assertEquals("filter: at most 4 LIKE comparisons", refusal(four + " OR name LIKE 'e%'", LABEL));
    }

    @Test
    void unparsableTextStillMatchesNothingAndBuiltFiltersAreNotUserText() {
        assertTrue(Filter.parse("metadata LIKE", APPLICATION).matchesNothing());
        assertTrue(Filter.parse("bogus LIKE '%a%a%a%'", APPLICATION).matchesNothing());
        assertFalse(Filter.eq("owner_name", "bob").fromUserText());
        assertFalse(Filter.ALL.fromUserText());
        assertTrue(Filter.parse("uid IS NOT NULL", APPLICATION).and(Filter.eq("owner_name", "bob")).fromUserText());
        assertTrue(Filter.ALL.and(Filter.parse("uid IS NOT NULL", APPLICATION)).fromUserText());
    }
}
