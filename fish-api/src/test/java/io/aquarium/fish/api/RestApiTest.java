package io.aquarium.fish.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Black-box REST v1 tests against a real node over HTTPS: exact key sets (strict generated clients
 * throw on extra or missing keys), sorted keys, status codes and error bodies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
    static final Set<String> USER_KEYS = Set.of("created_at", "hash", "name", "updated_at");
    static final Set<String> USER_PASSWORD_KEYS = Set.of("created_at", "name", "password", "updated_at");
    static final Set<String> LABEL_KEYS = Set.of("UID", "created_at", "definitions", "metadata", "name", "version");
    static final Set<String> DEFINITION_KEYS = Set.of("driver", "options", "resources");
    static final Set<String> RESOURCES_KEYS = Set.of("cpu", "cpu_overbook", "disks", "lifetime", "multitenancy",
            "network", "node_filter", "ram", "ram_overbook");
    static final Set<String> APPLICATION_KEYS = Set.of("UID", "created_at", "label_UID", "metadata", "owner_name");
    static final Set<String> STATE_KEYS = Set.of("UID", "application_UID", "created_at", "description", "status");
    static final Set<String> TASK_KEYS = Set.of("UID", "application_UID", "created_at", "options", "result", "task",
            "updated_at", "when");
    static final Set<String> NODE_KEYS = Set.of("UID", "address", "created_at", "definition", "location_name", "name",
            "updated_at");
    static final Set<String> VOTE_KEYS = Set.of("UID", "application_UID", "available", "created_at", "node_UID", "rand",
            "round");
    static final Set<String> LOCATION_KEYS = Set.of("created_at", "description", "name");
    static final Set<String> MAPPING_KEYS = Set.of("UID", "application_UID", "created_at", "location_name", "redirect",
            "service");
    static final String LABEL_BODY = "{\"name\":\"%s\",\"version\":%d,\"definitions\":[{\"driver\":\"test\","
            + "\"resources\":{\"cpu\":1,\"ram\":2}}],\"metadata\":{\"zeta\":1,\"alpha\":\"x\"}}";

    @TempDir
    static Path dir;
    TestNode node;
    ApiClient api;
    String pw;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(dir);
        api = node.client;
        pw = node.adminPassword;
        assertNotNull(pw, "first start creates admin and reports its password");
        assertEquals(64, pw.length());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    // ---- auth ----

    @Test
    void unauthenticatedRequestsGet401WithChallenge() {
        for (String path : List.of("/api/v1/user/me/", "/api/v1/label/", "/api/v1/no-such-route")) {
            ApiClient.Reply r = api.get(path, null, null);
            assertEquals(401, r.status(), path);
            assertEquals("{\"message\":\"Unauthorized\"}", r.body());
            assertTrue(r.header("WWW-Authenticate").startsWith("Basic realm="));
        }
        assertEquals(401, api.get("/api/v1/user/me/", "admin", "wrong").status());
        assertEquals(401, api.get("/api/v1/user/me/", "nobody", pw).status());
    }

    @Test
    void meShowsZeroedHash() {
        ApiClient.Reply r = api.get("/api/v1/user/me/", "admin", pw);
        assertEquals(200, r.status());
        assertKeys(USER_KEYS, r.json());
        assertEquals("admin", r.json().get("name").asText());
        assertEquals("{\"algo\":\"\",\"hash\":null,\"prop\":{\"iterations\":0,\"memory\":0,\"threads\":0},\"salt\":null}",
                r.json().get("hash").toString());
        assertSortedKeys(r.json());
    }

    @Test
    void unknownRoutesAre404Json() {
        assertEquals("{\"message\":\"Not Found\"}", api.get("/api/v1/no-such-route", "admin", pw).body());
        assertEquals(404, api.get("/api/v1/no-such-route", "admin", pw).status());
        assertEquals(404, api.get("/nothing/here", null, null).status());
        assertEquals("{\"message\":\"Not Found\"}", api.get("/nothing/here", null, null).body());
    }

    // ---- users ----

    @Test
    void userCreateGeneratesOrAcceptsPasswordsAndNonAdminsAreLimited() {
        ApiClient.Reply generated = api.postJson("/api/v1/user/", "{\"name\":\"gen-user\"}", "admin", pw);
        assertEquals(200, generated.status(), generated.body());
        assertKeys(USER_PASSWORD_KEYS, generated.json());
        String genPw = generated.json().get("password").asText();
        assertEquals(64, genPw.length());
        assertEquals(200, api.get("/api/v1/user/me/", "gen-user", genPw).status());

        ApiClient.Reply chosen = api.postJson("/api/v1/user/", "{\"name\":\"bob\",\"password\":\"bob-pass\"}", "admin", pw);
        assertEquals("", chosen.json().get("password").asText());
        assertEquals("bob", api.get("/api/v1/user/me", "bob", "bob-pass").json().get("name").asText());

        // A normal user may change its own password, nobody else's, and cannot list or delete users.
        assertEquals(400, api.postJson("/api/v1/user/", "{\"name\":\"gen-user\",\"password\":\"x\"}", "bob", "bob-pass").status());
        assertEquals(400, api.get("/api/v1/user/", "bob", "bob-pass").status());
        assertEquals(400, api.delete("/api/v1/user/gen-user", "bob", "bob-pass").status());
        ApiClient.Reply own = api.postJson("/api/v1/user/", "{\"name\":\"bob\",\"password\":\"bob-pass2\"}", "bob", "bob-pass");
        assertEquals(200, own.status(), own.body());
        assertEquals(401, api.get("/api/v1/user/me", "bob", "bob-pass").status(), "old password is revoked at once");
        assertEquals(200, api.get("/api/v1/user/me", "bob", "bob-pass2").status());

        ApiClient.Reply list = api.get("/api/v1/user/", "admin", pw);
        assertEquals(200, list.status());
        list.json().forEach(u -> assertKeys(USER_KEYS, u));
        assertEquals(1, api.get("/api/v1/user/?filter=" + enc("name='bob'"), "admin", pw).json().size());
        assertKeys(USER_KEYS, api.get("/api/v1/user/bob", "admin", pw).json());
        assertEquals(404, api.get("/api/v1/user/nobody-here", "admin", pw).status());

        assertEquals(200, api.delete("/api/v1/user/gen-user", "admin", pw).status());
        assertEquals(401, api.get("/api/v1/user/me", "gen-user", genPw).status(), "deleted user is locked out at once");
        assertEquals(400, api.delete("/api/v1/user/admin", "admin", pw).status());
    }

    // ---- labels ----

    @Test
    void labelLifecycleKeysFiltersAndOrder() {
        String name = "label-" + UUID.randomUUID();
        ApiClient.Reply v1 = api.postJson("/api/v1/label/", LABEL_BODY.formatted(name, 1), "admin", pw);
        assertEquals(200, v1.status(), v1.body());
        JsonNode label = v1.json();
        assertKeys(LABEL_KEYS, label);
        assertKeys(DEFINITION_KEYS, label.get("definitions").get(0));
        assertKeys(RESOURCES_KEYS, label.get("definitions").get(0).get("resources"));
        assertEquals("[]", label.get("definitions").get(0).get("resources").get("node_filter").toString());
        assertEquals("{}", label.get("definitions").get(0).get("options").toString());
        assertTrue(v1.body().contains("\"metadata\":{\"zeta\":1,\"alpha\":\"x\"}"), "raw metadata keeps key order");
        assertTrue(v1.body().startsWith("{\"UID\":") && v1.body().endsWith(",\"version\":1}"), v1.body());
        assertSortedKeys(label);

        api.postJson("/api/v1/label/", LABEL_BODY.formatted(name, 2), "admin", pw);
        JsonNode byName = api.get("/api/v1/label/?filter=" + enc("name='" + name + "'"), "admin", pw).json();
        assertEquals(2, byName.size());
        assertEquals(2, byName.get(1).get("version").asInt(), "newest version last");
        JsonNode exact = api.get("/api/v1/label/?filter=" + enc("name='" + name + "' AND version=2"), "admin", pw).json();
        assertEquals(1, exact.size());
        assertEquals(1, api.get("/api/v1/label/?filter=" + enc("name=\"" + name + "\" AND version=1"), "admin", pw).json().size());

        String uid = label.get("UID").asText();
        assertEquals(uid, api.get("/api/v1/label/" + uid, "admin", pw).json().get("UID").asText());
        assertEquals(404, api.get("/api/v1/label/" + UUID.randomUUID(), "admin", pw).status());
        assertEquals(200, api.delete("/api/v1/label/" + uid, "admin", pw).status());
        assertEquals(404, api.get("/api/v1/label/" + uid, "admin", pw).status());
    }

    @Test
    void labelYamlBodyIsAccepted() {
        String name = "yaml-" + UUID.randomUUID();
        String yaml = "name: " + name + "\nversion: 3\ndefinitions:\n  - driver: test\n    resources:\n      cpu: 2\n"
                + "      ram: 4\n      node_filter: ['OS:linux']\n    options:\n      image: ubuntu\n"
                + "metadata:\n  JENKINS_URL: http://x/\n";
        ApiClient.Reply r = api.post("/api/v1/label/", yaml, "application/yaml", "admin", pw);
        assertEquals(200, r.status(), r.body());
        assertEquals(3, r.json().get("version").asInt());
        assertEquals("{\"image\":\"ubuntu\"}", r.json().get("definitions").get(0).get("options").toString());
        assertEquals("[\"OS:linux\"]", r.json().get("definitions").get(0).get("resources").get("node_filter").toString());
    }

    @Test
    void badInputGets4xxMessageAndChangesNothing() {
        int before = api.get("/api/v1/label/", "admin", pw).json().size();
        String dup = "dup-" + UUID.randomUUID();
        assertEquals(200, api.postJson("/api/v1/label/", LABEL_BODY.formatted(dup, 1), "admin", pw).status());
        before++;
        List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {"{\"name\":", "application/json"});
        bad.add(new String[] {"name: [unclosed", "application/yaml"});
        bad.add(new String[] {"", "application/json"});
        bad.add(new String[] {"[]", "application/json"});
        bad.add(new String[] {LABEL_BODY.formatted("", 1), "application/json"});
        bad.add(new String[] {LABEL_BODY.formatted(dup, 1), "application/json"});
        bad.add(new String[] {"{\"name\":\"cpu0\",\"version\":1,\"definitions\":[{\"driver\":\"test\",\"resources\":{\"cpu\":0,\"ram\":2}}]}", "application/json"});
        bad.add(new String[] {"{\"name\":\"nodefs\",\"version\":1,\"definitions\":[]}", "application/json"});
        bad.add(new String[] {"{\"name\":\"badtype\",\"version\":\"x\",\"definitions\":[]}", "application/json"});
        bad.add(new String[] {"{\"name\":\"badlife\",\"version\":1,\"definitions\":[{\"driver\":\"test\",\"resources\":{\"cpu\":1,\"ram\":1,\"lifetime\":\"soon\"}}]}", "application/json"});
        bad.add(new String[] {"{\"name\":\"meta\",\"version\":1,\"definitions\":[{\"driver\":\"test\",\"resources\":{\"cpu\":1,\"ram\":1}}],\"metadata\":[1]}", "application/json"});
        for (String[] b : bad) {
            ApiClient.Reply r = api.post("/api/v1/label/", b[0], b[1], "admin", pw);
            assertEquals(400, r.status(), b[0] + " -> " + r.body());
            assertTrue(r.json().get("message").asText().length() > 3, r.body());
            assertEquals(Set.of("message"), keys(r.json()));
        }
        String big = "{\"name\":\"big\",\"version\":1,\"metadata\":{\"x\":\"" + "a".repeat(70_000) + "\"}}";
        ApiClient.Reply tooBig = api.postJson("/api/v1/label/", big, "admin", pw);
        assertEquals(413, tooBig.status(), tooBig.body());
        assertTrue(tooBig.json().has("message"));

        ApiClient.Reply user = api.postJson("/api/v1/user/", "{\"name\":\"plain\",\"password\":\"plain-pw\"}", "admin", pw);
        assertEquals(200, user.status());
        assertEquals(400, api.postJson("/api/v1/label/", LABEL_BODY.formatted("by-user", 1), "plain", "plain-pw").status());
        assertEquals(400, api.postJson("/api/v1/user/", "{\"name\":\"other\"}", "plain", "plain-pw").status());

        assertEquals(before, api.get("/api/v1/label/", "admin", pw).json().size(), "nothing was stored");
    }

    @Test
    void filtersAreSafe() {
        String name = "safe-" + UUID.randomUUID();
        api.postJson("/api/v1/label/", LABEL_BODY.formatted(name, 1), "admin", pw);
        int all = api.get("/api/v1/label/", "admin", pw).json().size();
        ApiClient.Reply dropped = api.get("/api/v1/label/?filter=" + enc("name = '" + name + "'; DROP label"), "admin", pw);
        assertEquals(200, dropped.status());
        assertEquals(1, dropped.json().size());
        ApiClient.Reply in = api.get("/api/v1/label/?filter=" + enc("name IN (DROP label)"), "admin", pw);
        assertEquals(200, in.status());
        assertEquals("[]", in.body());
        assertEquals("[]", api.get("/api/v1/label/?filter=" + enc("no_such_column=1"), "admin", pw).body());
        assertEquals(all, api.get("/api/v1/label/", "admin", pw).json().size());
    }

    @Test
    void malformedUuidIs400() {
        ApiClient.Reply r = api.get("/api/v1/label/not-a-uuid", "admin", pw);
        assertEquals(400, r.status());
        assertTrue(r.json().get("message").asText().startsWith("Invalid format for parameter uid:"), r.body());
        assertEquals(400, api.get("/api/v1/application/123/state", "admin", pw).status());
        assertEquals(400, api.get("/api/v1/task/zzz", "admin", pw).status());
    }

    // ---- applications ----

    @Test
    void applicationLifecycleWithoutElection() {
        // No driver of this node serves "absent": the application stays NEW, as before any election.
        ApiClient.Reply label = api.postJson("/api/v1/label/", LABEL_BODY.formatted("app-" + UUID.randomUUID(), 1)
                .replace("\"driver\":\"test\"", "\"driver\":\"absent\""), "admin", pw);
        String labelUid = label.json().get("UID").asText();
        ApiClient.Reply created = api.postJson("/api/v1/application/",
                "{\"label_UID\":\"" + labelUid + "\",\"metadata\":{\"JENKINS_URL\":\"http://j/\",\"b\":1}}", "admin", pw);
        assertEquals(200, created.status(), created.body());
        JsonNode app = created.json();
        assertKeys(APPLICATION_KEYS, app);
        assertEquals("admin", app.get("owner_name").asText());
        String uid = app.get("UID").asText();
        assertEquals(uid.substring(0, 13), node.runner.node().identity().uid().toString().substring(0, 13),
                "UIDs carry the node prefix (first 6 bytes)");

        JsonNode state = api.get("/api/v1/application/" + uid + "/state", "admin", pw).json();
        assertKeys(STATE_KEYS, state);
        assertEquals("NEW", state.get("status").asText());
        assertEquals(404, api.get("/api/v1/application/" + uid + "/resource", "admin", pw).status());

        ApiClient.Reply task = api.postJson("/api/v1/application/" + uid + "/task/",
                "{\"task\":\"snapshot\",\"when\":\"ALLOCATED\",\"options\":{\"full\":true}}", "admin", pw);
        assertEquals(200, task.status(), task.body());
        assertKeys(TASK_KEYS, task.json());
        assertEquals("{}", task.json().get("result").toString());
        String taskUid = task.json().get("UID").asText();
        assertKeys(TASK_KEYS, api.get("/api/v1/task/" + taskUid, "admin", pw).json());
        assertEquals(1, api.get("/api/v1/application/" + uid + "/task/", "admin", pw).json().size());

        ApiClient.Reply recalled = api.get("/api/v1/application/" + uid + "/deallocate", "admin", pw);
        assertEquals(200, recalled.status(), recalled.body());
        assertKeys(STATE_KEYS, recalled.json());
        assertEquals("RECALLED", recalled.json().get("status").asText());
        ApiClient.Reply again = api.get("/api/v1/application/" + uid + "/deallocate", "admin", pw);
        assertEquals(400, again.status());
        assertEquals("Unable to deallocate the Application with status: RECALLED", again.json().get("message").asText());

        assertEquals(400, api.postJson("/api/v1/application/", "{\"metadata\":{}}", "admin", pw).status());
        assertEquals(400, api.postJson("/api/v1/application/", "{\"label_UID\":\"" + UUID.randomUUID() + "\"}", "admin", pw).status());
        assertEquals(400, api.postJson("/api/v1/application/", "{\"label_UID\":\"nope\"}", "admin", pw).status());
    }

    @Test
    void usersOnlySeeTheirOwnApplications() {
        String labelUid = createLabel("own-" + UUID.randomUUID());
        api.postJson("/api/v1/user/", "{\"name\":\"alice\",\"password\":\"alice-pw\"}", "admin", pw);
        api.postJson("/api/v1/user/", "{\"name\":\"carol\",\"password\":\"carol-pw\"}", "admin", pw);
        String uid = api.postJson("/api/v1/application/", "{\"label_UID\":\"" + labelUid + "\"}", "alice", "alice-pw")
                .json().get("UID").asText();
        assertEquals("{}", api.get("/api/v1/application/" + uid, "alice", "alice-pw").json().get("metadata").toString());
        assertEquals(400, api.get("/api/v1/application/" + uid, "carol", "carol-pw").status());
        assertEquals(400, api.get("/api/v1/application/" + uid + "/deallocate", "carol", "carol-pw").status());
        for (JsonNode a : api.get("/api/v1/application/", "carol", "carol-pw").json()) {
            assertEquals("carol", a.get("owner_name").asText());
        }
        assertTrue(api.get("/api/v1/application/", "alice", "alice-pw").json().size() >= 1);
        assertEquals(200, api.get("/api/v1/application/" + uid, "admin", pw).status());
    }

    // ---- nodes, votes, resources, locations, service mappings ----

    @Test
    void nodeEndpoints() {
        JsonNode self = api.get("/api/v1/node/this/", "admin", pw).json();
        assertKeys(NODE_KEYS, self);
        assertEquals("test-node", self.get("name").asText());
        for (String key : List.of("cpu", "disks", "nets")) {
            assertTrue(self.get("definition").has(key), key);
        }
        JsonNode list = api.get("/api/v1/node/", "admin", pw).json();
        assertEquals(1, list.size());
        assertKeys(NODE_KEYS, list.get(0));
        ApiClient.Reply votes = api.get("/api/v1/vote/", "admin", pw);
        assertEquals(200, votes.status());
        votes.json().forEach(v -> assertKeys(VOTE_KEYS, v));
        assertEquals(200, api.get("/api/v1/resource/", "admin", pw).status());

        JsonNode on = api.get("/api/v1/node/this/maintenance", "admin", pw).json();
        assertTrue(on.get("enable").asBoolean(), "enable defaults to true");
        JsonNode off = api.get("/api/v1/node/this/maintenance?enable=false", "admin", pw).json();
        assertFalse(off.get("enable").asBoolean());
        assertEquals(400, api.get("/api/v1/node/this/maintenance?shutdown_delay=soon", "admin", pw).status());
        assertEquals(200, api.get("/api/v1/node/this/profiling/", "admin", pw).status());
        assertTrue(api.get("/api/v1/node/this/profiling/threads", "admin", pw).body().contains("fish-http"));
    }

    @Test
    void locationsAndServiceMappings() {
        ApiClient.Reply loc = api.postJson("/api/v1/location/", "{\"name\":\"eu-1\",\"description\":\"Europe\"}", "admin", pw);
        assertEquals(200, loc.status(), loc.body());
        assertKeys(LOCATION_KEYS, loc.json());
        assertEquals(400, api.postJson("/api/v1/location/", "{\"name\":\"eu-1\"}", "admin", pw).status());
        api.get("/api/v1/location/", "admin", pw).json().forEach(l -> assertKeys(LOCATION_KEYS, l));

        ApiClient.Reply m = api.postJson("/api/v1/servicemapping/",
                "{\"service\":\"artifacts.example\",\"redirect\":\"mirror.example\",\"location_name\":\"eu-1\"}", "admin", pw);
        assertEquals(200, m.status(), m.body());
        assertKeys(MAPPING_KEYS, m.json());
        assertEquals("00000000-0000-0000-0000-000000000000", m.json().get("application_UID").asText());
        String uid = m.json().get("UID").asText();
        assertKeys(MAPPING_KEYS, api.get("/api/v1/servicemapping/" + uid, "admin", pw).json());
        assertEquals(200, api.delete("/api/v1/servicemapping/" + uid, "admin", pw).status());
        assertEquals(404, api.get("/api/v1/servicemapping/" + uid, "admin", pw).status());
    }

    @Test
    void apiDocumentIsPublic() {
        ApiClient.Reply doc = api.get("/api/", null, null);
        assertEquals(200, doc.status());
        assertTrue(doc.body().startsWith("openapi: 3"), doc.body());
        assertEquals(200, api.get("/api/openapi.json", null, null).status());
    }

    // ---- helpers ----

    private String createLabel(String name) {
        ApiClient.Reply r = api.postJson("/api/v1/label/", LABEL_BODY.formatted(name, 1), "admin", pw);
        assertEquals(200, r.status(), r.body());
        return r.json().get("UID").asText();
    }

    static String enc(String filter) {
        return java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8);
    }

    static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static void assertKeys(Set<String> expected, JsonNode node) {
        assertEquals(new TreeSet<>(expected), keys(node), node.toString());
    }

    /** Every object outside raw JSON fields has its keys in byte order. */
    static void assertSortedKeys(JsonNode node) {
        if (node.isArray()) {
            node.forEach(RestApiTest::assertSortedKeys);
        }
        if (!node.isObject()) {
            return;
        }
        String previous = "";
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertTrue(previous.compareTo(key) < 0, "keys out of order: " + previous + " before " + key);
            previous = key;
            if (!Set.of("metadata", "options", "result", "definition").contains(key)) {
                assertSortedKeys(node.get(key));
            }
        }
    }
}
