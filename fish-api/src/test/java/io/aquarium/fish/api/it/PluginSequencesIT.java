package io.aquarium.fish.api.it;

import aquarium.v2.ApplicationOuterClass.Application;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateTaskRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateTaskResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceDeallocateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceDeallocateResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetStateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetStateResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetTaskRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetTaskResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationState;
import aquarium.v2.ApplicationOuterClass.ApplicationState.Status;
import aquarium.v2.ApplicationOuterClass.ApplicationTask;
import aquarium.v2.LabelOuterClass.Label;
import aquarium.v2.LabelOuterClass.LabelDefinition;
import aquarium.v2.LabelOuterClass.LabelServiceCreateRequest;
import aquarium.v2.LabelOuterClass.LabelServiceCreateResponse;
import aquarium.v2.LabelOuterClass.LabelServiceListRequest;
import aquarium.v2.LabelOuterClass.LabelServiceListResponse;
import aquarium.v2.LabelOuterClass.Resources;
import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import aquarium.v2.UserOuterClass.User;
import aquarium.v2.UserOuterClass.UserServiceCreateRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeResponse;
import aquarium.v2.UserServiceGrpc;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.aquarium.fish.api.PluginRpcClient;
import io.aquarium.fish.api.RpcStreams;
import io.aquarium.fish.api.Tunnel;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static aquarium.v2.Streaming.SubscriptionType.SUBSCRIPTION_TYPE_APPLICATION_STATE;
import static aquarium.v2.Streaming.SubscriptionType.SUBSCRIPTION_TYPE_LABEL;
import static io.aquarium.fish.api.it.Configs.TEST_DRIVER;
import static io.aquarium.fish.api.it.Configs.label;
import static io.aquarium.fish.api.it.Configs.testDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call sequences of Jenkins plugin v0.6.0 (issue 17) against the packaged jar run as its own
 * process, with a client set up as the plugin sets up its own (netty, TLS trusting only the node's
 * {@code fish_data/ca.crt}, host name checked, {@code /grpc/} prefix, Basic auth): test connection,
 * cloud start, launch (with the create → ALLOCATED event latency measured), channel check, terminate,
 * {@code aquariumCreateLabel}, a snapshot task, bad credentials and stream eviction on one node; then v2
 * and REST v1 mixed across a 2-node cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
class PluginSequencesIT {
    /** Generous: a 2-core machine shared with other builds. */
    private static final Duration EVENT_WAIT = Duration.ofSeconds(30);
    private static final int LAUNCHES = 20;
    private static final String JENKINS = "jenkins";
    private static final String JENKINS_PW = "jenkins-password";

    @RegisterExtension
    static final FishNodes NODES = FishNodes.perClass();

    private Path dir;
    private FishProcess node;
    private String labelUid;

    @BeforeAll
    void startNode(@TempDir Path tempDir) {
        dir = tempDir;
        node = NODES.start("solo", dir.resolve("solo"), Configs.node("solo", TEST_DRIVER));
        labelUid = node.api().createLabel(label("jenkins-ubuntu", testDefinition(1, 2)));
        createUser(node.api(), JENKINS, JENKINS_PW);
    }

    /** Test Connection: both streams greet at once, then GetMe through the tunnel names the user. */
    @Test
    @Order(1)
    void testConnection() throws Exception {
        try (PluginRpcClient rpc = client(node, JENKINS, JENKINS_PW)) {
            Tunnel tunnel = new Tunnel(rpc);
            Events events = Events.open(rpc);
            StreamingServiceConnectResponse first = tunnel.next();
            assertEquals("keep-alive", first.getRequestId());
            assertEquals("KeepAliveResponse", first.getResponseType());

            UserServiceGetMeResponse me = tunnel.ok(UserServiceGetMeRequest.getDefaultInstance(),
                    UserServiceGetMeResponse.class);
            assertEquals(JENKINS, me.getData().getName());
            assertFalse(me.getData().hasHash(), "no password hash to the client");
            events.cancel();
            tunnel.finish();
        }
        // The host name is checked: a URL naming a host the node certificate does not cover fails.
        try (PluginRpcClient misnamed = client(node, "fish.example", JENKINS, JENKINS_PW)) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> UserServiceGrpc
                    .newBlockingStub(misnamed.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS)
                    .getMe(UserServiceGetMeRequest.getDefaultInstance()));
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused::toString);
        }
    }

    /** Cloud start: LabelServiceList sees the label admin made over REST v1. */
    @Test
    @Order(2)
    void cloudStartListsTheLabels() throws Exception {
        try (PluginRpcClient rpc = client(node, JENKINS, JENKINS_PW)) {
            Tunnel tunnel = new Tunnel(rpc);
            LabelServiceListResponse labels = tunnel.ok(LabelServiceListRequest.getDefaultInstance(),
                    LabelServiceListResponse.class);
            assertTrue(labels.getStatus());
            Label listed = labels.getDataList().stream().filter(l -> l.getUid().equals(labelUid)).findFirst()
                    .orElseThrow(() -> new AssertionError("label " + labelUid + " not in " + labels.getDataList()));
            assertEquals("jenkins-ubuntu", listed.getName());
            assertEquals(1, listed.getVersion());
            assertEquals("test", listed.getDefinitions(0).getDriver());
            tunnel.finish();
        }
    }

    /**
     * Launch, channel check and terminate, {@value #LAUNCHES} times in a row: Create with the agent's
     * metadata, the states NEW ... ALLOCATED as CREATED events, GetState, Deallocate, DEALLOCATED. Prints
     * the create → ALLOCATED event latency (never asserted: the machine is shared).
     */
    @Test
    @Order(3)
    void launchCheckAndTerminate() throws Exception {
        List<Duration> latencies = new ArrayList<>();
        try (PluginRpcClient rpc = client(node, JENKINS, JENKINS_PW)) {
            Tunnel tunnel = new Tunnel(rpc);
            Events events = Events.open(rpc, SUBSCRIPTION_TYPE_APPLICATION_STATE, SUBSCRIPTION_TYPE_LABEL);
            for (int i = 0; i < LAUNCHES; i++) {
                long sent = System.nanoTime();
                Application app = create(tunnel, labelUid, "agent-" + i);
                assertEquals(JENKINS, app.getOwnerName());
                assertEquals(labelUid, app.getLabelUid());
                assertEquals("agent-" + i, app.getMetadata().getFieldsOrThrow("JENKINS_AGENT_NAME").getStringValue());
                Events.Arrival allocated = events.awaitState(app.getUid(), Status.ALLOCATED);
                latencies.add(Duration.ofNanos(allocated.at() - sent));
                assertEquals(List.of(Status.NEW, Status.ELECTED, Status.ALLOCATED),
                        events.statuses(app.getUid()), "every state once, in order");

                assertEquals(Status.ALLOCATED, state(tunnel, app.getUid()));

                assertTrue(tunnel.ok(ApplicationServiceDeallocateRequest.newBuilder().setApplicationUid(app.getUid())
                        .build(), ApplicationServiceDeallocateResponse.class).getStatus());
                events.awaitState(app.getUid(), Status.DEALLOCATED);
                assertEquals(Status.DEALLOCATED, state(tunnel, app.getUid()));
            }
            events.cancel();
            tunnel.finish();
        }
        printLatencies("v2 create→ALLOCATED event (packaged jar, TLS, 1 node, test driver)", latencies);
    }

    /**
     * {@code aquariumCreateLabel}: a non-admin user makes a temporary label (version 0, removed in an
     * hour, visible to itself), owned by that user.
     */
    @Test
    @Order(4)
    void aquariumCreateLabelMakesATemporaryLabel() throws Exception {
        String user = "label-maker";
        createUserOverV2(user, user + "-password");
        try (PluginRpcClient rpc = client(node, user, user + "-password")) {
            Tunnel tunnel = new Tunnel(rpc);
            long removeAt = System.currentTimeMillis() / 1000 + 3600;
            StreamingServiceConnectResponse answer = tunnel.call(LabelServiceCreateRequest.newBuilder()
                    .setLabel(Label.newBuilder().setName("pipeline-made").setVersion(0)
                            .addDefinitions(LabelDefinition.newBuilder().setDriver("test")
                                    .setResources(Resources.newBuilder().setCpu(1).setRam(2)))
                            .addVisibleFor(user)
                            .setRemoveAt(Timestamp.newBuilder().setSeconds(removeAt)))
                    .build());
            assertFalse(answer.hasError(), () -> answer.getError().getCode() + ": " + answer.getError().getMessage());
            LabelServiceCreateResponse created = answer.getResponseData().unpack(LabelServiceCreateResponse.class);
            assertTrue(created.getStatus(), created.getMessage());
            assertFalse(created.getData().getUid().isEmpty());
            assertEquals(user, created.getData().getOwnerName());
            assertEquals(0, created.getData().getVersion());
            tunnel.finish();
        }
    }

    /** {@code aquariumCreateSnapshot} then {@code aquariumApplicationTask} with wait: GetTask until a result. */
    @Test
    @Order(5)
    void snapshotTaskGetsItsResult() throws Exception {
        try (PluginRpcClient rpc = client(node, JENKINS, JENKINS_PW)) {
            Tunnel tunnel = new Tunnel(rpc);
            Events events = Events.open(rpc, SUBSCRIPTION_TYPE_APPLICATION_STATE);
            String app = create(tunnel, labelUid, "snapshot-agent").getUid();
            events.awaitState(app, Status.ALLOCATED);

            ApplicationTask task = tunnel.ok(ApplicationServiceCreateTaskRequest.newBuilder().setTask(ApplicationTask
                    .newBuilder().setApplicationUid(app).setTask("snapshot").setWhen(Status.ALLOCATED)
                    .setOptions(Struct.newBuilder().putFields("full", Value.newBuilder().setBoolValue(false).build())))
                    .build(), ApplicationServiceCreateTaskResponse.class).getData();
            assertFalse(task.getUid().isEmpty());
            ApplicationTask done = Poll.until("task " + task.getUid() + " to have a result", EVENT_WAIT,
                    () -> getTask(tunnel, task.getUid()), t -> t.hasResult() && t.getResult().getFieldsCount() > 0);
            assertEquals("test-snapshot", done.getResult().getFieldsOrThrow("snapshots").getListValue().getValues(0)
                    .getStringValue());
            assertEquals("ALLOCATED", done.getResult().getFieldsOrThrow("when").getStringValue());
            assertEquals(Status.ALLOCATED, done.getWhen());

            tunnel.ok(ApplicationServiceDeallocateRequest.newBuilder().setApplicationUid(app).build(),
                    ApplicationServiceDeallocateResponse.class);
            events.awaitState(app, Status.DEALLOCATED);
            events.cancel();
            tunnel.finish();
        }
    }

    /** A wrong password: UNAUTHENTICATED on Connect and on a unary call. A user's second Connect evicts the first. */
    @Test
    @Order(6)
    void badPasswordIsRefusedAndASecondConnectEvictsTheFirst() throws Exception {
        String user = "evicted";
        createUser(node.api(), user, user + "-password");
        try (PluginRpcClient wrong = client(node, user, "not-the-password")) {
            Tunnel refused = new Tunnel(wrong);
            Throwable end = refused.closed.get(Tunnel.WAIT_S, TimeUnit.SECONDS);
            assertNotNull(end, "the stream ends with an error");
            assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, io.grpc.Status.fromThrowable(end).getCode(),
                    end::toString);
            StatusRuntimeException unary = assertThrows(StatusRuntimeException.class, () -> UserServiceGrpc
                    .newBlockingStub(wrong.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS)
                    .getMe(UserServiceGetMeRequest.getDefaultInstance()));
            assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, unary.getStatus().getCode(), unary::toString);
        }
        try (PluginRpcClient first = client(node, user, user + "-password");
             PluginRpcClient second = client(node, user, user + "-password")) {
            Tunnel old = new Tunnel(first);
            assertEquals("keep-alive", old.next().getRequestId());
            Tunnel fresh = new Tunnel(second);
            assertEquals("keep-alive", fresh.next().getRequestId());

            StreamingServiceConnectResponse notice = old.next();
            assertEquals("stream-limit-exceeded", notice.getRequestId());
            assertEquals("StreamLimitExceededNotification", notice.getResponseType());
            assertEquals("resource_exhausted", notice.getError().getCode());
            Throwable end = old.closed.get(Tunnel.WAIT_S, TimeUnit.SECONDS);
            assertNotNull(end, "the evicted stream is closed");
            assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, io.grpc.Status.fromThrowable(end).getCode());

            assertEquals(user, fresh.ok(UserServiceGetMeRequest.getDefaultInstance(), UserServiceGetMeResponse.class)
                    .getData().getName(), "the newer stream works on");
            fresh.finish();
        }
    }

    /**
     * Two clustered jars sharing one CA: an application made over v2 on node-1 is read over REST v1 on
     * node-2, one made over REST v1 on node-2 is seen ALLOCATED by a v2 subscriber on node-1; each is
     * deallocated over the other API and both APIs see DEALLOCATED.
     */
    @Test
    @Order(7)
    @ResourceLock(ClusterIT.CLUSTER_LOCK)
    void clusterMixesV2AndRestV1() throws Exception {
        List<FishProcess> cluster = cluster();
        FishApi restOnTwo = cluster.get(1).api().as(JENKINS, JENKINS_PW);
        String clusterLabel = cluster.get(0).api().createLabel(label("cluster-ubuntu", testDefinition(1, 2)));

        try (PluginRpcClient rpc = client(cluster.get(0), JENKINS, JENKINS_PW)) {
            Tunnel tunnel = new Tunnel(rpc);
            Events events = Events.open(rpc, SUBSCRIPTION_TYPE_APPLICATION_STATE);

            String overV2 = create(tunnel, clusterLabel, "cluster-agent-v2").getUid();
            restOnTwo.awaitAllocated(overV2);
            events.awaitState(overV2, Status.ALLOCATED);

            String overV1 = restOnTwo.createApplication(clusterLabel);
            events.awaitState(overV1, Status.ALLOCATED);
            assertEquals(List.of(Status.NEW, Status.ELECTED, Status.ALLOCATED), events.statuses(overV1),
                    "every state of an application made on the other node, once, in order");
            assertEquals(Status.ALLOCATED, state(tunnel, overV1));

            restOnTwo.deallocate(overV2);
            assertTrue(tunnel.ok(ApplicationServiceDeallocateRequest.newBuilder().setApplicationUid(overV1).build(),
                    ApplicationServiceDeallocateResponse.class).getStatus());
            for (String app : List.of(overV2, overV1)) {
                events.awaitState(app, Status.DEALLOCATED);
                restOnTwo.awaitStatus(app, "DEALLOCATED", EVENT_WAIT);
                assertEquals(Status.DEALLOCATED, state(tunnel, app));
            }
            events.cancel();
            tunnel.finish();
        }
    }

    /** Label events made on node-2 reach a v2 subscriber on node-1 (through the cluster's change feed). */
    @Test
    @Order(8)
    @ResourceLock(ClusterIT.CLUSTER_LOCK)
    void clusterLabelEventsReachSubscribersOnOtherNodes() throws Exception {
        List<FishProcess> cluster = cluster();
        try (PluginRpcClient rpc = client(cluster.get(0), JENKINS, JENKINS_PW)) {
            Events events = Events.open(rpc, SUBSCRIPTION_TYPE_LABEL);
            String uid = cluster.get(1).api().createLabel(label("made-on-node-2", testDefinition(1, 2)));
            Label created = events.awaitLabel(uid, ChangeType.CHANGE_TYPE_CREATED);
            assertEquals("made-on-node-2", created.getName());
            events.cancel();
        }
    }

    private List<FishProcess> clusterNodes;

    /** The 2-node cluster (formed once, after the single node is stopped to spare the machine) with user jenkins. */
    private List<FishProcess> cluster() {
        if (clusterNodes == null) {
            NODES.retire(List.of(node));
            List<FishProcess> nodes = Clusters.create(NODES, dir.resolve("cluster"), Clusters.freePorts(2),
                    TEST_DRIVER);
            Clusters.form(nodes);
            createUser(nodes.get(0).api(), JENKINS, JENKINS_PW);
            clusterNodes = nodes;
        }
        return clusterNodes;
    }

    // --- the plugin's calls ---

    private static PluginRpcClient client(FishProcess on, String user, String password) throws Exception {
        return client(on, null, user, password);
    }

    /** A client of {@code on} trusting only its {@code fish_data/ca.crt}; {@code tlsName} as in {@link PluginRpcClient}. */
    private static PluginRpcClient client(FishProcess on, String tlsName, String user, String password)
            throws Exception {
        String address = on.address();
        int colon = address.lastIndexOf(':');
        File caCrt = on.dir().resolve("fish_data").resolve("ca.crt").toFile();
        return new PluginRpcClient(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), tlsName,
                caCrt, user, password);
    }

    /** ApplicationServiceCreate as the launcher sends it: the label and the agent's three strings. */
    private static Application create(Tunnel tunnel, String label, String agent) throws Exception {
        ApplicationServiceCreateResponse created = tunnel.ok(ApplicationServiceCreateRequest.newBuilder()
                .setApplication(Application.newBuilder().setLabelUid(label).setMetadata(Struct.newBuilder()
                        .putFields("JENKINS_URL", string("https://jenkins.example:8443/"))
                        .putFields("JENKINS_AGENT_NAME", string(agent))
                        .putFields("JENKINS_AGENT_SECRET", string("secret-of-" + agent))))
                .build(), ApplicationServiceCreateResponse.class);
        assertTrue(created.getStatus(), created.getMessage());
        return created.getData();
    }

    private static Status state(Tunnel tunnel, String app) throws Exception {
        return tunnel.ok(ApplicationServiceGetStateRequest.newBuilder().setApplicationUid(app).build(),
                ApplicationServiceGetStateResponse.class).getData().getStatus();
    }

    private static ApplicationTask getTask(Tunnel tunnel, String task) {
        try {
            return tunnel.ok(ApplicationServiceGetTaskRequest.newBuilder().setApplicationTaskUid(task).build(),
                    ApplicationServiceGetTaskResponse.class).getData();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Value string(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    private static void createUser(FishApi admin, String name, String password) {
        admin.post("/api/v1/user/", "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}").ok();
    }

    /** A user made by admin over v2 (the plugin's test harness does it this way). */
    private void createUserOverV2(String name, String password) throws Exception {
        try (PluginRpcClient admin = client(node, "admin", node.adminPassword())) {
            User made = UserServiceGrpc.newBlockingStub(admin.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS)
                    .create(UserServiceCreateRequest.newBuilder().setUser(User.newBuilder().setName(name)
                            .setPassword(password).addRoles("User")).build()).getData();
            assertEquals(name, made.getName());
        }
    }

    private static void printLatencies(String what, List<Duration> samples) {
        List<Duration> sorted = samples.stream().sorted().toList();
        System.out.println("[measure] " + what + ", n=" + sorted.size());
        System.out.println("[measure] | p50 | p90 | max |");
        System.out.println("[measure] |---|---|---|");
        System.out.println("[measure] | " + ClusterMeasurements.millis(ClusterMeasurements.percentile(sorted, 50))
                + " | " + ClusterMeasurements.millis(ClusterMeasurements.percentile(sorted, 90)) + " | "
                + ClusterMeasurements.millis(sorted.get(sorted.size() - 1)) + " |");
    }

    /**
     * A Subscribe stream as the plugin holds it, greeted with {@code StreamCreated}: every message
     * stamped on arrival, and the application states kept, so a state that came before the client knew
     * its application's UID (Create's answer and the first events race) is still found.
     */
    private static final class Events extends RpcStreams.Recorder<StreamingServiceSubscribeResponse> {
        record Arrival(long at, StreamingServiceSubscribeResponse message) {
        }

        private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        private final List<Arrival> seen = new ArrayList<>();

        /** Opens the stream and waits for its greeting, as the plugin does before it counts itself connected. */
        static Events open(PluginRpcClient rpc, SubscriptionType... types) throws Exception {
            Events events = RpcStreams.subscribe(rpc, new Events(), types);
            Arrival greeting = events.arrivals.poll(Tunnel.WAIT_S, TimeUnit.SECONDS);
            assertNotNull(greeting, "no StreamCreated within " + Tunnel.WAIT_S + " s");
            assertEquals("type.googleapis.com/aquarium.v2.StreamCreated",
                    greeting.message().getObjectData().getTypeUrl());
            return events;
        }

        @Override
        public void onNext(StreamingServiceSubscribeResponse value) {
            arrivals.add(new Arrival(System.nanoTime(), value));
        }

        /** The CREATED event of {@code app}'s state {@code status} (the plugin acts on no other change type). */
        Arrival awaitState(String app, Status status) throws Exception {
            return await(app + " " + status, a -> {
                if (a.message().getObjectType() != SUBSCRIPTION_TYPE_APPLICATION_STATE) {
                    return false;
                }
                ApplicationState state = unpack(a, ApplicationState.class);
                return state.getApplicationUid().equals(app) && state.getStatus() == status
                        && a.message().getChangeType() == ChangeType.CHANGE_TYPE_CREATED;
            });
        }

        Label awaitLabel(String uid, ChangeType change) throws Exception {
            Arrival a = await("label " + uid + " " + change, e -> e.message().getObjectType() == SUBSCRIPTION_TYPE_LABEL
                    && e.message().getChangeType() == change && unpack(e, Label.class).getUid().equals(uid));
            return unpack(a, Label.class);
        }

        /** The statuses of {@code app} received so far, in order. */
        List<Status> statuses(String app) {
            return seen.stream().filter(a -> a.message().getObjectType() == SUBSCRIPTION_TYPE_APPLICATION_STATE)
                    .map(a -> unpack(a, ApplicationState.class)).filter(s -> s.getApplicationUid().equals(app))
                    .map(ApplicationState::getStatus).toList();
        }

        private Arrival await(String what, Predicate<Arrival> wanted) throws Exception {
            Optional<Arrival> found = seen.stream().filter(wanted).findFirst();
            long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
            while (found.isEmpty()) {
                long left = deadline - System.nanoTime();
                Arrival next = left > 0 ? arrivals.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    throw new AssertionError("no event for " + what + " within " + EVENT_WAIT.toSeconds()
                            + " s; stream closed: " + closed.getNow(null) + "; seen: " + seen.size() + " events");
                }
                seen.add(next);
                if (wanted.test(next)) {
                    found = Optional.of(next);
                }
            }
            return found.get();
        }

        private static <T extends Message> T unpack(Arrival a, Class<T> type) {
            try {
                return a.message().getObjectData().unpack(type);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
    }
}
