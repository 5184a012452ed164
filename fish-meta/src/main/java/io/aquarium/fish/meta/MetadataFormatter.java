package io.aquarium.fish.meta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.aquarium.fish.core.metadata.MetadataEnvironment;
import io.aquarium.fish.core.metadata.MetadataValue;
import io.aquarium.fish.core.metadata.ProtectedVariables;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 *       takes at most {@value MetadataValue.Num#MAX_PLAIN_NUMBER} characters
 *       ({@link MetadataValue.Num#plainText()}, the rule of the drivers' environments too).</li>
 *   <li>{@code env}/{@code export}: a value made only of {@code [A-Za-z0-9_@%+=:,./-]} is bare, anything else
 *       (also empty) is single-quoted with {@code '} written as {@code '\''}: nothing inside is expanded
 *       and newlines survive. {@code ps1}: always single-quoted with quotes doubled, including the
 *       typographic single quotes PowerShell also accepts as delimiters.</li>
 * </ul>
 * JSON and YAML keep the structure; numbers keep their text.
 */
public final class MetadataFormatter {
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
    public static Rendered render(MetadataValue value, List<String> path, MetaFormat format, String prefix) {
        return switch (format) {
            case JSON -> new Rendered(json(value), List.of());
            case YAML -> new Rendered(yaml(value), List.of());
            case ENV, EXPORT, PS1 -> lines(value, path, format, prefix);
        };
    }

    /** The text of {@link #render}. */
    public static String format(MetadataValue value, List<String> path, MetaFormat format, String prefix) {
        return render(value, path, format, prefix).body();
    }

    static String json(MetadataValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String yaml(MetadataValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = YAML.createGenerator(out)) {
            write(g, value, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, MetadataValue value, boolean plainNumbers) throws IOException {
        if (value instanceof MetadataValue.Obj o) {
            g.writeStartObject();
            for (Map.Entry<String, MetadataValue> e : o.fields().entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue(), plainNumbers);
            }
            g.writeEndObject();
        } else if (value instanceof MetadataValue.Arr a) {
            g.writeStartArray();
            for (MetadataValue item : a.items()) {
                write(g, item, plainNumbers);
            }
            g.writeEndArray();
        } else if (value instanceof MetadataValue.Str s) {
            g.writeString(s.value());
        } else if (value instanceof MetadataValue.Num n) {
            // YAML 1.1 readers take "1e6" (no dot) for a string: give them the digits.
            g.writeNumber(plainNumbers ? n.plainText() : n.text());
        } else if (value instanceof MetadataValue.Bool b) {
            g.writeBoolean(b.value());
        } else {
            g.writeNull();
        }
    }

    private static Rendered lines(MetadataValue value, List<String> path, MetaFormat format, String prefix) {
        List<String> start = new ArrayList<>();
        if (prefix != null && !prefix.isEmpty()) {
            start.add(prefix);
        }
        start.addAll(path);
        List<String> blocked = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        MetadataEnvironment.variables(value, start).forEach((key, text) -> {
            if (ProtectedVariables.isProtected(key)) {
                blocked.add(key);
                return;
            }
            switch (format) {
                case ENV -> out.append(key).append('=').append(shellQuote(text));
                case EXPORT -> out.append("export ").append(key).append('=').append(shellQuote(text));
                case PS1 -> out.append('$').append(key).append('=').append(ps1Quote(text));
                default -> throw new IllegalArgumentException("not a text format: " + format);
            }
            out.append('\n');
        });
        return new Rendered(out.toString(), blocked);
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
