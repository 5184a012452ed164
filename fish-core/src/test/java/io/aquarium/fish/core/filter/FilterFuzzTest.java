package io.aquarium.fish.core.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.store.Entity;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hostile and random input never makes the parser throw, and whatever parses renders consistently. */
class FilterFuzzTest {
    private static final Set<String> COLUMNS = Entity.LABEL.filterColumns();
    private static final String[] FRAGMENTS = {
        "name", "version", "NAME", "\"name\"", "\"ubuntu\"", "uid", "bogus", "'x'", "'it''s'", "'", "\"", "''",
        "1", "-2", "3.5", "99999999999999999999", "-", ".", "=", "==", "!=", "<>", "<", ">", "<=", ">=", "!",
        "LIKE", "NOT", "IN", "IS", "NULL", "AND", "OR", "(", ")", ",", ";", "--", "/*", "DROP", "label", " ",
        "\t", "\n", "\u0000", "\u00e9", "\uD83D\uDE00", "\uD800",
    };
    private static final int ITERATIONS = 5000;
    private static final String[] STRINGS = {"''", "'ubuntu'", "'it''s; DROP label'", "''' OR ''1''=''1'", "'%_'"};

    @Test
    void randomTokenSoupNeverThrows() {
        Random random = new Random(20240611L);
        for (int i = 0; i < ITERATIONS; i++) {
            StringBuilder text = new StringBuilder();
            int parts = random.nextInt(20);
            for (int p = 0; p < parts; p++) {
                text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                if (random.nextBoolean()) {
                    text.append(' ');
                }
            }
            check(text.toString());
        }
    }

    @Test
    void generatedValidExpressionsParse() {
        Random random = new Random(99L);
        for (int i = 0; i < ITERATIONS; i++) {
            String text = expression(random, 0);
            boolean withinLikeLimits = text.split(" LIKE ", -1).length - 1 <= LikeLimits.MAX_LIKES;
            assertEquals(withinLikeLimits, check(text), () -> "should parse unless it has too many LIKEs: " + text);
        }
    }

    /** A random well-formed filter, nesting bounded well below {@link FilterParser#MAX_DEPTH}. */
    private static String expression(Random random, int depth) {
        int pick = depth > 6 ? 0 : random.nextInt(5);
        return switch (pick) {
            case 1 -> expression(random, depth + 1) + (random.nextBoolean() ? " AND " : " or ")
                    + expression(random, depth + 1);
            case 2 -> "NOT " + expression(random, depth + 1);
            case 3 -> "(" + expression(random, depth + 1) + ")";
            default -> predicate(random);
        };
    }

    private static String predicate(Random random) {
        String column = random.nextBoolean() ? "name" : "\"Version\"";
        return switch (random.nextInt(6)) {
            case 0 -> column + " IS " + (random.nextBoolean() ? "NOT " : "") + "NULL";
            case 1 -> column + (random.nextBoolean() ? " NOT" : "") + " LIKE " + value(random);
            case 2 -> column + (random.nextBoolean() ? " not" : "") + " in (" + value(random) + ", " + value(random) + ")";
            default -> column + " " + new String[] {"=", "==", "!=", "<>", "<", ">", "<=", ">="}[random.nextInt(8)]
                    + " " + value(random);
        };
    }

    private static String value(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> random.nextInt(1000) + "." + random.nextInt(1000);
            case 2 -> STRINGS[random.nextInt(STRINGS.length)];
            default -> "\"ubuntu\"";
        };
    }

    @Test
    void randomBytesAndCharsNeverThrow() {
        Random random = new Random(42L);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            check(new String(bytes, StandardCharsets.UTF_8));
            check(new String(bytes, StandardCharsets.ISO_8859_1));
            char[] chars = new char[random.nextInt(64)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) random.nextInt(0x80);
            }
            check(new String(chars));
        }
    }

    @Test
    void mutatedValidFiltersNeverThrow() {
        Random random = new Random(7L);
        String[] seeds = {
            "name='X' AND version=3", "name=\"ubuntu\"", "(name LIKE 'a%' OR NOT version IN (1, 2)) AND uid IS NOT NULL",
            "version NOT IN ('1','2') OR name NOT LIKE '%''%'",
        };
        for (int i = 0; i < ITERATIONS; i++) {
            StringBuilder text = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && text.length() > 0; e++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, (char) (32 + random.nextInt(95)));
                    default -> text.setCharAt(at, (char) (32 + random.nextInt(95)));
                }
            }
            check(text.toString());
        }
    }

    /**
     * Parses and renders; true when the text parsed. A 400 for LIKE work beyond the limits is an answer;
     * any other exception fails the test with the input.
     */
    private static boolean check(String text) {
        Filter filter;
        try {
            filter = Filter.parse(text, COLUMNS);
        } catch (FishException e) {
            if (e.kind() == FishException.Kind.BAD_REQUEST && e.getMessage().startsWith("filter: ")) {
                return false;
            }
            throw new AssertionError("parser threw on input: " + escape(text), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("parser threw on input: " + escape(text), e);
        }
        SqlWhere where = filter.toSql(c -> "\"" + c + "\"");
        long marks = where.sql().chars().filter(ch -> ch == '?').count();
        assertEquals(marks, where.params().size(), () -> "placeholder count for: " + escape(text));
        return filter != Filter.ALL && filter != Filter.NONE;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.append(cp >= 32 && cp < 127 ? Character.toString(cp)
                : String.format("\\u%04x", cp)));
        return out.toString();
    }
}
