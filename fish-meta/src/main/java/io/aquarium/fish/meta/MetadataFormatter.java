package io.aquarium.fish.meta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.aquarium.fish.core.lifecycle.MetadataEnvironment;
import io.aquarium.fish.core.lifecycle.ProtectedVariables;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders metadata in every Meta API format. Pure: no I/O, no state.
 *
 * <p>Text formats ({@code env}, {@code export}, {@code ps1}) print one line per scalar, sorted by key:
 * <ul>
 *   <li>Nested keys are joined with {@code _}; array items get their index ({@code list_0}, {@code list_1}),
 *       so items that are objects stay addressable. Empty objects and arrays print nothing.</li>
 *   <li>The key is {@code prefix_} + that path, then every character outside {@code [A-Za-z0-9_]} becomes
 *       {@code _} (one per code point), and a key starting with a digit (or empty) gets a leading {@code _}.</li>
 *   <li>Two paths that sanitise to the same key (for example {@code a-b} and {@code a.b}): the path that
 *       sorts last (segment by segment, by UTF-16 code unit) wins, whatever the input order: the rule the
 *       drivers' environments follow ({@link MetadataEnvironment#CLASH_ORDER}).</li>
 *   <li>A key that {@link ProtectedVariables} protects ({@code PATH}, {@code LD_PRELOAD}, {@code PERL5OPT},
 *       ...) is left out: these lines are meant to be sourced by a shell, and such a variable would change
 *       how the programs run after it. {@link Rendered#blocked()} names what was left out.</li>
 *   <li>Values: strings as they are, booleans {@code true}/{@code false}, null as empty, numbers as written
 *       ({@code 1000000}, {@code 1.10}); an exponent form ({@code 1e6}) is expanded to plain digits when that
 *       takes at most {@value #MAX_PLAIN_NUMBER} characters.</li>
 *   <li>{@code env}/{@code export}: a value made only of {@code [A-Za-z0-9_@%+=:,./-]} is bare, anything else
 *       (also empty) is single-quoted with {@code '} written as {@code '\''}: nothing inside is expanded
 *       and newlines survive. {@code ps1}: always single-quoted with quotes doubled, including the
 *       typographic single quotes PowerShell also accepts as delimiters.</li>
 * </ul>
 * JSON and YAML keep the structure; numbers keep their text.
 */
public final class MetadataFormatter {
    static final int MAX_PLAIN_NUMBER = 64;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private MetadataFormatter() {
    }

    /** A rendering: the text, and the protected variable names a text format left out (sorted). */
    public record Rendered(String body, List<String> blocked) {
        public Rendered {
            blocked = List.copyOf(blocked);
        }
    }

    /**
     * {@code value} rendered in {@code format}. {@code path} is where the value sits in the metadata
     * (empty for the whole document): text formats start their keys with it. {@code prefix} applies to
     * text formats only; null or empty = none.
     */
    public static Rendered render(MetaValue value, List<String> path, MetaFormat format, String prefix) {
        return switch (format) {
            case JSON -> new Rendered(json(value), List.of());
            case YAML -> new Rendered(yaml(value), List.of());
            case ENV, EXPORT, PS1 -> lines(value, path, format, prefix);
        };
    }

    /** The text of {@link #render}. */
    public static String format(MetaValue value, List<String> path, MetaFormat format, String prefix) {
        return render(value, path, format, prefix).body();
    }

    static String json(MetaValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String yaml(MetaValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = YAML.createGenerator(out)) {
            write(g, value, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, MetaValue value, boolean plainNumbers) throws IOException {
        if (value instanceof MetaValue.Obj o) {
            g.writeStartObject();
            for (Map.Entry<String, MetaValue> e : o.fields().entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue(), plainNumbers);
            }
            g.writeEndObject();
        } else if (value instanceof MetaValue.Arr a) {
            g.writeStartArray();
            for (MetaValue item : a.items()) {
                write(g, item, plainNumbers);
            }
            g.writeEndArray();
        } else if (value instanceof MetaValue.Str s) {
            g.writeString(s.value());
        } else if (value instanceof MetaValue.Num n) {
            // YAML 1.1 readers take "1e6" (no dot) for a string: give them the digits.
            g.writeNumber(plainNumbers ? numberText(n.text()) : n.text());
        } else if (value instanceof MetaValue.Bool b) {
            g.writeBoolean(b.value());
        } else {
            g.writeNull();
        }
    }

    private static Rendered lines(MetaValue value, List<String> path, MetaFormat format, String prefix) {
        List<String> start = new ArrayList<>();
        if (prefix != null && !prefix.isEmpty()) {
            start.add(prefix);
        }
        start.addAll(path);
        TreeMap<String, Line> byKey = new TreeMap<>();
        flatten(value, start, byKey);
        List<String> blocked = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        byKey.forEach((key, line) -> {
            if (ProtectedVariables.isProtected(key)) {
                blocked.add(key);
                return;
            }
            switch (format) {
                case ENV -> out.append(key).append('=').append(shellQuote(line.text()));
                case EXPORT -> out.append("export ").append(key).append('=').append(shellQuote(line.text()));
                case PS1 -> out.append('$').append(key).append('=').append(ps1Quote(line.text()));
                default -> throw new IllegalArgumentException("not a text format: " + format);
            }
            out.append('\n');
        });
        return new Rendered(out.toString(), blocked);
    }

    private record Line(List<String> path, String text) {
    }

    private static void flatten(MetaValue value, List<String> path, TreeMap<String, Line> into) {
        if (value instanceof MetaValue.Obj o) {
            o.fields().forEach((k, v) -> flatten(v, append(path, k), into));
        } else if (value instanceof MetaValue.Arr a) {
            for (int i = 0; i < a.items().size(); i++) {
                flatten(a.items().get(i), append(path, Integer.toString(i)), into);
            }
        } else {
            Line line = new Line(path, scalarText(value));
            into.merge(sanitiseKey(String.join("_", path)), line,
                    (old, now) -> MetadataEnvironment.CLASH_ORDER.compare(old.path(), now.path()) >= 0 ? old : now);
        }
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> next = new ArrayList<>(path.size() + 1);
        next.addAll(path);
        next.add(segment);
        return next;
    }

    static String scalarText(MetaValue value) {
        if (value instanceof MetaValue.Str s) {
            return s.value();
        }
        if (value instanceof MetaValue.Num n) {
            return numberText(n.text());
        }
        if (value instanceof MetaValue.Bool b) {
            return Boolean.toString(b.value());
        }
        return "";
    }

    /** The number as written, but {@code 1e6} as {@code 1000000} when the plain form is short. */
    static String numberText(String text) {
        if (text.indexOf('e') < 0 && text.indexOf('E') < 0) {
            return text;
        }
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return text; // an exponent beyond int range: leave it as written
        }
        // Estimated before building it: "1e999999999" must not become a billion zeros.
        long digits = number.precision();
        long scale = number.scale();
        long plainLength = scale <= 0 ? digits - scale : Math.max(digits, scale + 1) + 1;
        return plainLength + 1 <= MAX_PLAIN_NUMBER ? number.toPlainString() : text;
    }

    /** The variable-name rule shared with the drivers' environments. */
    static String sanitiseKey(String key) {
        return MetadataEnvironment.sanitizeKey(key);
    }

    /** POSIX shell word for {@code value}: bare when nothing in it is special, else single-quoted. */
    static String shellQuote(String value) {
        if (SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** PowerShell verbatim string: every single-quote character PowerShell knows is doubled. */
    static String ps1Quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c);
            if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
