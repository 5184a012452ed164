package io.aquarium.fish.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DriverConfigTest {

    @Test
    void splitsDriverAndInstance() {
        DriverConfig plain = new DriverConfig("test", null);
        assertEquals("test", plain.driver());
        assertEquals("", plain.instance());
        assertEquals(Map.of(), plain.cfg());

        DriverConfig instance = new DriverConfig("test/dev");
        assertEquals("test", instance.driver());
        assertEquals("dev", instance.instance());
    }

    @Test
    void cfgIsADeepImmutableCopy() {
        List<Object> list = new ArrayList<>(List.of(1, 2));
        Map<String, Object> nested = new HashMap<>(Map.of("a", list));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("nested", nested);
        cfg.put("nothing", null);
        DriverConfig driver = new DriverConfig("test", cfg);

        list.add(3);
        nested.put("b", "x");
        cfg.put("late", true);

        assertEquals(List.of(1, 2), ((Map<?, ?>) driver.cfg().get("nested")).get("a"));
        assertEquals(2, driver.cfg().size());
        assertThrows(UnsupportedOperationException.class, () -> driver.cfg().put("x", 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) driver.cfg().get("nested");
        assertThrows(UnsupportedOperationException.class, () -> inner.put("x", 1));
        @SuppressWarnings("unchecked")
        List<Object> innerList = (List<Object>) inner.get("a");
        assertThrows(UnsupportedOperationException.class, () -> innerList.add(4));
    }

    @Test
    void rejectsNonYamlValuesAndKeys() {
        assertThrows(IllegalArgumentException.class, () -> new DriverConfig("test", Map.of("k", new Object())));
        assertThrows(IllegalArgumentException.class,
                () -> new DriverConfig("test", Map.of("k", Map.of(1, "non-string key"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "test/", "/dev", "a/b/c", "te st", "test dev"})
    void rejectsBadNames(String name) {
        assertThrows(IllegalArgumentException.class, () -> new DriverConfig(name, Map.of()));
    }

    @Test
    void rejectsNullName() {
        assertThrows(IllegalArgumentException.class, () -> new DriverConfig(null, Map.of()));
    }
}
