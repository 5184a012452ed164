package io.aquarium.fish.api.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.aquarium.fish.core.model.RawJson;

import java.util.Iterator;
import java.util.Map;

/** A stored JSON object (metadata, driver options) as a protobuf {@link Struct}, the type v2 messages use. */
final class JsonStruct {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonStruct() {
    }

    /** The object's fields; anything but an object (never stored for these fields) gives an empty Struct. */
    static Struct of(RawJson json) {
        JsonNode node;
        try {
            node = JSON.readTree(json.json());
        } catch (JsonProcessingException e) {
            return Struct.getDefaultInstance();
        }
        return node != null && node.isObject() ? struct(node) : Struct.getDefaultInstance();
    }

    private static Struct struct(JsonNode object) {
        Struct.Builder struct = Struct.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            struct.putFields(field.getKey(), value(field.getValue()));
        }
        return struct.build();
    }

    private static Value value(JsonNode node) {
        if (node.isObject()) {
            return Value.newBuilder().setStructValue(struct(node)).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            node.forEach(item -> list.addValues(value(item)));
            return Value.newBuilder().setListValue(list).build();
        }
        if (node.isNumber()) {
            return Value.newBuilder().setNumberValue(node.asDouble()).build();
        }
        if (node.isBoolean()) {
            return Value.newBuilder().setBoolValue(node.asBoolean()).build();
        }
        if (node.isNull()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        return Value.newBuilder().setStringValue(node.asText()).build();
    }
}
