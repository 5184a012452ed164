package io.aquarium.fish.api.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown table a benchmark prints: metric, value, target; and the number formats its rows use. */
final class BenchTable {
    private final List<String[]> rows = new ArrayList<>();

    void row(String metric, String value, String target) {
        rows.add(new String[] {metric, value, target});
    }

    void print() {
        System.out.println("| metric | value | target |");
        System.out.println("|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " |");
        }
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.1f ms" : "%.0f ms", millis);
    }
}
