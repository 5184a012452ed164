package io.aquarium.fish.api;

import aquarium.v2.LabelOuterClass.Label;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.Streaming.StreamingServiceSubscribeResponse;
import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeResponse;
import com.google.protobuf.Any;
import io.aquarium.fish.core.tls.NodeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static aquarium.v2.Streaming.SubscriptionType.SUBSCRIPTION_TYPE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Idle v2 streams survive (issue 17): a plugin's Subscribe may see no event for hours, and its Connect
 * only our keep-alives. Two minutes covers Jetty's 30 s idle timeout several times over and the
 * original's 2 min HTTP idle timeout. An IT (Failsafe) because it waits in real time; the node runs
 * in this JVM.
 */
class RpcIdleStreamIT {
    private static final Duration IDLE = Duration.ofSeconds(125);
    private static final long WAIT_S = 15;

    @Test
    void idleSubscribeAndConnectSurviveTwoMinutes(@TempDir Path dir) throws Exception {
        try (TestNode node = new TestNode(dir);
             PluginRpcClient rpc = new PluginRpcClient("127.0.0.1", node.runner.port(),
                     dir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE).toFile(), "admin",
                     node.adminPassword)) {
            RpcStreams.Recorder<StreamingServiceSubscribeResponse> events = RpcStreams.subscribe(rpc,
                    SUBSCRIPTION_TYPE_LABEL);
            events.next(WAIT_S);
            Tunnel tunnel = new Tunnel(rpc);
            assertEquals("keep-alive", tunnel.next(WAIT_S).getRequestId());

            Thread.sleep(IDLE.toMillis());

            assertFalse(events.closed.isDone(), "Subscribe still open after " + IDLE);
            assertFalse(tunnel.closed.isDone(), "Connect still open after " + IDLE);
            ApiClient.Reply label = node.client.postJson("/api/v1/label/", RestApiTest.LABEL_BODY.formatted("idle", 1),
                    "admin", node.adminPassword);
            assertEquals(200, label.status(), label.body());
            assertEquals(label.json().get("UID").asText(),
                    events.next(WAIT_S).getObjectData().unpack(Label.class).getUid(), "and still delivers");

            tunnel.send("me", "UserServiceGetMeRequest", Any.pack(UserServiceGetMeRequest.getDefaultInstance()));
            StreamingServiceConnectResponse me;
            do {
                me = tunnel.next(WAIT_S);  // keep-alives came meanwhile, every 30 s
            } while (!me.getRequestId().equals("me"));
            assertEquals("admin", me.getResponseData().unpack(UserServiceGetMeResponse.class).getData().getName());
        }
    }
}
