package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one place the wire's JSON settings live: compact output, keys in byte-sorted order (shell
 * clients split on it), numbers in request bodies kept exact (BigDecimal with its trailing zeros,
 * written plain: {@code 1.10} stays {@code 1.10}, {@code 1e6} becomes {@code 1000000}).
 */
public final class WireJson {
    private final ObjectMapper json;
    private final ObjectMapper yaml;

    public WireJson() {
        this.json = configure(JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build());
        LoaderOptions limits = new LoaderOptions();
        limits.setMaxAliasesForCollections(50);
        limits.setNestingDepthLimit(64);
        limits.setCodePointLimit(256 * 1024);
        this.yaml = configure(YAMLMapper.builder(YAMLFactory.builder().loaderOptions(limits).build())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build());
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(128 * 1024).maxNumberLength(64).build());
        return mapper;
    }

    /** Reads and writes JSON. */
    public ObjectMapper json() {
        return json;
    }

    /** Reads YAML request bodies into the same trees and DTOs as JSON. */
    public ObjectMapper yaml() {
        return yaml;
    }
}
