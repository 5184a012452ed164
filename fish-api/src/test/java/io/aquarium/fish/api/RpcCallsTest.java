package io.aquarium.fish.api;

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
import aquarium.v2.ApplicationOuterClass.ApplicationState.Status;
import aquarium.v2.ApplicationOuterClass.ApplicationTask;
import aquarium.v2.ApplicationServiceGrpc;
import aquarium.v2.LabelOuterClass.Label;
import aquarium.v2.LabelOuterClass.LabelDefinition;
import aquarium.v2.LabelOuterClass.LabelServiceCreateRequest;
import aquarium.v2.LabelOuterClass.LabelServiceListRequest;
import aquarium.v2.LabelOuterClass.LabelServiceListResponse;
import aquarium.v2.LabelOuterClass.Resources;
import aquarium.v2.LabelServiceGrpc;
import aquarium.v2.NodeOuterClass.NodeServiceSetMaintenanceRequest;
import aquarium.v2.NodeServiceGrpc;
import aquarium.v2.RoleOuterClass.Permission;
import aquarium.v2.RoleOuterClass.Role;
import aquarium.v2.RoleOuterClass.RoleServiceCreateRequest;
import aquarium.v2.RoleServiceGrpc;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.UserOuterClass.User;
import aquarium.v2.UserOuterClass.UserServiceCreateRequest;
import aquarium.v2.UserOuterClass.UserServiceCreateResponse;
import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserServiceGrpc;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.aquarium.fish.core.tls.NodeCertificates;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request/response calls of the v2 API as Jenkins plugin v0.6.0 makes them (tunnelled through
 * Connect) and as its test harness makes them (unary), against a real node, mixed with REST v1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcCallsTest {
    private static final long ALLOCATE_S = 30;

    @TempDir
    static Path dir;
    TestNode node;
    File caCrt;
    String labelUid;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(dir);
        caCrt = dir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE).toFile();
        try (PluginRpcClient admin = client("admin", node.adminPassword)) {
            // The plugin's test harness: a role, a user with it, a label, all as direct unary calls.
            assertTrue(RoleServiceGrpc.newBlockingStub(admin.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS)
                    .create(RoleServiceCreateRequest.newBuilder().setRole(Role.newBuilder().setName("advanced")
                            .addPermissions(permission("ApplicationService", "CreateTask"))
                            .addPermissions(permission("LabelService", "List"))
                            .addPermissions(permission("StreamingService", "Connect"))).build()).getStatus());
            for (String name : List.of("jenkins", "other")) {
                UserServiceCreateResponse user = users(admin).create(UserServiceCreateRequest.newBuilder()
                        .setUser(User.newBuilder().setName(name).setPassword(name + "-pw").addRoles("User")
                                .addRoles("advanced")).build());
                assertEquals(List.of("User", "Power"), user.getData().getRolesList());
                assertFalse(user.getData().hasPassword(), "the client's own password is not echoed");
            }
            labelUid = labels(admin).create(LabelServiceCreateRequest.newBuilder()
                    .setLabel(label("ubuntu", 1, "test")).build()).getData().getUid();
        }
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void listLabelsAsTheCloudDoesAfterConnect() throws Exception {
        try (PluginRpcClient admin = client("admin", node.adminPassword)) {
            labels(admin).create(LabelServiceCreateRequest.newBuilder().setLabel(label("multi", 1, "test")).build());
            labels(admin).create(LabelServiceCreateRequest.newBuilder().setLabel(label("multi", 2, "test")).build());
        }
        try (PluginRpcClient rpc = client("jenkins", "jenkins-pw")) {
            Tunnel tunnel = new Tunnel(rpc);
            LabelServiceListResponse all = tunnel.ok(LabelServiceListRequest.getDefaultInstance(),
                    LabelServiceListResponse.class);
            assertTrue(all.getStatus());
            Label ubuntu = all.getDataList().stream().filter(l -> l.getUid().equals(labelUid)).findFirst().orElseThrow();
            assertEquals("ubuntu", ubuntu.getName());
            assertEquals(1, ubuntu.getVersion());
            assertEquals("test", ubuntu.getDefinitions(0).getDriver());
            assertEquals(2, ubuntu.getDefinitions(0).getResources().getRam());
            assertEquals("x", ubuntu.getMetadata().getFieldsOrThrow("alpha").getStringValue());
            assertFalse(ubuntu.getDefinitions(0).hasAuthentication(), "credentials are for admins only");

            assertEquals(List.of(2), versions(tunnel, LabelServiceListRequest.newBuilder().setName("multi")
                    .setVersion("last").build()));
            assertEquals(List.of(1), versions(tunnel, LabelServiceListRequest.newBuilder().setName("multi")
                    .setVersion("1").build()));
            assertEquals(List.of(1, 2), versions(tunnel, LabelServiceListRequest.newBuilder().setName("multi")
                    .setVersion("all").build()));
            assertEquals("invalid_argument", tunnel.call(LabelServiceListRequest.newBuilder().setVersion("newest")
                    .build()).getError().getCode());
            tunnel.finish();
        }
        // The same labels over REST v1.
        JsonNode v1 = node.client.get("/api/v1/label/" + labelUid, "jenkins", "jenkins-pw").json();
        assertEquals("ubuntu", v1.get("name").asText());
        assertEquals("{\"alpha\":\"x\",\"zeta\":1}", v1.get("metadata").toString(), "integral numbers stay integers");
    }

    @Test
    void labelsOtherThanTemporaryOnesAreForAdmins() throws Exception {
        try (PluginRpcClient rpc = client("jenkins", "jenkins-pw")) {
            Tunnel tunnel = new Tunnel(rpc);
            StreamingServiceConnectResponse denied = tunnel.call(LabelServiceCreateRequest.newBuilder()
                    .setLabel(label("mine", 1, "test")).build());
            assertEquals("permission_denied", denied.getError().getCode());
            assertTrue(denied.getError().getMessage().contains("temporary ones (version 0)"),
                    denied.getError().getMessage());
            assertFalse(denied.hasResponseData());
            tunnel.finish();
        }
        try (PluginRpcClient admin = client("admin", node.adminPassword)) {
            assertCode(Code.INVALID_ARGUMENT, () -> labels(admin).create(LabelServiceCreateRequest.newBuilder()
                    .setLabel(label("", 1, "test")).build()));
        }
    }

    @Test
    void launchCheckSnapshotAndTerminateOverTheTunnel() throws Exception {
        try (PluginRpcClient rpc = client("jenkins", "jenkins-pw")) {
            Tunnel tunnel = new Tunnel(rpc);
            Application app = tunnel.ok(ApplicationServiceCreateRequest.newBuilder().setApplication(Application
                    .newBuilder().setLabelUid(labelUid).setMetadata(Struct.newBuilder()
                            .putFields("JENKINS_URL", string("http://jenkins:8080/"))
                            .putFields("JENKINS_AGENT_NAME", string("ubuntu-1")))).build(),
                    ApplicationServiceCreateResponse.class).getData();
            assertEquals("jenkins", app.getOwnerName());
            String uid = app.getUid();

            assertEquals(Status.ALLOCATED, awaitState(tunnel, uid, Status.ALLOCATED));
            // One domain: REST v1 sees the same application, state and metadata.
            assertEquals("ALLOCATED", node.client.get("/api/v1/application/" + uid + "/state", "jenkins", "jenkins-pw")
                    .json().get("status").asText());
            assertEquals("ubuntu-1", node.client.get("/api/v1/application/" + uid, "jenkins", "jenkins-pw").json()
                    .get("metadata").get("JENKINS_AGENT_NAME").asText());

            ApplicationTask task = tunnel.ok(ApplicationServiceCreateTaskRequest.newBuilder().setTask(ApplicationTask
                    .newBuilder().setApplicationUid(uid).setTask("snapshot").setWhen(Status.ALLOCATED)
                    .setOptions(Struct.newBuilder().putFields("full", Value.newBuilder().setBoolValue(true).build())))
                    .build(), ApplicationServiceCreateTaskResponse.class).getData();
            assertEquals("snapshot", task.getTask());
            ApplicationTask done = awaitTask(tunnel, task.getUid());
            assertEquals("test-snapshot", done.getResult().getFieldsOrThrow("snapshots").getListValue()
                    .getValues(0).getStringValue());
            assertTrue(done.getOptions().getFieldsOrThrow("full").getBoolValue());

            assertTrue(tunnel.ok(ApplicationServiceDeallocateRequest.newBuilder().setApplicationUid(uid).build(),
                    ApplicationServiceDeallocateResponse.class).getStatus());
            assertEquals(Status.DEALLOCATED, awaitState(tunnel, uid, Status.DEALLOCATED));
            // The plugin sends Deallocate once and logs the answer: an application that is over is a success.
            assertTrue(tunnel.ok(ApplicationServiceDeallocateRequest.newBuilder().setApplicationUid(uid).build(),
                    ApplicationServiceDeallocateResponse.class).getStatus());
            tunnel.finish();
        }
    }

    @Test
    void recalledIsReportedAsDeallocated() throws Exception {
        String nowhere;
        try (PluginRpcClient admin = client("admin", node.adminPassword)) {
            nowhere = labels(admin).create(LabelServiceCreateRequest.newBuilder().setLabel(label("nowhere", 1, "absent"))
                    .build()).getData().getUid();
        }
        try (PluginRpcClient rpc = client("jenkins", "jenkins-pw")) {
            ApplicationServiceGrpc.ApplicationServiceBlockingStub apps = ApplicationServiceGrpc.newBlockingStub(
                    rpc.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
            String uid = apps.create(ApplicationServiceCreateRequest.newBuilder().setApplication(Application
                    .newBuilder().setLabelUid(nowhere)).build()).getData().getUid();
            assertEquals(Status.NEW, apps.getState(ApplicationServiceGetStateRequest.newBuilder().setApplicationUid(uid)
                    .build()).getData().getStatus());
            assertTrue(apps.deallocate(ApplicationServiceDeallocateRequest.newBuilder().setApplicationUid(uid).build())
                    .getStatus());
            assertEquals("RECALLED", node.client.get("/api/v1/application/" + uid + "/state", "jenkins", "jenkins-pw")
                    .json().get("status").asText());
            assertEquals(Status.DEALLOCATED, apps.getState(ApplicationServiceGetStateRequest.newBuilder()
                    .setApplicationUid(uid).build()).getData().getStatus());
        }
    }

    @Test
    void aNonOwnerIsDenied() throws Exception {
        String uid;
        String taskUid;
        try (PluginRpcClient rpc = client("jenkins", "jenkins-pw")) {
            ApplicationServiceGrpc.ApplicationServiceBlockingStub apps = ApplicationServiceGrpc.newBlockingStub(
                    rpc.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
            uid = apps.create(ApplicationServiceCreateRequest.newBuilder().setApplication(Application.newBuilder()
                    .setLabelUid(labelUid)).build()).getData().getUid();
            taskUid = apps.createTask(ApplicationServiceCreateTaskRequest.newBuilder().setTask(ApplicationTask
                    .newBuilder().setApplicationUid(uid).setTask("snapshot")).build()).getData().getUid();
        }
        try (PluginRpcClient rpc = client("other", "other-pw")) {
            Tunnel tunnel = new Tunnel(rpc);
            for (var request : List.of(
                    ApplicationServiceGetStateRequest.newBuilder().setApplicationUid(uid).build(),
                    ApplicationServiceDeallocateRequest.newBuilder().setApplicationUid(uid).build(),
                    ApplicationServiceCreateTaskRequest.newBuilder().setTask(ApplicationTask.newBuilder()
                            .setApplicationUid(uid).setTask("snapshot")).build(),
                    ApplicationServiceGetTaskRequest.newBuilder().setApplicationTaskUid(taskUid).build())) {
                StreamingServiceConnectResponse denied = tunnel.call(request);
                assertEquals("permission_denied", denied.getError().getCode(), request.getClass().getSimpleName());
                assertFalse(denied.hasResponseData());
            }
            assertEquals("invalid_argument", tunnel.call(ApplicationServiceGetStateRequest.newBuilder()
                    .setApplicationUid("not-a-uid").build()).getError().getCode());
            tunnel.finish();
            assertCode(Code.PERMISSION_DENIED, () -> ApplicationServiceGrpc.newBlockingStub(rpc.channel)
                    .withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS)
                    .getState(ApplicationServiceGetStateRequest.newBuilder().setApplicationUid(uid).build()));
        }
        // The owner's application is untouched by the refused Deallocate.
        try (PluginRpcClient rpc = client("jenkins", "jenkins-pw")) {
            Status status = ApplicationServiceGrpc.newBlockingStub(rpc.channel).withDeadlineAfter(Tunnel.WAIT_S,
                    TimeUnit.SECONDS).getState(ApplicationServiceGetStateRequest.newBuilder().setApplicationUid(uid)
                    .build()).getData().getStatus();
            assertTrue(List.of(Status.NEW, Status.ELECTED, Status.ALLOCATED).contains(status), status.toString());
        }
    }

    @Test
    void unknownRequestTypeStaysPermissionDenied() throws Exception {
        try (PluginRpcClient rpc = client("jenkins", "jenkins-pw")) {
            Tunnel tunnel = new Tunnel(rpc);
            // A method v2 does not have, carrying a real message: refused before its data is looked at.
            tunnel.send("recall", "ApplicationServiceRecallRequest", Any.pack(ApplicationServiceGetStateRequest
                    .newBuilder().setApplicationUid(UUID.randomUUID().toString()).build()));
            StreamingServiceConnectResponse unknown = tunnel.next();
            while ("keep-alive".equals(unknown.getRequestId())) {
                unknown = tunnel.next();
            }
            assertEquals("recall", unknown.getRequestId());
            assertEquals("ApplicationServiceRecallResponse", unknown.getResponseType());
            assertEquals("permission_denied", unknown.getError().getCode());
            assertFalse(unknown.hasResponseData());
            tunnel.finish();
        }
    }

    @Test
    void adminCallsOfThePluginTestHarness() throws Exception {
        try (PluginRpcClient admin = client("admin", node.adminPassword);
             PluginRpcClient jenkins = client("jenkins", "jenkins-pw")) {
            // Roles: only what non-admin users hold here may be granted, and only by admin.
            assertCode(Code.INVALID_ARGUMENT, () -> RoleServiceGrpc.newBlockingStub(admin.channel)
                    .withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS).create(RoleServiceCreateRequest.newBuilder()
                            .setRole(Role.newBuilder().setName("lister").addPermissions(permission("UserService",
                                    "List"))).build()));
            assertCode(Code.PERMISSION_DENIED, () -> RoleServiceGrpc.newBlockingStub(jenkins.channel)
                    .withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS).create(RoleServiceCreateRequest.newBuilder()
                            .setRole(Role.newBuilder().setName("mine")).build()));

            // Users: Create refuses an existing name and Administrator for anyone but admin; a generated
            // password comes back once and works.
            assertCode(Code.ALREADY_EXISTS, () -> users(admin).create(UserServiceCreateRequest.newBuilder()
                    .setUser(User.newBuilder().setName("jenkins")).build()));
            assertCode(Code.INVALID_ARGUMENT, () -> users(admin).create(UserServiceCreateRequest.newBuilder()
                    .setUser(User.newBuilder().setName("boss").addRoles("Administrator")).build()));
            assertCode(Code.PERMISSION_DENIED, () -> users(jenkins).create(UserServiceCreateRequest.newBuilder()
                    .setUser(User.newBuilder().setName("friend")).build()));
            User generated = users(admin).create(UserServiceCreateRequest.newBuilder()
                    .setUser(User.newBuilder().setName("generated")).build()).getData();
            assertTrue(generated.hasPassword());
            try (PluginRpcClient fresh = client("generated", generated.getPassword())) {
                assertEquals("generated", users(fresh).getMe(UserServiceGetMeRequest.getDefaultInstance())
                        .getData().getName());
            }

            // Maintenance: admin only; switched on and back off.
            assertCode(Code.PERMISSION_DENIED, () -> NodeServiceGrpc.newBlockingStub(jenkins.channel)
                    .withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS).setMaintenance(
                            NodeServiceSetMaintenanceRequest.newBuilder().setMaintenance(true).build()));
            NodeServiceGrpc.NodeServiceBlockingStub nodes = NodeServiceGrpc.newBlockingStub(admin.channel)
                    .withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
            assertEquals("Maintenance on", nodes.setMaintenance(NodeServiceSetMaintenanceRequest.newBuilder()
                    .setMaintenance(true).build()).getMessage());
            assertEquals("Maintenance off", nodes.setMaintenance(NodeServiceSetMaintenanceRequest.newBuilder()
                    .setMaintenance(false).build()).getMessage());
        }
    }

    private PluginRpcClient client(String user, String password) throws Exception {
        return new PluginRpcClient("127.0.0.1", node.runner.port(), caCrt, user, password);
    }

    private static UserServiceGrpc.UserServiceBlockingStub users(PluginRpcClient rpc) {
        return UserServiceGrpc.newBlockingStub(rpc.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
    }

    private static LabelServiceGrpc.LabelServiceBlockingStub labels(PluginRpcClient rpc) {
        return LabelServiceGrpc.newBlockingStub(rpc.channel).withDeadlineAfter(Tunnel.WAIT_S, TimeUnit.SECONDS);
    }

    private static Label label(String name, int version, String driver) {
        return Label.newBuilder().setName(name).setVersion(version)
                .addDefinitions(LabelDefinition.newBuilder().setDriver(driver)
                        .setResources(Resources.newBuilder().setCpu(1).setRam(2)))
                .setMetadata(Struct.newBuilder().putFields("zeta", Value.newBuilder().setNumberValue(1).build())
                        .putFields("alpha", string("x")))
                .build();
    }

    private static Permission permission(String resource, String action) {
        return Permission.newBuilder().setResource(resource).setAction(action).build();
    }

    private static Value string(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    private static List<Integer> versions(Tunnel tunnel, LabelServiceListRequest request) throws Exception {
        return tunnel.ok(request, LabelServiceListResponse.class).getDataList().stream().map(Label::getVersion).toList();
    }

    /** GetState until {@code wanted} (the plugin learns it from events; those are another slice's tests). */
    private static Status awaitState(Tunnel tunnel, String uid, Status wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ALLOCATE_S);
        Status status;
        do {
            status = tunnel.ok(ApplicationServiceGetStateRequest.newBuilder().setApplicationUid(uid).build(),
                    ApplicationServiceGetStateResponse.class).getData().getStatus();
            if (status == wanted || status == Status.ERROR) {
                return status;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return status;
    }

    /** GetTask until {@code result} is set, as the {@code aquariumApplicationTask} step with {@code wait} does. */
    private static ApplicationTask awaitTask(Tunnel tunnel, String taskUid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ALLOCATE_S);
        ApplicationTask task;
        do {
            task = tunnel.ok(ApplicationServiceGetTaskRequest.newBuilder().setApplicationTaskUid(taskUid).build(),
                    ApplicationServiceGetTaskResponse.class).getData();
            if (task.hasResult()) {
                return task;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("task " + taskUid + " has no result after " + ALLOCATE_S + " s");
    }

    private static void assertCode(Code expected, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(expected, e.getStatus().getCode(), e.getStatus().toString());
    }
}
