package io.aquarium.fish.api.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.RawJson;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Our stored JSON documents (metadata, driver options, task options and results) as v2's
 * {@code google.protobuf.Struct} and back. A Struct's numbers are doubles: integral values go back to
 * JSON as integers ({@code 1}, not {@code 1.0}), so what REST v1 clients read stays as they would
 * write it. Beyond 2^53 precision is lost, as in every v2 client.
 */
final class StructJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double EXACT_LIMIT = 9_007_199_254_740_992d;

    private StructJson() {
    }

    /** A v2 Struct as our JSON; an unset one is {@code {}}. */
    static RawJson toJson(Struct struct, String field) {
        if (struct == null || struct.getFieldsCount() == 0) {
            return RawJson.EMPTY_OBJECT;
        }
        try {
            return new RawJson(JSON.writeValueAsString(object(struct, field)));
        } catch (JsonProcessingException e) {
            throw FishException.badRequest(field + ": not representable as JSON");
        }
    }

    /** Our JSON as a Struct. Only objects are Structs; the stored documents that are sent as Structs are objects. */
    static Struct toStruct(RawJson json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
        return tree != null && tree.isObject() ? struct(tree) : Struct.getDefaultInstance();
    }

    private static ObjectNode object(Struct struct, String field) {
        ObjectNode node = NODES.objectNode();
        // A Struct's keys have no order; sorted, the stored document is the same for the same content.
        for (Map.Entry<String, Value> entry : new TreeMap<>(struct.getFieldsMap()).entrySet()) {
            node.set(entry.getKey(), node(entry.getValue(), field));
        }
        return node;
    }

    private static JsonNode node(Value value, String field) {
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> NODES.nullNode();
            case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
            case STRING_VALUE -> NODES.textNode(value.getStringValue());
            case NUMBER_VALUE -> number(value.getNumberValue(), field);
            case STRUCT_VALUE -> object(value.getStructValue(), field);
            case LIST_VALUE -> {
                ArrayNode array = NODES.arrayNode();
                value.getListValue().getValuesList().forEach(v -> array.add(node(v, field)));
                yield array;
            }
        };
    }

    private static JsonNode number(double number, String field) {
        if (!Double.isFinite(number)) {
            throw FishException.badRequest(field + ": numbers must be finite");
        }
        if (number == Math.rint(number) && Math.abs(number) <= EXACT_LIMIT) {
            return NODES.numberNode((long) number);
        }
        return NODES.numberNode(number);
    }

    private static Struct struct(JsonNode object) {
        Struct.Builder struct = Struct.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            struct.putFields(entry.getKey(), value(entry.getValue()));
        }
        return struct.build();
    }

    private static Value value(JsonNode node) {
        Value.Builder value = Value.newBuilder();
        if (node.isObject()) {
            return value.setStructValue(struct(node)).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            node.forEach(item -> list.addValues(value(item)));
            return value.setListValue(list).build();
        }
        if (node.isNumber()) {
            return value.setNumberValue(node.asDouble()).build();
        }
        if (node.isBoolean()) {
            return value.setBoolValue(node.booleanValue()).build();
        }
        if (node.isTextual()) {
            return value.setStringValue(node.textValue()).build();
        }
        return value.setNullValue(NullValue.NULL_VALUE).build();
    }
}
