package io.aquarium.fish.drivers.nativeproc;

import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.model.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeDriverOptionsTest {
    @Test
    void commandAndEnvAreRead() {
        NativeDriverOptions o = NativeDriverOptions.parse(new RawJson(
                "{\"command\":[\"sh\",\"-c\",\"sleep 600\"],\"env\":{\"A\":\"x\",\"N\":3,\"B\":true},\"other\":1}"));
        assertEquals(List.of("sh", "-c", "sleep 600"), o.command());
        assertEquals(Map.of("A", "x", "N", "3", "B", "true"), o.env());
    }

    @Test
    void envNumbersReadAsInMetadata() {
        NativeDriverOptions o = NativeDriverOptions.parse(new RawJson(
                "{\"command\":[\"true\"],\"env\":{\"A\":1.10,\"B\":1e6,\"C\":12345678901234567890,\"D\":1E-7}}"));
        assertEquals(Map.of("A", "1.10", "B", "1000000", "C", "12345678901234567890", "D", "0.0000001"), o.env());
    }

    @Test
    void envIsOptional() {
        assertEquals(Map.of(), NativeDriverOptions.parse(new RawJson("{\"command\":[\"true\"]}")).env());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"command\":[]}", "{\"command\":\"sleep 600\"}", "{\"command\":[\"\"]}",
            "{\"command\":[\"sh\",1]}", "{\"command\":[\"a\\u0000b\"]}", "[]", "not json", "null"})
    void aMissingOrMalformedCommandIsRejected(String json) {
        DriverException e = assertThrows(DriverException.class, () -> NativeDriverOptions.parse(new RawJson(json)));
        assertTrue(e.getMessage().startsWith("native driver"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"command\":[\"true\"],\"env\":[\"A=b\"]}",
            "{\"command\":[\"true\"],\"env\":{\"1A\":\"x\"}}", "{\"command\":[\"true\"],\"env\":{\"A-B\":\"x\"}}",
            "{\"command\":[\"true\"],\"env\":{\"A\":{\"b\":1}}}", "{\"command\":[\"true\"],\"env\":{\"A\":null}}"})
    void aMalformedEnvIsRejected(String json) {
        DriverException e = assertThrows(DriverException.class, () -> NativeDriverOptions.parse(new RawJson(json)));
        assertTrue(e.getMessage().contains("'env'"), e.getMessage());
    }
}
