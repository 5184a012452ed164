package io.aquarium.fish.core.metadata;

import io.aquarium.fish.core.model.RawJson;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataEnvironmentTest {
    @Test
    void flatScalarsKeepTheirText() {
        assertEquals(Map.of("test1", "test2", "N", "42", "B", "true", "Z", ""),
                MetadataEnvironment.of(new RawJson("{\"test1\":\"test2\",\"N\":42,\"B\":true,\"Z\":null}")));
    }

    @Test
    void nestedKeysAreJoinedWithUnderscoreAndArraysByIndex() {
        var env = MetadataEnvironment.of(new RawJson("{\"a\":{\"b\":{\"c\":\"x\"}},\"l\":[\"p\",{\"q\":1}]}"));
        assertEquals(Map.of("a_b_c", "x", "l_0", "p", "l_1_q", "1"), env);
    }

    @Test
    void keysUseTheMetaApiNameRule() {
        var env = MetadataEnvironment.of(new RawJson("{\"my-key.x\":\"v\",\"$(rm)\":\"w\",\"9lives\":\"cat\",\"\":\"e\"}"));
        assertEquals(Map.of("my_key_x", "v", "__rm_", "w", "_9lives", "cat", "_", "e"), env);
    }

    @Test
    void numbersKeepTheirWrittenForm() {
        var env = MetadataEnvironment.of(new RawJson("{\"a\":1.10,\"b\":1e6,\"c\":12345678901234567890,\"d\":true}"));
        assertEquals(Map.of("a", "1.10", "b", "1000000", "c", "12345678901234567890", "d", "true"), env);
    }

    @Test
    void sortedByName() {
        var env = MetadataEnvironment.of(new RawJson("{\"b\":\"1\",\"a\":\"2\",\"C\":\"3\"}"));
        assertEquals(List.of("C", "a", "b"), List.copyOf(env.keySet()));
    }

    @Test
    void notAnObjectGivesNothing() {
        assertTrue(MetadataEnvironment.of(new RawJson("[1,2]")).isEmpty());
        assertTrue(MetadataEnvironment.of(new RawJson("not json")).isEmpty());
        assertTrue(MetadataEnvironment.of(null).isEmpty());
    }

    @Test
    void nulCharactersAreRemovedFromValues() {
        assertEquals(Map.of("k", "ab"), MetadataEnvironment.of(new RawJson("{\"k\":\"a\\u0000b\"}")));
    }

    @Test
    void clashesWithinOneDocumentGoToThePathThatSortsLastAsInTheMetaApi() {
        // "a.b" sorts after "a-b", and ["a_b"] after ["a","b"]: the same answers as the Meta API's.
        assertEquals(Map.of("a_b", "dot"), MetadataEnvironment.of(new RawJson("{\"a.b\":\"dot\",\"a-b\":\"dash\"}")));
        assertEquals(Map.of("a_b", "dot"), MetadataEnvironment.of(new RawJson("{\"a-b\":\"dash\",\"a.b\":\"dot\"}")));
        assertEquals(Map.of("a_b", "flat"),
                MetadataEnvironment.of(new RawJson("{\"a_b\":\"flat\",\"a\":{\"b\":\"nested\"}}")));
        assertEquals(Map.of("a_b", "flat"),
                MetadataEnvironment.of(new RawJson("{\"a\":{\"b\":\"nested\"},\"a_b\":\"flat\"}")));
    }

    @Test
    void namesOfOneField() {
        assertEquals(java.util.Set.of("a_b", "a_c_0"), MetadataEnvironment.names("a", "{\"b\":1,\"c\":[true]}"));
        assertEquals(java.util.Set.of("JENKINS_URL"), MetadataEnvironment.names("JENKINS~URL", "\"x\""));
        assertEquals(java.util.Set.of(), MetadataEnvironment.names("a", "{}"));
    }
}
