package io.aquarium.fish.api;

import aquarium.v2.ApplicationOuterClass.Application;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceDeallocateRequest;
import aquarium.v2.ApplicationServiceGrpc;
import aquarium.v2.LabelOuterClass.Label;
import aquarium.v2.LabelOuterClass.LabelDefinition;
import aquarium.v2.LabelOuterClass.LabelServiceCreateRequest;
import aquarium.v2.LabelOuterClass.LabelServiceCreateResponse;
import aquarium.v2.LabelOuterClass.LabelServiceListRequest;
import aquarium.v2.LabelOuterClass.Resources;
import aquarium.v2.LabelServiceGrpc;
import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static aquarium.v2.Streaming.SubscriptionType.SUBSCRIPTION_TYPE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Temporary (version 0) labels as the Jenkins plugin's {@code aquariumCreateLabel} step makes them over
 * v2, as REST v1 clients then see them, and their end, against a real node whose clock the test moves
 * forward (every time here is taken from that clock, so the tests hold in any order).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemporaryLabelsApiTest {
    /** The removal job looks every 10 s; allow it two passes and a slow machine. */
    private static final long REMOVAL_S = 30;

    @TempDir
    static Path dir;
    final ShiftedClock clock = new ShiftedClock();
    TestNode node;
    File caCrt;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(TestNode.config(dir), clock);
        caCrt = dir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE).toFile();
        for (String name : List.of("jenkins", "other")) {
            assertEquals(200, node.client.postJson("/api/v1/user/", "{\"name\":\"" + name + "\",\"password\":\""
                    + name + "-pw\"}", "admin", node.adminPassword).status());
        }
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void aUserCreatesATemporaryLabelThatOnlyTheyAndAdminSee() throws Exception {
        Instant removeAt = clock.instant().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusMillis(500);
        Label created;
        try (PluginRpcClient jenkins = client("jenkins")) {
            // The plugin's step sends it through the Connect tunnel.
            Tunnel tunnel = new Tunnel(jenkins);
            created = tunnel.ok(LabelServiceCreateRequest.newBuilder().setLabel(temporary("mine", "jenkins",
                    removeAt)).build(), LabelServiceCreateResponse.class).getData();
            tunnel.finish();
            assertEquals("jenkins", created.getOwnerName());
            assertEquals(List.of("jenkins"), created.getVisibleForList());
            assertEquals(0, created.getVersion());
            assertEquals(timestamp(removeAt), created.getRemoveAt());
            assertTrue(listed(jenkins).contains(created.getUid()));
            assertCode(Code.ALREADY_EXISTS, () -> labels(jenkins).create(LabelServiceCreateRequest.newBuilder()
                    .setLabel(temporary("mine", "jenkins", removeAt)).build()));
        }
        try (PluginRpcClient admin = client("admin")) {
            Label seen = labels(admin).list(LabelServiceListRequest.newBuilder().setName("mine").build())
                    .getData(0);
            assertEquals(created, seen);
        }
        try (PluginRpcClient other = client("other")) {
            assertFalse(listed(other).contains(created.getUid()));
        }

        // REST v1: admin gets it with exactly the v0.7.7 keys; another user does not learn it exists.
        JsonNode all = node.client.get("/api/v1/label/", "admin", node.adminPassword).json();
        JsonNode v1 = null;
        for (JsonNode label : all) {
            if (label.get("UID").asText().equals(created.getUid())) {
                v1 = label;
            }
        }
        assertNotNull(v1, all.toString());
        Set<String> keys = new HashSet<>();
        v1.fieldNames().forEachRemaining(keys::add);
        assertEquals(RestApiTest.LABEL_KEYS, keys);
        assertEquals(0, v1.get("version").asInt());
        assertEquals(0, node.client.get("/api/v1/label/", "other", "other-pw").json().size());
        assertEquals(404, node.client.get("/api/v1/label/" + created.getUid(), "other", "other-pw").status());
        assertEquals(200, node.client.get("/api/v1/label/" + created.getUid(), "jenkins", "jenkins-pw").status());
    }

    @Test
    void temporaryLabelRulesAreInvalidArguments() throws Exception {
        Instant now = clock.instant();
        try (PluginRpcClient jenkins = client("jenkins")) {
            LabelServiceGrpc.LabelServiceBlockingStub labels = labels(jenkins);
            assertCode(Code.PERMISSION_DENIED, () -> labels.create(request(temporary("perm", "jenkins", null)
                    .toBuilder().setVersion(1).build())));
            assertCode(Code.INVALID_ARGUMENT, () -> labels.create(request(temporary("no-remove-at", "jenkins",
                    null))));
            assertCode(Code.INVALID_ARGUMENT, () -> labels.create(request(temporary("too-soon", "jenkins",
                    now.plusSeconds(10)))));
            assertCode(Code.INVALID_ARGUMENT, () -> labels.create(request(temporary("too-late", "jenkins",
                    now.plus(Duration.ofHours(73))))));
            assertCode(Code.INVALID_ARGUMENT, () -> labels.create(request(temporary("for-all", "jenkins",
                    now.plus(Duration.ofHours(1))).toBuilder().clearVisibleFor().build())));
            assertCode(Code.INVALID_ARGUMENT, () -> labels.create(request(temporary("for-other", "other",
                    now.plus(Duration.ofHours(1))))));
        }
        try (PluginRpcClient admin = client("admin")) {
            assertCode(Code.INVALID_ARGUMENT, () -> labels(admin).create(request(temporary("admin-perm", "admin",
                    now.plus(Duration.ofHours(1))).toBuilder().setVersion(1).build())));
        }
        assertEquals(0, node.client.get("/api/v1/label/", "admin", node.adminPassword).json().findValues("name")
                .stream().filter(name -> !name.asText().equals("mine") && !name.asText().equals("expiring")).count(),
                "nothing refused was stored");
    }

    @Test
    void anExpiredLabelServesNoNewApplicationAndIsRemovedOnceItsApplicationIsOver() throws Exception {
        Label label;
        String appUid;
        try (PluginRpcClient jenkins = client("jenkins"); PluginRpcClient other = client("other")) {
            label = labels(jenkins).create(request(temporary("expiring", "jenkins",
                    clock.instant().plus(Duration.ofHours(1))))).getData();
            ApplicationServiceGrpc.ApplicationServiceBlockingStub apps = ApplicationServiceGrpc.newBlockingStub(
                    jenkins.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
            appUid = apps.create(ApplicationServiceCreateRequest.newBuilder().setApplication(Application.newBuilder()
                    .setLabelUid(label.getUid())).build()).getData().getUid();
            var events = RpcStreams.subscribe(other, SUBSCRIPTION_TYPE_LABEL);

            clock.shift(Duration.ofHours(2));
            StatusRuntimeException expired = assertThrows(StatusRuntimeException.class, () -> apps.create(
                    ApplicationServiceCreateRequest.newBuilder().setApplication(Application.newBuilder()
                            .setLabelUid(label.getUid())).build()));
            assertEquals(Code.INVALID_ARGUMENT, expired.getStatus().getCode());
            assertTrue(expired.getStatus().getDescription().contains("expired at"), expired.getStatus().toString());

            // Its application is still active: the label stays until it is over.
            assertTrue(listed(jenkins).contains(label.getUid()));
            assertTrue(ApplicationServiceGrpc.newBlockingStub(jenkins.channel).withDeadlineAfter(Tunnel.WAIT_S,
                    TimeUnit.SECONDS).deallocate(ApplicationServiceDeallocateRequest.newBuilder()
                    .setApplicationUid(appUid).build()).getStatus());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REMOVAL_S);
            Label removed = null;
            while (removed == null && System.nanoTime() < deadline) {
                StreamingServiceSubscribeResponse event = events.received.poll(1, TimeUnit.SECONDS);
                // Other tests' temporary labels expire with the shift too: only this one counts here.
                if (event != null && event.getObjectType() == SUBSCRIPTION_TYPE_LABEL
                        && event.getChangeType() == ChangeType.CHANGE_TYPE_REMOVED) {
                    Label any = event.getObjectData().unpack(Label.class);
                    removed = any.getUid().equals(label.getUid()) ? any : null;
                }
            }
            assertNotNull(removed, "no REMOVED event for the label within " + REMOVAL_S + " s");
            assertEquals("expiring", removed.getName());
            assertEquals("jenkins", removed.getOwnerName(), "the whole label, as it was");
            assertFalse(listed(jenkins).contains(label.getUid()));
            events.cancel();
        }
        String status = node.client.get("/api/v1/application/" + appUid + "/state", "jenkins", "jenkins-pw").json()
                .get("status").asText();
        assertTrue(Set.of("DEALLOCATED", "RECALLED").contains(status), status);
    }

    private PluginRpcClient client(String user) throws Exception {
        return new PluginRpcClient("127.0.0.1", node.runner.port(), caCrt, user,
                user.equals("admin") ? node.adminPassword : user + "-pw");
    }

    private static LabelServiceGrpc.LabelServiceBlockingStub labels(PluginRpcClient rpc) {
        return LabelServiceGrpc.newBlockingStub(rpc.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
    }

    private static List<String> listed(PluginRpcClient rpc) {
        return labels(rpc).list(LabelServiceListRequest.getDefaultInstance()).getDataList().stream()
                .map(Label::getUid).toList();
    }

    private static LabelServiceCreateRequest request(Label label) {
        return LabelServiceCreateRequest.newBuilder().setLabel(label).build();
    }

    /** What the plugin's step templates send: version 0, remove_at, visible_for the one user. */
    private static Label temporary(String name, String visibleFor, Instant removeAt) {
        Label.Builder label = Label.newBuilder().setName(name).setVersion(0).addVisibleFor(visibleFor)
                .addDefinitions(LabelDefinition.newBuilder().setDriver("test")
                        .setResources(Resources.newBuilder().setCpu(1).setRam(1)));
        if (removeAt != null) {
            label.setRemoveAt(timestamp(removeAt));
        }
        return label.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static void assertCode(Code expected, org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(expected, e.getStatus().getCode(), e.getStatus().toString());
    }

    /** The system clock plus an offset the test moves forward: the node's whole notion of now. */
    static final class ShiftedClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void shift(Duration by) {
            offset.updateAndGet(current -> current.plus(by));
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
