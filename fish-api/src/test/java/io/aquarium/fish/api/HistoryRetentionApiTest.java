package io.aquarium.fish.api;

import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetStateRequest;
import aquarium.v2.ApplicationServiceGrpc;
import com.fasterxml.jackson.databind.JsonNode;
import io.aquarium.fish.core.lifecycle.HistoryRetention;
import io.aquarium.fish.core.tls.NodeCertificates;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History retention on a real node whose clock the test moves forward: a deallocated application
 * answers 404 over REST v1 (and NOT_FOUND over v2) once {@code history_retention} has passed since it
 * finished, like any unknown UID, while an active one is kept however old it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryRetentionApiTest {
    private static final Duration RETENTION = Duration.ofDays(1);
    /** The first sweep runs 10 s after start, then every 30 s: allow two sweeps and a slow machine. */
    private static final long SWEEP_S = HistoryRetention.FIRST_SWEEP.plus(HistoryRetention.INTERVAL).toSeconds() + 20;
    private static final long ALLOCATE_S = 30;

    @TempDir
    static Path dir;
    final TemporaryLabelsApiTest.ShiftedClock clock = new TemporaryLabelsApiTest.ShiftedClock();
    TestNode node;
    ApiClient api;
    String pw;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(TestNode.config(dir).toBuilder().historyRetention(RETENTION).build(), clock);
        api = node.client;
        pw = node.adminPassword;
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void aDeallocatedApplicationIsGoneAfterTheRetentionAndAnActiveOneIsKept() throws Exception {
        String label = api.postJson("/api/v1/label/", RestApiTest.LABEL_BODY.formatted("retained", 1), "admin", pw)
                .json().get("UID").asText();
        String finished = create(label);
        String task = api.postJson("/api/v1/application/" + finished + "/task/",
                "{\"task\":\"snapshot\",\"when\":\"DEALLOCATE\",\"options\":{}}", "admin", pw).json().get("UID").asText();
        await(finished, "ALLOCATED");
        assertEquals(200, api.get("/api/v1/application/" + finished + "/deallocate", "admin", pw).status());
        await(finished, "DEALLOCATED");
        String active = create(label);
        await(active, "ALLOCATED");

        // Not yet: the retention counts from when it finished.
        clock.shift(RETENTION.minusHours(1));
        assertFalse(eventually(HistoryRetention.FIRST_SWEEP.toSeconds() + 5, () -> gone(finished)),
                "deleted before its retention passed");

        clock.shift(Duration.ofHours(2));
        assertTrue(eventually(SWEEP_S, () -> gone(finished)), "still there " + SWEEP_S + " s after its retention");

        for (String path : List.of("", "/state", "/resource", "/task/")) {
            ApiClient.Reply reply = api.get("/api/v1/application/" + finished + path, "admin", pw);
            assertEquals(404, reply.status(), path + ": " + reply.body());
        }
        assertEquals(404, api.get("/api/v1/task/" + task, "admin", pw).status());
        assertEquals(List.of(active), applicationUids());
        try (PluginRpcClient rpc = new PluginRpcClient("127.0.0.1", node.runner.port(), caCrt(), "admin", pw)) {
            ApplicationServiceGrpc.ApplicationServiceBlockingStub apps = ApplicationServiceGrpc.newBlockingStub(
                    rpc.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
            // GetState is what the plugin asks of v2 (its Get is not served, as in the plugin's use).
            StatusRuntimeException state = assertThrows(StatusRuntimeException.class, () -> apps.getState(
                    ApplicationServiceGetStateRequest.newBuilder().setApplicationUid(finished).build()));
            assertEquals(Code.NOT_FOUND, state.getStatus().getCode(), state.getStatus().toString());
            assertEquals(active, apps.getState(ApplicationServiceGetStateRequest.newBuilder()
                    .setApplicationUid(active).build()).getData().getApplicationUid());
        }

        // The active one is kept whatever its age, with its resource.
        assertEquals("ALLOCATED", status(active));
        assertEquals(200, api.get("/api/v1/application/" + active + "/resource", "admin", pw).status());
    }

    private String create(String label) {
        ApiClient.Reply reply = api.postJson("/api/v1/application/", "{\"label_UID\":\"" + label + "\"}", "admin", pw);
        assertEquals(200, reply.status(), reply.body());
        return reply.json().get("UID").asText();
    }

    private String status(String app) {
        return api.get("/api/v1/application/" + app + "/state", "admin", pw).json().get("status").asText();
    }

    private boolean gone(String app) {
        return api.get("/api/v1/application/" + app, "admin", pw).status() == 404;
    }

    private List<String> applicationUids() {
        List<String> uids = new ArrayList<>();
        for (JsonNode app : api.get("/api/v1/application/", "admin", pw).json()) {
            uids.add(app.get("UID").asText());
        }
        return uids;
    }

    private void await(String app, String wanted) throws InterruptedException {
        assertTrue(eventually(ALLOCATE_S, () -> wanted.equals(status(app))),
                () -> app + " never reached " + wanted + ": " + status(app));
    }

    private static boolean eventually(long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    private File caCrt() {
        return dir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE).toFile();
    }
}
