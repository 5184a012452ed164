package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.model.RawJson;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestDriverOptionsTest {
    @Test
    void emptyOrNullOptionsAreDefaults() {
        assertEquals(TestDriverOptions.DEFAULTS, parse("{}"));
        assertEquals(TestDriverOptions.DEFAULTS, parse("null"));
        assertEquals(TestDriverOptions.DEFAULTS, parse("  "));
        assertEquals(TestDriverOptions.DEFAULTS, TestDriverOptions.parse(null));
    }

    @Test
    void readsEveryKeyAndIgnoresUnknownOnes() {
        TestDriverOptions o = parse("{\"fail_options_apply\":1,\"fail_options_validate\":2,"
                + "\"fail_available_capacity\":3,\"fail_allocate\":255,\"fail_deallocate\":0,"
                + "\"delay_available_capacity\":0.25,\"delay_allocate\":2,\"delay_deallocate\":1.0005,"
                + "\"image\":\"whatever\",\"fail_allocate_extra\":[1]}");
        assertEquals(new TestDriverOptions(1, 2, 3, 255, 0, Duration.ofMillis(250), Duration.ofSeconds(2),
                Duration.ofMillis(1000)), o);
    }

    @Test
    void nullValuesAndNonPositiveDelaysMeanNone() {
        TestDriverOptions o = parse("{\"fail_allocate\":null,\"delay_allocate\":-3,\"delay_deallocate\":0}");
        assertEquals(TestDriverOptions.DEFAULTS, o);
    }

    @Test
    void badOptionsAreRejectedClearly() {
        assertInvalid("{\"fail_allocate\":", "test driver: unable to parse the definition options");
        assertInvalid("{} {}", "test driver: unable to parse the definition options");
        assertInvalid("[1]", "test driver: the definition options must be a JSON object");
        assertInvalid("\"text\"", "must be a JSON object");
        assertInvalid("{\"fail_allocate\":256}",
                "test driver option 'fail_allocate': expected an integer from 0 (never fail) to 255 (always fail) (got 256)");
        assertInvalid("{\"fail_options_apply\":-1}", "'fail_options_apply'");
        assertInvalid("{\"fail_available_capacity\":1.5}", "'fail_available_capacity'");
        assertInvalid("{\"fail_deallocate\":\"255\"}", "(got \"255\")");
        assertInvalid("{\"fail_allocate\":99999999999}", "'fail_allocate'");
        assertInvalid("{\"delay_allocate\":\"1s\"}",
                "test driver option 'delay_allocate': expected a number of seconds (got \"1s\")");
        assertInvalid("{\"delay_available_capacity\":true}", "'delay_available_capacity'");
    }

    private static TestDriverOptions parse(String json) {
        return TestDriverOptions.parse(new RawJson(json));
    }

    private static void assertInvalid(String json, String expected) {
        DriverException e = assertThrows(DriverException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
