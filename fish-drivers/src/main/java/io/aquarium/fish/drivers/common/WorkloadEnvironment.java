package io.aquarium.fish.drivers.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.metadata.BlockedVariables;
import io.aquarium.fish.core.metadata.MetadataEnvironment;
import io.aquarium.fish.core.metadata.MetadataValue;
import io.aquarium.fish.core.metadata.ProtectedVariables;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a workload gets: the merged metadata as variables (see
 * {@link MetadataEnvironment}), then the definition's {@code env} option on top. Metadata comes from
 * users, so it may not set the variables that decide what a program runs and how
 * ({@link ProtectedVariables}); those it names are left out and reported once per application
 * ({@link BlockedVariables}). The definition's {@code env}, written by whoever made the label, may.
 */
public final class WorkloadEnvironment {
    /**
     * How drivers read their definition options: one document, decimals exact (so an {@code env}
     * value of {@code 1.10} stays {@code 1.10}, as in metadata).
     */
    public static final JsonMapper OPTIONS_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private WorkloadEnvironment() {
    }

    /** The metadata's variables of {@code request}, without those metadata may not set. */
    public static Map<String, String> fromMetadata(AllocationRequest request) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> blocked = new ArrayList<>();
        MetadataEnvironment.of(request.metadata()).forEach((k, v) -> {
            if (ProtectedVariables.isProtected(k)) {
                blocked.add(k);
            } else {
                env.put(k, v);
            }
        });
        BlockedVariables.report(request.applicationUid(), blocked);
        return env;
    }

    /**
     * Reads an {@code env} option (parsed with {@link #OPTIONS_JSON}): an object of NAME to a string,
     * number or boolean; absent or null gives an empty map. Numbers read as in metadata
     * ({@link MetadataValue.Num#plainText()}).
     *
     * @param driver the driver's name for messages ("docker driver")
     */
    public static Map<String, String> parseOption(JsonNode node, String driver) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw invalid(driver, "expected an object of NAME: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!NAME.matcher(e.getKey()).matches()) {
                throw invalid(driver, "variable names must match [A-Za-z_][A-Za-z0-9_]*");
            }
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull() || v.asText().indexOf('\0') >= 0) {
                throw invalid(driver, "the value of " + e.getKey() + " must be a string, number or boolean");
            }
            out.put(e.getKey(), v.isNumber()
                    ? new MetadataValue.Num(v.isBigDecimal() ? v.decimalValue().toString() : v.asText()).plainText()
                    : v.asText());
        }
        return out;
    }

    /**
     * Reads a {@code command} option: a list of strings, the program first.
     *
     * @param required whether an absent command is an error (else: empty list)
     */
    public static List<String> parseCommand(JsonNode node, String driver, boolean required) {
        if ((node == null || node.isNull()) && !required) {
            return List.of();
        }
        String expected = "expected a non-empty list of strings, the program first";
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new DriverException(driver + " option 'command': " + expected);
        }
        ArrayList<String> argv = new ArrayList<>();
        for (JsonNode arg : node) {
            if (!arg.isTextual() || arg.asText().indexOf('\0') >= 0) {
                throw new DriverException(driver + " option 'command': " + expected);
            }
            argv.add(arg.asText());
        }
        if (argv.get(0).isEmpty()) {
            throw new DriverException(driver + " option 'command': " + expected);
        }
        return List.copyOf(argv);
    }

    private static DriverException invalid(String driver, String expected) {
        return new DriverException(driver + " option 'env': " + expected);
    }
}
