package io.aquarium.fish.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.tls.NodeCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Meta API against a real node: the test driver's resources live at 127.0.0.1, which is where
 * this test calls from; calls from 127.0.0.2 (also loopback on Linux) are a stranger.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetaApiTest {
    private static final String UNKNOWN = "{\"message\":\"Client IP was not found in the node Resources\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    TestNode node;
    ApiClient api;
    String pw;
    private final Object statusLock = new Object();
    private final Set<String> seen = new HashSet<>();

    @BeforeAll
    void start() throws Exception {
        node = new TestNode(dir);
        api = node.client;
        pw = node.adminPassword;
        node.runner.node().events().subscribe(event -> {
            if (event instanceof FishEvent.ApplicationChanged c) {
                synchronized (statusLock) {
                    seen.add(c.applicationUid() + "/" + c.status());
                    statusLock.notifyAll();
                }
            }
        });
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void theCallingResourceGetsItsMetadataInEveryFormat() throws Exception {
        ApiClient.Reply before = api.get("/meta/v1/data/", null, null);
        assertEquals(401, before.status());
        assertEquals(UNKNOWN, before.body());
        assertNull(before.header("WWW-Authenticate"), "no Basic challenge: credentials do not help here");

        String app = allocate("{\"testk\":\"testv\"}", "{\"test1\":\"test2\"}");

        assertReply(200, "application/json", "{\"test1\":\"test2\",\"testk\":\"testv\"}", "/meta/v1/data/");
        assertReply(200, "application/json", "{\"test1\":\"test2\",\"testk\":\"testv\"}", "/meta/v1/data");
        assertReply(200, "application/json", "{\"test1\":\"test2\",\"testk\":\"testv\"}", "/meta/v1/data/?format=json");
        assertReply(200, "text/plain", "test1=test2\ntestk=testv\n", "/meta/v1/data/?format=env");
        assertReply(200, "text/plain", "export test1=test2\nexport testk=testv\n", "/meta/v1/data/?format=export");
        assertReply(200, "text/plain", "$test1='test2'\n$testk='testv'\n", "/meta/v1/data/?format=ps1");
        assertReply(200, "text/plain", "FISH_test1=test2\nFISH_testk=testv\n", "/meta/v1/data/?format=env&prefix=FISH");
        ApiClient.Reply yaml = api.get("/meta/v1/data/?format=yaml", null, null);
        assertEquals(200, yaml.status());
        assertTrue(yaml.header("Content-Type").startsWith("application/yaml"), yaml.header("Content-Type"));
        assertEquals(Map.of("test1", "test2", "testk", "testv"), new YAMLMapper().readValue(yaml.body(), Map.class));
        assertEquals("no-store", yaml.header("Cache-Control"));

        assertReply(200, "application/json", "\"testv\"", "/meta/v1/data/testk");
        assertReply(200, "text/plain", "test1=test2\n", "/meta/v1/data/test1?format=env");
        assertReply(200, "text/plain", "P_test1=test2\n", "/meta/v1/data/test1/?format=env&prefix=P");
        ApiClient.Reply absent = api.get("/meta/v1/data/nope", null, null);
        assertEquals(404, absent.status());
        assertTrue(JSON.readTree(absent.body()).get("message").asText().contains("nope"), absent.body());
        assertEquals(404, api.get("/meta/v1/data/testk/deeper", null, null).status());

        ApiClient.Reply bogus = api.get("/meta/v1/data/?format=bogus", null, null);
        assertEquals(400, bogus.status());
        assertTrue(JSON.readTree(bogus.body()).get("message").asText().contains("bogus"), bogus.body());
        assertEquals(400, api.get("/meta/v1/data/test1?format=bogus", null, null).status());

        // Forwarded headers name someone else: no trusted proxy is configured, so the socket decides.
        ApiClient.Reply spoofed = api.get("/meta/v1/data/", Map.of("X-Forwarded-For", "10.66.66.66", "X-Real-IP", "10.66.66.66"));
        assertEquals(200, spoofed.status());
        assertEquals("{\"test1\":\"test2\",\"testk\":\"testv\"}", spoofed.body());

        deallocate(app);
    }

    @Test
    void aStrangerStays401WhateverItsHeadersSay() throws Exception {
        String app = allocate("{\"secret\":\"s3cr3t\"}", "{}");
        assertEquals(200, api.get("/meta/v1/data/", null, null).status());

        String plain = rawGet("127.0.0.2", "/meta/v1/data/", "");
        assertTrue(plain.startsWith("HTTP/1.1 401"), plain);
        assertTrue(plain.contains(UNKNOWN), plain);
        String spoof = rawGet("127.0.0.2", "/meta/v1/data/secret?format=env",
                "X-Forwarded-For: 127.0.0.1\r\nX-Real-IP: 127.0.0.1\r\n");
        assertTrue(spoof.startsWith("HTTP/1.1 401"), spoof);
        assertTrue(!spoof.contains("s3cr3t"), spoof);

        deallocate(app);
    }

    @Test
    void labelMetadataWinsAndValuesArePrintedAsWritten() throws Exception {
        String app = allocate("{\"who\":\"label\",\"count\":1000000}",
                "{\"who\":\"app\",\"ratio\":1.10,\"big\":123456789012345678901234567890,\"msg\":\"it's $HOME\\n`x`\","
                        + "\"nested\":{\"a-b\":[true,null]}}");
        assertReply(200, "application/json",
                "{\"who\":\"label\",\"ratio\":1.10,\"big\":123456789012345678901234567890,\"msg\":\"it's $HOME\\n`x`\","
                        + "\"nested\":{\"a-b\":[true,null]},\"count\":1000000}", "/meta/v1/data/");
        assertReply(200, "text/plain", "big=123456789012345678901234567890\ncount=1000000\n"
                + "msg='it'\\''s $HOME\n`x`'\nnested_a_b_0=true\nnested_a_b_1=''\nratio=1.10\nwho=label\n",
                "/meta/v1/data/?format=env");
        assertReply(200, "text/plain", "$msg='it''s $HOME\n`x`'\n", "/meta/v1/data/msg?format=ps1");
        assertReply(200, "application/json", "[true,null]", "/meta/v1/data/nested/a-b");
        assertReply(200, "application/json", "true", "/meta/v1/data/nested/a-b/0");
        deallocate(app);
    }

    private void assertReply(int status, String type, String body, String path) {
        ApiClient.Reply r = api.get(path, null, null);
        assertEquals(status, r.status(), path + ": " + r.body());
        assertEquals(body, r.body(), path);
        assertTrue(r.header("Content-Type").startsWith(type), path + ": " + r.header("Content-Type"));
    }

    /** Creates a label and an application with that metadata and waits until it is ALLOCATED; returns its UID. */
    private String allocate(String labelMetadata, String appMetadata) throws InterruptedException {
        String label = "{\"name\":\"meta-" + UUID.randomUUID() + "\",\"version\":1,\"definitions\":[{\"driver\":\"test\","
                + "\"resources\":{\"cpu\":1,\"ram\":1}}],\"metadata\":" + labelMetadata + "}";
        ApiClient.Reply l = api.postJson("/api/v1/label/", label, "admin", pw);
        assertEquals(200, l.status(), l.body());
        ApiClient.Reply a = api.postJson("/api/v1/application/", "{\"label_UID\":\"" + l.json().get("UID").asText()
                + "\",\"metadata\":" + appMetadata + "}", "admin", pw);
        assertEquals(200, a.status(), a.body());
        String uid = a.json().get("UID").asText();
        awaitStatus(uid, ApplicationStatus.ALLOCATED);
        return uid;
    }

    /** Deallocates and checks that the resource is a stranger at once, and still after the driver freed it. */
    private void deallocate(String uid) throws InterruptedException {
        assertEquals(200, api.get("/api/v1/application/" + uid + "/deallocate", "admin", pw).status());
        assertEquals(UNKNOWN, api.get("/meta/v1/data/", null, null).body(), "no longer ALLOCATED");
        awaitStatus(uid, ApplicationStatus.DEALLOCATED);
        ApiClient.Reply after = api.get("/meta/v1/data/", null, null);
        assertEquals(401, after.status());
        assertEquals(UNKNOWN, after.body());
    }

    private void awaitStatus(String uid, ApplicationStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (statusLock) {
            while (!seen.contains(uid + "/" + status)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("application " + uid + " never reached " + status + ": "
                            + api.get("/api/v1/application/" + uid + "/state", "admin", pw).body());
                }
                TimeUnit.NANOSECONDS.timedWait(statusLock, left);
            }
        }
        assertEquals(status.name(),
                api.get("/api/v1/application/" + uid + "/state", "admin", pw).json().get("status").asText());
    }

    /** One HTTPS request from {@code localIp} (HttpClient on Java 17 cannot choose its source address). */
    private String rawGet(String localIp, String path, String extraHeaders) throws IOException {
        SSLContext ssl = NodeCertificates.clientContextTrusting(node.runner.node().tls().caCertificate());
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"),
                node.runner.port(), InetAddress.getByName(localIp), 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
