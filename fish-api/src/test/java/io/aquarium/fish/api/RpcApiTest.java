package io.aquarium.fish.api;

import aquarium.v2.Streaming.ChangeType;
import aquarium.v2.Streaming.StreamCreated;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.Streaming.StreamingServiceSubscribeRequest;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.Streaming.SubscriptionType;
import aquarium.v2.StreamingServiceGrpc;
import aquarium.v2.UserOuterClass.User;
import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeResponse;
import aquarium.v2.UserServiceGrpc;
import com.google.protobuf.Any;
import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.tls.NodeCertificates;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The v2 RPC API against a real node over HTTPS (HTTP/2 by ALPN) on its API port, with a client set
 * up like Jenkins plugin v0.6.0's: netty, TLS trusting the node's {@code ca.crt}, {@code /grpc/} path
 * prefix, Basic auth metadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcApiTest {
    private static final long WAIT_S = 10;

    @TempDir
    static Path dir;
    TestNode node;
    File caCrt;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(dir);
        caCrt = dir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE).toFile();
        assertTrue(caCrt.isFile(), "the node writes the ca.crt an operator hands to the plugin");
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private PluginRpcClient client(String user, String password) throws Exception {
        return new PluginRpcClient("127.0.0.1", node.runner.port(), caCrt, user, password);
    }

    @Test
    void getMeUnary() throws Exception {
        try (PluginRpcClient rpc = client("admin", node.adminPassword)) {
            UserServiceGetMeResponse me = UserServiceGrpc.newBlockingStub(rpc.channel)
                    .withDeadlineAfter(WAIT_S, TimeUnit.SECONDS).getMe(UserServiceGetMeRequest.getDefaultInstance());
            assertTrue(me.getStatus());
            assertEquals("admin", me.getData().getName());
            assertEquals(List.of("Administrator"), me.getData().getRolesList());
            assertFalse(me.getData().hasHash(), "no hash material over the wire");
            assertFalse(me.getData().hasPassword());
            assertTrue(me.getData().getCreatedAt().getSeconds() > 0);
        }
    }

    @Test
    void wrongPasswordIsUnauthenticated() throws Exception {
        try (PluginRpcClient rpc = client("admin", "wrong")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    UserServiceGrpc.newBlockingStub(rpc.channel).withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                            .getMe(UserServiceGetMeRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());

            Tunnel tunnel = new Tunnel(rpc);
            Throwable error = tunnel.closed.get(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(error, "the stream is refused, not completed");
            assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(error).getCode());
            assertTrue(tunnel.received.isEmpty());
        }
    }

    @Test
    void connectSendsKeepAliveAtOnceAndAnswersGetMe() throws Exception {
        try (PluginRpcClient rpc = client("admin", node.adminPassword)) {
            Tunnel tunnel = new Tunnel(rpc);
            StreamingServiceConnectResponse first = tunnel.next();
            assertEquals("keep-alive", first.getRequestId());
            assertEquals("KeepAliveResponse", first.getResponseType());
            assertFalse(first.hasError());

            String id = UUID.randomUUID().toString();
            tunnel.send(id, "UserServiceGetMeRequest", Any.pack(UserServiceGetMeRequest.getDefaultInstance()));
            StreamingServiceConnectResponse answer = tunnel.next();
            assertEquals(id, answer.getRequestId());
            assertEquals("UserServiceGetMeResponse", answer.getResponseType());
            assertFalse(answer.hasError());
            UserServiceGetMeResponse me = answer.getResponseData().unpack(UserServiceGetMeResponse.class);
            assertEquals("admin", me.getData().getName());
            tunnel.finish();
        }
    }

    @Test
    void tunnelRefusesUnknownTypesAndMismatchedData() throws Exception {
        try (PluginRpcClient rpc = client("admin", node.adminPassword)) {
            Tunnel tunnel = new Tunnel(rpc);
            assertEquals("keep-alive", tunnel.next().getRequestId());

            tunnel.send("a", "NoSuchServiceListRequest", Any.pack(UserServiceGetMeRequest.getDefaultInstance()));
            StreamingServiceConnectResponse unknown = tunnel.next();
            assertEquals("a", unknown.getRequestId());
            assertEquals("permission_denied", unknown.getError().getCode());
            assertFalse(unknown.hasResponseData());

            tunnel.send("b", "UserServiceGetMeRequest", Any.pack(StreamCreated.getDefaultInstance()));
            StreamingServiceConnectResponse mismatch = tunnel.next();
            assertEquals("b", mismatch.getRequestId());
            assertEquals("invalid_argument", mismatch.getError().getCode());
            tunnel.finish();
        }
    }

    @Test
    void subscribeGreetsWithStreamCreatedAtOnce() throws Exception {
        try (PluginRpcClient rpc = client("admin", node.adminPassword)) {
            BlockingQueue<StreamingServiceSubscribeResponse> events = new LinkedBlockingQueue<>();
            StreamingServiceGrpc.newStub(rpc.channel).subscribe(StreamingServiceSubscribeRequest.newBuilder()
                    .addSubscriptionTypes(SubscriptionType.SUBSCRIPTION_TYPE_APPLICATION_STATE)
                    .addSubscriptionTypes(SubscriptionType.SUBSCRIPTION_TYPE_LABEL).build(), new Collect<>(events));
            StreamingServiceSubscribeResponse first = events.poll(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(first, "a first message at once, or the plugin gives up");
            assertEquals(SubscriptionType.SUBSCRIPTION_TYPE_UNSPECIFIED, first.getObjectType());
            assertEquals(ChangeType.CHANGE_TYPE_CREATED, first.getChangeType());
            assertEquals("type.googleapis.com/aquarium.v2.StreamCreated", first.getObjectData().getTypeUrl());
            assertFalse(first.getObjectData().unpack(StreamCreated.class).getStreamUid().isEmpty());
        }
    }

    @Test
    void oneDomainWithRestV1() throws Exception {
        // A user created over REST v1 is the caller of a v2 call, with the roles our rules give it.
        ApiClient.Reply created = node.client.post("/api/v1/user/", "{\"name\":\"jenkins\",\"password\":\"jpass\"}",
                "application/json", "admin", node.adminPassword);
        assertEquals(200, created.status(), created.body());
        try (PluginRpcClient rpc = client("jenkins", "jpass")) {
            Tunnel tunnel = new Tunnel(rpc);
            assertEquals("keep-alive", tunnel.next().getRequestId());
            tunnel.send("me", "UserServiceGetMeRequest", Any.pack(UserServiceGetMeRequest.getDefaultInstance()));
            User me = tunnel.next().getResponseData().unpack(UserServiceGetMeResponse.class).getData();
            assertEquals("jenkins", me.getName());
            assertEquals(List.of("User", "Power"), me.getRolesList());
            tunnel.finish();
        }
        // REST v1 (HTTP/1.1) keeps answering on the same port.
        assertEquals(200, node.client.get("/api/v1/user/me/", "jenkins", "jpass").status());
    }

    @Test
    void unimplementedMethodsSaySo() throws Exception {
        try (PluginRpcClient rpc = client("admin", node.adminPassword)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    UserServiceGrpc.newBlockingStub(rpc.channel).withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                            .list(aquarium.v2.UserOuterClass.UserServiceListRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        }
    }

    @Test
    void cleartextOnlyWhenAllowed(@TempDir Path h2cDir) throws Exception {
        // The default node speaks TLS only: a cleartext client's HTTP/2 preface gets a TLS alert back,
        // which grpc-java reports as a protocol error.
        try (PluginRpcClient plain = new PluginRpcClient("127.0.0.1", node.runner.port(), null, "admin",
                node.adminPassword)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    UserServiceGrpc.newBlockingStub(plain.channel).withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                            .getMe(UserServiceGetMeRequest.getDefaultInstance()));
            assertTrue(Set.of(Status.Code.UNAVAILABLE, Status.Code.INTERNAL).contains(e.getStatus().getCode()),
                    e.getStatus().toString());
        }
        FishConfig config = FishConfig.builder().nodeName("h2c-node").apiAddress("127.0.0.1:0")
                .directory(h2cDir.resolve("fish_data")).apiAllowH2c(true)
                .drivers(List.of(new DriverConfig("test", Map.of("workspace_path", h2cDir.resolve("ws").toString()))))
                .build();
        try (TestNode h2c = new TestNode(config);
             PluginRpcClient plain = new PluginRpcClient("127.0.0.1", h2c.runner.port(), null, "admin",
                     h2c.adminPassword)) {
            assertEquals("admin", UserServiceGrpc.newBlockingStub(plain.channel)
                    .withDeadlineAfter(WAIT_S, TimeUnit.SECONDS).getMe(UserServiceGetMeRequest.getDefaultInstance())
                    .getData().getName());
            // TLS keeps working beside it, for gRPC and for REST v1.
            try (PluginRpcClient tls = new PluginRpcClient("127.0.0.1", h2c.runner.port(),
                    h2cDir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE).toFile(), "admin",
                    h2c.adminPassword)) {
                assertTrue(UserServiceGrpc.newBlockingStub(tls.channel).withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                        .getMe(UserServiceGetMeRequest.getDefaultInstance()).getStatus());
            }
            assertEquals(200, h2c.client.get("/api/v1/user/me/", "admin", h2c.adminPassword).status());
        }
    }

    /** Collects a server stream's messages; the stream is cancelled when the channel shuts down. */
    private static final class Collect<T> implements ClientResponseObserver<Object, T> {
        private final BlockingQueue<T> into;

        Collect(BlockingQueue<T> into) {
            this.into = into;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
        }

        @Override
        public void onNext(T value) {
            into.add(value);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
