package io.aquarium.fish.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.aquarium.fish.api.RestApiTest.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit's {@code filter=} that stalled a node, over real HTTPS: refused at once with a 400 naming
 * the limit, and another user's requests go on while it is sent in a loop. Prints how long each
 * filter took (a measurement, not asserted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterCostApiTest {
    private static final String APPS = "/api/v1/application/?filter=";
    private static final int ATTACKERS = 20;

    @TempDir
    static Path dir;
    TestNode node;
    ApiClient api;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(dir);
        api = node.client;
        String pw = node.adminPassword;
        for (String user : List.of("alice", "bob")) {
            assertEquals(200, api.postJson("/api/v1/user/", "{\"name\":\"" + user + "\",\"password\":\"" + user + "-pw\"}",
                    "admin", pw).status());
        }
        // No driver of this node serves "absent": the applications stay NEW, nothing is allocated.
        String label = api.postJson("/api/v1/label/", "{\"name\":\"stays-new\",\"version\":1,\"definitions\":"
                + "[{\"driver\":\"absent\",\"resources\":{\"cpu\":1,\"ram\":1}}]}", "admin", pw).json().get("UID").asText();
        String metadata = "{\"k\":\"" + "a".repeat(192) + "\"}"; // 200 characters, as in the audit
        ApiClient.Reply app = api.postJson("/api/v1/application/",
                "{\"label_UID\":\"" + label + "\",\"metadata\":" + metadata + "}", "bob", "bob-pw");
        assertEquals(200, app.status(), app.body());
        assertEquals(200, api.postJson("/api/v1/application/", "{\"label_UID\":\"" + label + "\"}", "alice", "alice-pw")
                .status());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private ApiClient.Reply timed(String filter) {
        long start = System.nanoTime();
        ApiClient.Reply reply = api.get(APPS + enc(filter), "bob", "bob-pw");
        System.out.printf("filter=%s -> %d in %d ms%n", filter, reply.status(), (System.nanoTime() - start) / 1_000_000);
        return reply;
    }

    @Test
    void costlyLikeFiltersAreRefusedAtOnceNamingTheLimit() {
        String[][] refused = {
                {"metadata LIKE '%a%a%a%a%b'", "LIKE is not allowed on 'metadata'"},
                {"owner_name LIKE '%a%a%a%a%b'", "at most 1 '%' before its last character"},
                {"owner_name LIKE '%b%o%b'", "at most 1 '%' before its last character"},
                {"metadata NOT LIKE '%a%'", "LIKE is not allowed on 'metadata'"},
                {"owner_name LIKE '" + "b".repeat(129) + "'", "at most 128 characters"},
        };
        for (String[] r : refused) {
            ApiClient.Reply reply = timed(r[0]);
            assertEquals(400, reply.status(), r[0] + " -> " + reply.body());
            assertTrue(reply.json().get("message").asText().contains(r[1]), reply.body());
        }
        ApiClient.Reply within = timed("owner_name LIKE '%o_%' AND metadata = metadata_not_a_column");
        assertEquals("[]", within.body(), "unparsable text still matches nothing");
        JsonNode own = timed("owner_name LIKE '%o_'").json();
        assertEquals(1, own.size());
        assertEquals("bob", own.get(0).get("owner_name").asText());
    }

    @Test
    void anotherUserIsServedWhileTheCostlyFilterIsSentInALoop() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ATTACKERS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Integer>> attackers = new ArrayList<>();
        for (int i = 0; i < ATTACKERS; i++) {
            attackers.add(pool.submit(() -> {
                int sent = 0;
                while (!stop.get()) {
                    assertEquals(400, api.get(APPS + enc("metadata LIKE '%a%a%a%a%b'"), "bob", "bob-pw").status());
                    sent++;
                }
                return sent;
            }));
        }
        try {
            long worst = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertEquals(200, api.get("/api/v1/user/me", "alice", "alice-pw").status());
                ApiClient.Reply own = api.get("/api/v1/application/", "alice", "alice-pw");
                assertEquals(200, own.status());
                assertEquals(1, own.json().size());
                worst = Math.max(worst, (System.nanoTime() - start) / 1_000_000);
            }
            System.out.printf("alice's me + list under %d looping attackers: worst %d ms%n", ATTACKERS, worst);
        } finally {
            stop.set(true);
            int sent = 0;
            for (Future<Integer> attacker : attackers) {
                sent += attacker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            System.out.printf("attackers sent %d costly filters%n", sent);
        }
    }
}
