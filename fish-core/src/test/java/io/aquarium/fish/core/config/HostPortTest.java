package io.aquarium.fish.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "0.0.0.0:8001, 0.0.0.0, 8001",
            "127.0.0.1:0, 127.0.0.1, 0",
            "fish.example.com:65535, fish.example.com, 65535",
            "'[::1]:8001', ::1, 8001",
            "'[fe80::1%eth0]:9000', fe80::1%eth0, 9000",
            "':8001', '', 8001",
            "localhost:080, localhost, 80",
    })
    void parses(String text, String host, int port) {
        HostPort parsed = HostPort.parse(text);
        assertEquals(new HostPort(host, port), parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:8001", "127.0.0.1:0", "[::1]:8001", ":8001", "host:1"})
    void toStringRoundTrips(String text) {
        assertEquals(text, HostPort.parse(text).toString());
    }

    @Test
    void toStringBracketsIpv6() {
        assertEquals("[::1]:80", new HostPort("::1", 80).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "localhost", "localhost:", "localhost:65536", "localhost:-1", "localhost:80a",
            "::1:8001", "[::1]", "[::1]8001", "[::1:8001", "a b:80", "host:123456", "http://host:80"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
        assertTrue(e.getMessage().contains("host:port"), e.getMessage());
    }

    @Test
    void constructorChecksPortRange() {
        assertThrows(IllegalArgumentException.class, () -> new HostPort("h", 65_536));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("h", -1));
        assertThrows(IllegalArgumentException.class, () -> new HostPort(null, 1));
    }
}
