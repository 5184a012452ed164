package io.aquarium.fish.drivers.test;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.model.RawJson;

import java.time.Duration;

/**
 * The {@code options} of a label definition served by the test driver. Unknown keys are ignored
 * (options are shared with the original implementation, which ignores them too); a key given
 * {@code null} keeps its default.
 *
 * @param failOptionsApply rolled by {@code validate} (as is failOptionsValidate)
 * @param failDeallocate   rolled by {@code deallocate}, on top of the instance's own knob
 */
public record TestDriverOptions(int failOptionsApply, int failOptionsValidate, int failAvailableCapacity,
                                int failAllocate, int failDeallocate, Duration delayAvailableCapacity,
                                Duration delayAllocate, Duration delayDeallocate) {
    public static final TestDriverOptions DEFAULTS =
            new TestDriverOptions(0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** @throws DriverException when the options are not JSON, not an object, or a known key has a wrong value */
    public static TestDriverOptions parse(RawJson options) {
        if (options == null || options.json().isBlank()) {
            return DEFAULTS;
        }
        JsonNode root;
        try {
            root = JSON.readTree(options.json());
        } catch (JacksonException e) {
            throw new DriverException("test driver: unable to parse the definition options: "
                    + e.getOriginalMessage());
        }
        if (root == null || root.isNull()) {
            return DEFAULTS;
        }
        if (!root.isObject()) {
            throw new DriverException("test driver: the definition options must be a JSON object");
        }
        return new TestDriverOptions(
                knob(root, "fail_options_apply"), knob(root, "fail_options_validate"),
                knob(root, "fail_available_capacity"), knob(root, "fail_allocate"), knob(root, "fail_deallocate"),
                delay(root, "delay_available_capacity"), delay(root, "delay_allocate"),
                delay(root, "delay_deallocate"));
    }

    private static int knob(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > FailureDice.ALWAYS) {
            throw invalid(key, "expected an integer from 0 (never fail) to 255 (always fail)", v);
        }
        return v.intValue();
    }

    /** Seconds, decimals allowed, truncated to whole milliseconds; zero or negative means no delay. */
    private static Duration delay(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return Duration.ZERO;
        }
        if (!v.isNumber()) {
            throw invalid(key, "expected a number of seconds", v);
        }
        double seconds = v.doubleValue();
        if (!(seconds > 0)) {
            return Duration.ZERO;
        }
        // The cast saturates, so an absurd delay becomes a very long one instead of an overflow.
        return Duration.ofMillis((long) Math.floor(seconds * 1000));
    }

    private static DriverException invalid(String key, String expected, JsonNode got) {
        String text = got.toString();
        if (text.length() > 60) {
            text = text.substring(0, 60) + "...";
        }
        return new DriverException("test driver option '" + key + "': " + expected + " (got " + text + ")");
    }
}
