package io.aquarium.fish.api;

import aquarium.v2.ApplicationOuterClass.ApplicationState;
import aquarium.v2.LabelOuterClass.Label;
import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeResponse;
import com.google.protobuf.Any;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.tls.NodeCertificates;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static aquarium.v2.Streaming.SubscriptionType.SUBSCRIPTION_TYPE_APPLICATION_STATE;
import static aquarium.v2.Streaming.SubscriptionType.SUBSCRIPTION_TYPE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscribe events and per-user stream limits of the v2 API against a real node, with clients set up
 * like Jenkins plugin v0.6.0's. Changes are made over REST v1: one domain, one event source.
 * Each test uses its own users, since a user's second stream evicts the first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcEventsTest {
    private static final long WAIT_S = 15;

    @TempDir
    static Path dir;
    TestNode node;
    File caCrt;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(dir);
        caCrt = dir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE).toFile();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void ownerAndAdminsSeeEveryStateOthersNone() throws Exception {
        String labelUid = createLabel("events-app", 1);
        createUser("alice", "apass");
        createUser("bob", "bpass");
        try (PluginRpcClient alice = client("alice", "apass");
             PluginRpcClient bob = client("bob", "bpass");
             PluginRpcClient admin = client("admin", node.adminPassword)) {
            var aliceEvents = greeted(RpcStreams.subscribe(alice, SUBSCRIPTION_TYPE_APPLICATION_STATE,
                    SUBSCRIPTION_TYPE_LABEL));
            var bobEvents = greeted(RpcStreams.subscribe(bob, SUBSCRIPTION_TYPE_APPLICATION_STATE,
                    SUBSCRIPTION_TYPE_LABEL));
            var adminEvents = greeted(RpcStreams.subscribe(admin, SUBSCRIPTION_TYPE_APPLICATION_STATE));

            ApiClient.Reply created = node.client.postJson("/api/v1/application/",
                    "{\"label_UID\":\"" + labelUid + "\"}", "alice", "apass");
            assertEquals(200, created.status(), created.body());
            String appUid = created.json().get("UID").asText();

            List<ApplicationState> seen = statesUntil(aliceEvents, appUid, ApplicationState.Status.ALLOCATED);
            assertEquals(List.of(ApplicationState.Status.NEW, ApplicationState.Status.ELECTED,
                    ApplicationState.Status.ALLOCATED), seen.stream().map(ApplicationState::getStatus).toList(),
                    "every state once, in order");
            assertFalse(seen.get(0).getUid().isEmpty());
            assertTrue(seen.get(0).getCreatedAt().getSeconds() > 0);
            statesUntil(adminEvents, appUid, ApplicationState.Status.ALLOCATED);

            assertEquals(200, node.client.get("/api/v1/application/" + appUid + "/deallocate", "alice", "apass")
                    .status());
            List<ApplicationState> after = statesUntil(aliceEvents, appUid, ApplicationState.Status.DEALLOCATED);
            assertEquals(ApplicationState.Status.DEALLOCATE, after.get(0).getStatus());
            Set<String> uids = new HashSet<>();
            seen.forEach(s -> uids.add(s.getUid()));
            after.forEach(s -> assertTrue(uids.add(s.getUid()), "no state twice"));

            // Each stream gets events in the relay's order: once bob sees a label created after all of
            // alice's states, he would have seen any of those states before it.
            String fence = createLabel("events-fence", 1);
            while (true) {
                StreamingServiceSubscribeResponse event = bobEvents.next(WAIT_S);
                assertFalse(event.getObjectType() == SUBSCRIPTION_TYPE_APPLICATION_STATE
                        && event.getObjectData().unpack(ApplicationState.class).getApplicationUid().equals(appUid),
                        "bob sees none of alice's states");
                if (event.getObjectType() == SUBSCRIPTION_TYPE_LABEL
                        && event.getObjectData().unpack(Label.class).getUid().equals(fence)) {
                    break;
                }
            }
            assertFalse(aliceEvents.closed.isDone());
            assertFalse(bobEvents.closed.isDone());
            List.of(aliceEvents, bobEvents, adminEvents).forEach(RpcStreams.Recorder::cancel);
        }
    }

    @Test
    void labelEventsGoToEverySubscriber() throws Exception {
        createUser("carol", "cpass");
        try (PluginRpcClient carol = client("carol", "cpass")) {
            var events = greeted(RpcStreams.subscribe(carol, SUBSCRIPTION_TYPE_APPLICATION_STATE,
                    SUBSCRIPTION_TYPE_LABEL));
            List<FishEvent> labelEvents = new CopyOnWriteArrayList<>();
            node.runner.node().events().subscribe(event -> {
                if (event instanceof FishEvent.LabelCreated || event instanceof FishEvent.LabelRemoved) {
                    labelEvents.add(event);
                }
            });
            String uid = createLabel("events-label", 7);
            Label created = nextLabel(events, ChangeType.CHANGE_TYPE_CREATED);
            // A cluster's change feed brings the same event again (twice, on every node): sent once.
            labelEvents.forEach(node.runner.node().events()::publish);
            assertEquals(uid, created.getUid());
            assertEquals("events-label", created.getName());
            assertEquals(7, created.getVersion());
            assertEquals("test", created.getDefinitions(0).getDriver());
            assertEquals(2, created.getDefinitions(0).getResources().getRam());
            assertFalse(created.getDefinitions(0).hasAuthentication(), "no credentials to every subscriber");
            assertEquals("x", created.getMetadata().getFieldsOrThrow("alpha").getStringValue());

            assertEquals(200, node.client.delete("/api/v1/label/" + uid, "admin", node.adminPassword).status());
            StreamingServiceSubscribeResponse next = events.next(WAIT_S);
            assertEquals(ChangeType.CHANGE_TYPE_REMOVED, next.getChangeType(), "no second CREATED: " + next);
            Label removed = next.getObjectData().unpack(Label.class);
            assertEquals(uid, removed.getUid());
            assertEquals("events-label", removed.getName(), "the whole label, also when removed");
            events.cancel();
        }
    }

    @Test
    void secondSubscribeEvictsTheFirst() throws Exception {
        createUser("dave", "dpass");
        try (PluginRpcClient first = client("dave", "dpass"); PluginRpcClient second = client("dave", "dpass")) {
            var old = greeted(RpcStreams.subscribe(first, SUBSCRIPTION_TYPE_LABEL));
            var fresh = greeted(RpcStreams.subscribe(second, SUBSCRIPTION_TYPE_LABEL));

            StreamingServiceSubscribeResponse notice = old.next(WAIT_S);
            assertEquals(SubscriptionType.SUBSCRIPTION_TYPE_UNSPECIFIED, notice.getObjectType());
            assertEquals(ChangeType.CHANGE_TYPE_REMOVED, notice.getChangeType());
            assertFalse(notice.hasObjectData());
            Throwable end = old.closed.get(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(end);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(end).getCode());

            // The newer stream lives on and gets events.
            String uid = createLabel("events-evict", 1);
            assertEquals(uid, nextLabel(fresh, ChangeType.CHANGE_TYPE_CREATED).getUid());
            assertFalse(fresh.closed.isDone());
            fresh.cancel();
        }
    }

    @Test
    void secondConnectEvictsTheFirst() throws Exception {
        createUser("erin", "epass");
        try (PluginRpcClient first = client("erin", "epass"); PluginRpcClient second = client("erin", "epass")) {
            Tunnel old = new Tunnel(first);
            assertEquals("keep-alive", old.next(WAIT_S).getRequestId());
            Tunnel fresh = new Tunnel(second);
            assertEquals("keep-alive", fresh.next(WAIT_S).getRequestId());

            StreamingServiceConnectResponse notice = old.next(WAIT_S);
            assertEquals("stream-limit-exceeded", notice.getRequestId());
            assertEquals("StreamLimitExceededNotification", notice.getResponseType());
            assertEquals("resource_exhausted", notice.getError().getCode());
            Throwable end = old.closed.get(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(end);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(end).getCode());

            fresh.send("me", "UserServiceGetMeRequest", Any.pack(UserServiceGetMeRequest.getDefaultInstance()));
            StreamingServiceConnectResponse me = fresh.next(WAIT_S);
            assertEquals("me", me.getRequestId());
            assertEquals("erin", me.getResponseData().unpack(UserServiceGetMeResponse.class).getData().getName());
            // Connect and Subscribe are counted apart: a Subscribe does not evict the tunnel.
            greeted(RpcStreams.subscribe(second, SUBSCRIPTION_TYPE_LABEL)).cancel();
            assertFalse(fresh.closed.isDone());
            fresh.cancel();
        }
    }

    private PluginRpcClient client(String user, String password) throws Exception {
        return new PluginRpcClient("127.0.0.1", node.runner.port(), caCrt, user, password);
    }

    private void createUser(String name, String password) {
        ApiClient.Reply r = node.client.postJson("/api/v1/user/",
                "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}", "admin", node.adminPassword);
        assertEquals(200, r.status(), r.body());
    }

    private String createLabel(String name, int version) {
        ApiClient.Reply r = node.client.postJson("/api/v1/label/", RestApiTest.LABEL_BODY.formatted(name, version),
                "admin", node.adminPassword);
        assertEquals(200, r.status(), r.body());
        return r.json().get("UID").asText();
    }

    /** Waits for the StreamCreated greeting, as the plugin does before it counts itself connected. */
    private static RpcStreams.Recorder<StreamingServiceSubscribeResponse> greeted(
            RpcStreams.Recorder<StreamingServiceSubscribeResponse> stream) throws InterruptedException {
        StreamingServiceSubscribeResponse first = stream.next(WAIT_S);
        assertEquals("type.googleapis.com/aquarium.v2.StreamCreated", first.getObjectData().getTypeUrl());
        return stream;
    }

    /** The states of {@code appUid} the stream carries, up to and including {@code last}. */
    private static List<ApplicationState> statesUntil(RpcStreams.Recorder<StreamingServiceSubscribeResponse> stream,
                                                      String appUid, ApplicationState.Status last) throws Exception {
        List<ApplicationState> states = new ArrayList<>();
        while (true) {
            StreamingServiceSubscribeResponse event = stream.next(WAIT_S);
            if (event.getObjectType() != SUBSCRIPTION_TYPE_APPLICATION_STATE) {
                continue;
            }
            assertEquals(ChangeType.CHANGE_TYPE_CREATED, event.getChangeType(), "the plugin acts only on CREATED");
            assertEquals("type.googleapis.com/aquarium.v2.ApplicationState", event.getObjectData().getTypeUrl());
            ApplicationState state = event.getObjectData().unpack(ApplicationState.class);
            if (state.getApplicationUid().equals(appUid)) {
                states.add(state);
                if (state.getStatus() == last) {
                    return states;
                }
            }
        }
    }

    private static Label nextLabel(RpcStreams.Recorder<StreamingServiceSubscribeResponse> stream, ChangeType change)
            throws Exception {
        while (true) {
            StreamingServiceSubscribeResponse event = stream.next(WAIT_S);
            if (event.getObjectType() == SUBSCRIPTION_TYPE_LABEL && event.getChangeType() == change) {
                return event.getObjectData().unpack(Label.class);
            }
        }
    }
}
