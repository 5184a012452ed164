package io.aquarium.fish.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1}ns")
    @CsvSource({
            "0, 0",
            "-0, 0",
            "30s, 30000000000",
            "2h, 7200000000000",
            "1d, 86400000000000",
            "1h30m30s, 5430000000000",
            "500ms, 500000000",
            "1.5h, 5400000000000",
            "-1s, -1000000000",
            "+5m, 300000000000",
            ".5s, 500000000",
            "5.s, 5000000000",
            "1us, 1000",
            "1µs, 1000",
            "1μs, 1000",
            "7ns, 7",
            "1.5ns, 1",
            "1d2h, 93600000000000",
            "2h45m, 9900000000000",
            "'  10s ', 10000000000",
            "2562047h47m16.854775807s, 9223372036854775807",
    })
    void parsesGoSyntax(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-", "s", "10", "1x", "1.2.3s", "..s", "1h-2m", "ten seconds", "1 h",
            "2562047h47m16.854775808s", "100000000d"})
    void rejectsMalformed(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
        assertTrue(e.getMessage().contains("duration"), e.getMessage());
    }

    @Test
    void messageQuotesTheInputAndUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("3w"));
        assertEquals("invalid duration '3w': unknown unit 'w' (use ns, us, ms, s, m, h or d)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("10"));
        assertTrue(e.getMessage().contains("missing unit"), e.getMessage());
    }

    @Test
    void parseOrNullTreatsBlankAsUnset() {
        assertNull(GoDuration.parseOrNull(null));
        assertNull(GoDuration.parseOrNull(""));
        assertNull(GoDuration.parseOrNull("  "));
        assertEquals(Duration.ofMinutes(1), GoDuration.parseOrNull("1m"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseOrNull("bad"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(null));
    }

    @ParameterizedTest(name = "{0}ns -> {1}")
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "999, 999ns",
            "1000, 1µs",
            "1500, 1.5µs",
            "500000000, 500ms",
            "1500000, 1.5ms",
            "1000000000, 1s",
            "11000000000, 11s",
            "1500000000, 1.5s",
            "90000000000, 1m30s",
            "3600000000000, 1h0m0s",
            "5430000000000, 1h30m30s",
            "86400000000000, 24h0m0s",
            "-1000000000, -1s",
            "-500000000, -500ms",
            "9223372036854775807, 2562047h47m16.854775807s",
    })
    void formatsLikeGo(long nanos, String expected) {
        assertEquals(expected, GoDuration.format(Duration.ofNanos(nanos)));
    }

    @Test
    void formatHandlesDurationsBeyondGoRange() {
        assertEquals("2400000h0m0s", GoDuration.format(Duration.ofDays(100_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h30m30s", "11s", "0s", "1.5s", "250ms", "-2h0m0s", "3µs", "42ns"})
    void formatOfParseRoundTrips(String text) {
        assertEquals(text, GoDuration.format(GoDuration.parse(text)));
    }
}
