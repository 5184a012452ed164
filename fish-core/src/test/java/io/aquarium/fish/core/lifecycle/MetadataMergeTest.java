package io.aquarium.fish.core.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.core.model.RawJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetadataMergeTest {
    private static String merge(String app, String label) {
        return MetadataMerge.merge(new RawJson(app), new RawJson(label)).json();
    }

    @Test
    void applicationKeysFirstThenLabelKeys() {
        assertEquals("{\"test1\":\"test2\",\"testk\":\"testv\"}", merge("{\"test1\":\"test2\"}", "{\"testk\":\"testv\"}"));
    }

    @Test
    void labelWinsAndOverriddenKeyKeepsItsPlace() {
        assertEquals("{\"a\":\"label\",\"b\":2,\"c\":3}", merge("{\"a\":\"app\",\"b\":2}", "{\"c\":3,\"a\":\"label\"}"));
    }

    @Test
    void valuesKeepTheirExactText() {
        String app = "{ \"int\" : 1000000 , \"dec\": 1.10,\"big\":123456789012345678901234567890.000001,"
                + "\"exp\":1e6, \"nested\": {\"x\" : [1, 2.50, \"s\"]},\"esc\":\"q\\\"\\u00e9\\n\",\"t\":true,\"n\":null }";
        assertEquals("{\"int\":1000000,\"dec\":1.10,\"big\":123456789012345678901234567890.000001,\"exp\":1e6,"
                + "\"nested\":{\"x\" : [1, 2.50, \"s\"]},\"esc\":\"q\\\"\\u00e9\\n\",\"t\":true,\"n\":null}", merge(app, "{}"));
    }

    @Test
    void resultIsValidJsonEqualToTheTreeMerge() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String app = "{\"k\\\"ey\":\"v\",\"o\":{\"a\":1},\"arr\":[{\"b\":[]}],\"ü\":\"✓\"}";
        String label = "{\"o\":{\"z\":true},\"new\":-0.5e-3}";
        assertEquals(json.readTree("{\"k\\\"ey\":\"v\",\"o\":{\"z\":true},\"arr\":[{\"b\":[]}],\"ü\":\"✓\",\"new\":-0.5e-3}"),
                json.readTree(merge(app, label)));
    }

    @Test
    void emptyAndNonObjectDocumentsAddNothing() {
        assertEquals("{}", merge("{}", "{}"));
        assertEquals("{\"a\":1}", merge("[1,2]", "{\"a\":1}"));
        assertEquals("{\"a\":1}", merge("{\"a\":1}", "null"));
    }

    @Test
    void duplicateKeysLastWins() {
        assertEquals("{\"a\":2}", merge("{\"a\":1,\"a\":2}", "{}"));
    }
}
