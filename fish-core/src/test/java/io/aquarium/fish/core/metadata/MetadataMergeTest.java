package io.aquarium.fish.core.metadata;

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

    @Test
    void theLabelAlsoWinsAfterKeysAreSanitised() {
        // Issue 10: the application's JENKINS~URL would print as JENKINS_URL beside the label's.
        assertEquals("{\"other\":1,\"JENKINS_URL\":\"http://label/\"}",
                merge("{\"JENKINS~URL\":\"http://evil/\",\"other\":1}", "{\"JENKINS_URL\":\"http://label/\"}"));
        // Whatever the application's keys look like, and in whatever order.
        assertEquals("{\"JENKINS_URL\":\"label\"}",
                merge("{\"JENKINS_URL\":\"app\",\"JENKINS-URL\":\"app\"}", "{\"JENKINS_URL\":\"label\"}"));
        assertEquals("{\"JENKINS~URL\":\"label\"}",
                merge("{\"JENKINS_URL\":\"app\"}", "{\"JENKINS~URL\":\"label\"}"));
    }

    @Test
    void aClashBetweenNestedAndFlatKeysAlsoGoesToTheLabel() {
        // {"a":{"b":..}} and "a_b" both make the variable a_b: the application's whole key goes.
        assertEquals("{\"keep\":true,\"a_b\":\"label\"}",
                merge("{\"a\":{\"b\":\"app\",\"c\":1},\"keep\":true}", "{\"a_b\":\"label\"}"));
        assertEquals("{\"keep\":true,\"a\":[\"label\"]}",
                merge("{\"a_0\":\"app\",\"keep\":true}", "{\"a\":[\"label\"]}"));
        // Empty values make no variable, so they clash with nothing.
        assertEquals("{\"a\":{},\"a_b\":1}", merge("{\"a\":{}}", "{\"a_b\":1}"));
    }

    @Test
    void theVariablesOfTheMergeAreTheLabelsWhereTheyClash() {
        RawJson merged = MetadataMerge.merge(new RawJson("{\"JENKINS~URL\":\"http://evil/\",\"x\":{\"y\":1}}"),
                new RawJson("{\"JENKINS_URL\":\"http://label/\",\"x_y\":2}"));
        assertEquals(java.util.Map.of("JENKINS_URL", "http://label/", "x_y", "2"), MetadataEnvironment.of(merged));
    }
}
