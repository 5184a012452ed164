package io.aquarium.fish.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static io.aquarium.fish.api.RestApiTest.DEFINITION_KEYS;
import static io.aquarium.fish.api.RestApiTest.LABEL_KEYS;
import static io.aquarium.fish.api.RestApiTest.assertKeys;
import static io.aquarium.fish.api.RestApiTest.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Labels over real HTTPS: credentials only for admins, resource upper bounds. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabelApiTest {
    private static final String PASSWORD = "label-root-password";
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----label-key";
    private static final String WITH_AUTH = "{\"name\":\"%s\",\"version\":1,\"definitions\":[{\"driver\":\"test\","
            + "\"resources\":{\"cpu\":1,\"ram\":2},\"authentication\":{\"username\":\"root\",\"password\":\"" + PASSWORD
            + "\",\"key\":\"" + KEY + "\",\"port\":22}}]}";
    private static final String WITH_RESOURCES = "{\"name\":\"%s\",\"version\":1,\"definitions\":[{\"driver\":\"test\","
            + "\"resources\":%s}]}";

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
        assertEquals(200, api.postJson("/api/v1/user/", "{\"name\":\"bob\",\"password\":\"bob-pw\"}", "admin", pw).status());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void onlyAdminsReadDefinitionCredentials() {
        String name = "creds-" + UUID.randomUUID();
        ApiClient.Reply created = api.postJson("/api/v1/label/", WITH_AUTH.formatted(name), "admin", pw);
        assertEquals(200, created.status(), created.body());
        String uid = created.json().get("UID").asText();
        String byName = "/api/v1/label/?filter=" + enc("name='" + name + "'");

        for (ApiClient.Reply admin : new ApiClient.Reply[] {api.get("/api/v1/label/" + uid, "admin", pw),
                api.get(byName, "admin", pw)}) {
            assertEquals(200, admin.status(), admin.body());
            JsonNode label = admin.json().isArray() ? admin.json().get(0) : admin.json();
            JsonNode auth = label.get("definitions").get(0).get("authentication");
            assertEquals(PASSWORD, auth.get("password").asText());
            assertEquals(KEY, auth.get("key").asText());
        }

        for (ApiClient.Reply bob : new ApiClient.Reply[] {api.get("/api/v1/label/" + uid, "bob", "bob-pw"),
                api.get(byName, "bob", "bob-pw"), api.get("/api/v1/label/", "bob", "bob-pw")}) {
            assertEquals(200, bob.status(), bob.body());
            assertFalse(bob.body().contains(PASSWORD), bob.body());
            assertFalse(bob.body().contains(KEY), bob.body());
            assertFalse(bob.body().contains("\"authentication\""), bob.body());
            for (JsonNode label : bob.json().isArray() ? bob.json() : java.util.List.of(bob.json())) {
                assertKeys(LABEL_KEYS, label);
                assertKeys(DEFINITION_KEYS, label.get("definitions").get(0));
            }
        }
    }

    @Test
    void resourcesAboveTheirBoundsAre400NamingTheLimit() {
        int before = api.get("/api/v1/label/", "admin", pw).json().size();
        String[][] cases = {
                {"{\"cpu\":2147483647,\"ram\":1}", "4096"},
                {"{\"cpu\":4097,\"ram\":1}", "4096"},
                {"{\"cpu\":1,\"ram\":2147483647}", "65536GB"},
                {"{\"cpu\":1,\"ram\":1,\"disks\":{\"d\":{\"size\":2147483647}}}", "1048576GB"},
                {"{\"cpu\":99999999999,\"ram\":1}", ""},
        };
        for (String[] c : cases) {
            ApiClient.Reply r = api.postJson("/api/v1/label/", WITH_RESOURCES.formatted("big-" + UUID.randomUUID(), c[0]),
                    "admin", pw);
            assertEquals(400, r.status(), c[0] + " -> " + r.body());
            assertTrue(r.json().get("message").asText().contains(c[1]), r.body());
        }
        assertEquals(before, api.get("/api/v1/label/", "admin", pw).json().size(), "nothing was stored");
        ApiClient.Reply atBound = api.postJson("/api/v1/label/", WITH_RESOURCES.formatted("max-" + UUID.randomUUID(),
                "{\"cpu\":4096,\"ram\":65536}"), "admin", pw);
        assertEquals(200, atBound.status(), atBound.body());
    }

    @Test
    void optionsTheNodesDriverRefusesAre400WithTheDriversMessageButOtherDriversAreAccepted() {
        int before = api.get("/api/v1/label/", "admin", pw).json().size();
        String broken = "{\"name\":\"broken-%s\",\"version\":1,\"definitions\":[{\"driver\":\"test\","
                + "\"resources\":{\"cpu\":1,\"ram\":1},\"options\":{\"fail_options_apply\":\"often\"}}]}";
        ApiClient.Reply refused = api.postJson("/api/v1/label/", broken.formatted(UUID.randomUUID()), "admin", pw);
        assertEquals(400, refused.status(), refused.body());
        assertEquals("test driver option 'fail_options_apply': expected an integer from 0 (never fail) to 255 "
                + "(always fail) (got \"often\")", refused.json().get("message").asText(), refused.body());
        assertEquals(before, api.get("/api/v1/label/", "admin", pw).json().size(), "nothing was stored");

        // No driver of this node is called "docker": another node may have it, so its options are not judged here.
        String elsewhere = "{\"name\":\"elsewhere-%s\",\"version\":1,\"definitions\":[{\"driver\":\"docker\","
                + "\"resources\":{\"cpu\":1,\"ram\":1},\"options\":{\"image\":5}}]}";
        ApiClient.Reply accepted = api.postJson("/api/v1/label/", elsewhere.formatted(UUID.randomUUID()), "admin", pw);
        assertEquals(200, accepted.status(), accepted.body());
    }
}
