package io.aquarium.fish.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps our OpenAPI document well-formed and in step with the reference API of the original node,
 * whose schemas strict generated clients enforce key by key.
 */
class OpenApiDocumentTest {
    private static final String DOCUMENT = "/openapi/aquarium-fish-v1.yaml";
    /** Surefire runs in the module directory; the reference lives in the shared folder beside the checkout. */
    private static final Path REFERENCE = Path.of("..", "..", "shared", "reference", "fish-rest-v1.openapi.yaml");
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> GO_EXTENSION_PREFIXES = Set.of("x-go-", "x-oapi-codegen", "x-omitempty");
    private static final Pattern PATH_TEMPLATE = Pattern.compile("\\{([^}]+)}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private JsonNode ours;

    @BeforeEach
    void loadOurDocument() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(DOCUMENT)) {
            assertNotNull(in, DOCUMENT + " is not on the classpath");
            ours = YAML.readTree(in);
        }
    }

    @Test
    void isOpenApi30DescribingOurNode() {
        assertTrue(ours.path("openapi").asText().matches("3\\.0\\.\\d+"), "openapi: " + ours.path("openapi"));
        assertEquals("Aquarium Fish (JVM) REST v1", ours.at("/info/title").asText());
        assertEquals("1.0.0", ours.at("/info/version").asText());
        assertEquals("Apache-2.0", ours.at("/info/license/name").asText());
        assertTrue(ours.at("/info/description").asText().contains("/cluster/v1/connect"),
                "info.description must say the cluster websocket is not provided");
        assertEquals("https://127.0.0.1:8001/", ours.at("/servers/0/url").asText());
        assertEquals("http", ours.at("/components/securitySchemes/basic_auth/type").asText());
        assertEquals("basic", ours.at("/components/securitySchemes/basic_auth/scheme").asText());
    }

    @Test
    void everyRefResolvesInsideTheDocument() {
        List<String> refs = new ArrayList<>();
        collectRefs(ours, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), "external or malformed $ref: " + ref);
            assertFalse(ours.at(ref.substring(1)).isMissingNode(), "dangling $ref: " + ref);
        }
    }

    @Test
    void carriesNoGoSpecificExtensionsAndNoClusterPath() {
        Set<String> found = new TreeSet<>();
        collectFieldNames(ours, found);
        for (String name : found) {
            for (String prefix : GO_EXTENSION_PREFIXES) {
                assertFalse(name.startsWith(prefix), "Go-specific extension: " + name);
            }
        }
        ours.path("paths").fieldNames().forEachRemaining(
                path -> assertFalse(path.startsWith("/cluster/"), "we serve no cluster endpoint: " + path));
    }

    @Test
    void everyErrorResponseIsAMessageObject() {
        JsonNode error = ours.at("/components/schemas/Error");
        assertEquals(Set.of("message"), fieldNames(error.path("properties")));
        assertEquals("string", error.at("/properties/message/type").asText());

        int checked = 0;
        for (Map.Entry<String, JsonNode> op : operations(ours)) {
            for (Map.Entry<String, JsonNode> response : op.getValue().path("responses").properties()) {
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                    JsonNode resolved = resolve(ours, response.getValue());
                    assertEquals("#/components/schemas/Error",
                            resolved.at("/content/application~1json/schema/$ref").asText(),
                            op.getKey() + " " + response.getKey());
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "suspiciously few error responses: " + checked);
    }

    @Test
    void apiRequiresBasicAuthWithChallengeAndMetaNeedsNone() {
        for (Map.Entry<String, JsonNode> op : operations(ours)) {
            String where = op.getKey();
            JsonNode security = op.getValue().has("security") ? op.getValue().get("security") : ours.get("security");
            if (where.contains(" /api/v1/")) {
                assertTrue(security.toString().contains("basic_auth"), where + " must require basic_auth");
                JsonNode unauthorized = resolve(ours, op.getValue().at("/responses/401"));
                assertFalse(unauthorized.isMissingNode(), where + " must declare 401");
                assertFalse(unauthorized.at("/headers/WWW-Authenticate").isMissingNode(),
                        where + " 401 must carry WWW-Authenticate");
            } else {
                assertTrue(where.contains(" /meta/v1/"), "unexpected path: " + where);
                assertTrue(security.isArray() && security.isEmpty(), where + " must not require credentials");
            }
        }
    }

    @Test
    void pathParametersMatchTheirTemplates() {
        for (Map.Entry<String, JsonNode> path : ours.path("paths").properties()) {
            Set<String> templated = new TreeSet<>();
            Matcher m = PATH_TEMPLATE.matcher(path.getKey());
            while (m.find()) {
                templated.add(m.group(1));
            }
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!HTTP_METHODS.contains(method.getKey())) {
                    continue;
                }
                Set<String> declared = new TreeSet<>();
                List<JsonNode> params = new ArrayList<>();
                path.getValue().path("parameters").forEach(params::add);
                method.getValue().path("parameters").forEach(params::add);
                for (JsonNode p : params) {
                    JsonNode param = resolve(ours, p);
                    if ("path".equals(param.path("in").asText())) {
                        assertTrue(param.path("required").asBoolean(), path.getKey() + " " + param.path("name"));
                        declared.add(param.path("name").asText());
                    }
                }
                assertEquals(templated, declared, method.getKey() + " " + path.getKey());
            }
        }
    }

    @Test
    void requiredPropertiesAreDeclaredProperties() {
        for (Map.Entry<String, JsonNode> schema : ours.at("/components/schemas").properties()) {
            checkRequiredAreDeclared(schema.getKey(), schema.getValue());
        }
    }

    @Test
    void servesEveryReferenceOperationExceptTheClusterOnes() throws IOException {
        JsonNode reference = loadReference();
        Set<String> expected = new TreeSet<>();
        for (Map.Entry<String, JsonNode> op : operations(reference)) {
            if (!op.getKey().contains(" /cluster/")) {
                expected.add(op.getKey());
            }
        }
        Set<String> actual = new TreeSet<>();
        operations(ours).forEach(op -> actual.add(op.getKey()));
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Application", "ApplicationState", "ApplicationTask", "User", "UserAPIPassword",
            "Label", "LabelDefinition", "Resources", "ResourcesDisk", "Node", "NodeDefinition", "Resource",
            "ResourceAccess", "Authentication", "Vote", "Location", "ServiceMapping"})
    void schemaKeysMatchTheReference(String name) throws IOException {
        JsonNode theirs = loadReference().at("/components/schemas/" + name);
        JsonNode mine = ours.at("/components/schemas/" + name);
        assertFalse(theirs.isMissingNode(), "reference lacks " + name);
        assertFalse(mine.isMissingNode(), "we lack " + name);

        assertEquals(fieldNames(theirs.path("properties")), fieldNames(mine.path("properties")), name + " properties");
        Set<String> expectedRequired = textValues(theirs.path("required"));
        if (name.equals("Label")) {
            // The reference lists "driver" as required on Label although Label has no such property.
            expectedRequired.remove("driver");
        }
        assertEquals(expectedRequired, textValues(mine.path("required")), name + " required");
    }

    @Test
    void applicationStatusValuesMatchTheReference() throws IOException {
        JsonNode theirs = loadReference().at("/components/schemas/ApplicationStatus/enum");
        assertFalse(theirs.isEmpty());
        assertEquals(textValues(theirs), textValues(ours.at("/components/schemas/ApplicationStatus/enum")));
    }

    private static JsonNode loadReference() throws IOException {
        Assumptions.assumeTrue(Files.exists(REFERENCE), "reference document not present: " + REFERENCE);
        return YAML.readTree(REFERENCE.toFile());
    }

    /** Operations as "METHOD /path" keys, in document order. */
    private static List<Map.Entry<String, JsonNode>> operations(JsonNode document) {
        List<Map.Entry<String, JsonNode>> result = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (HTTP_METHODS.contains(method.getKey())) {
                    result.add(Map.entry(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue()));
                }
            }
        }
        return result;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref"); hops++) {
            assertTrue(hops < 10, "$ref cycle at " + node);
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    private static void checkRequiredAreDeclared(String where, JsonNode schema) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.has("required") && schema.path("required").isArray()) {
            Set<String> properties = fieldNames(schema.path("properties"));
            for (String required : textValues(schema.get("required"))) {
                assertTrue(properties.contains(required), where + " requires undeclared property " + required);
            }
        }
        schema.path("properties").properties()
                .forEach(p -> checkRequiredAreDeclared(where + "." + p.getKey(), p.getValue()));
        checkRequiredAreDeclared(where + "[]", schema.path("items"));
        checkRequiredAreDeclared(where + "{}", schema.path("additionalProperties"));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static void collectFieldNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                names.add(e.getKey());
                collectFieldNames(e.getValue(), names);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectFieldNames(child, names));
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> textValues(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
