package io.aquarium.fish.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.tls.NodeCertificates;
import io.aquarium.fish.meta.MetaResource;
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
 * The Meta API against a real node. The test driver's resources live at 127.0.0.1, where this test
 * calls from: a lone one is known by that address (REST v1 contract), two there by neither, and each
 * by its token (the one the node hands a native workload as FISH_META_TOKEN) from anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetaApiTest {
    private static final String UNKNOWN = "{\"message\":\"Client IP was not found in the node Resources\"}";
    private static final String BAD_TOKEN =
            "{\"message\":\"Meta token is not valid for an allocated resource of this node\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    TestNode node;
    ApiClient api;
    String pw;
    /** The token of the application under test: what its workload would send. */
    String token;
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
        ApiClient.Reply bearer = api.get("/meta/v1/data/", Map.of("Authorization", "Bearer " + token));
        assertEquals(200, bearer.status(), bearer.body());
        assertEquals("{\"test1\":\"test2\",\"testk\":\"testv\"}", bearer.body());

        assertReply(200, "application/json", "{\"test1\":\"test2\",\"testk\":\"testv\"}", "/meta/v1/data/");
        assertReply(200, "application/json", "{\"test1\":\"test2\",\"testk\":\"testv\"}", "/meta/v1/data");
        assertReply(200, "application/json", "{\"test1\":\"test2\",\"testk\":\"testv\"}", "/meta/v1/data/?format=json");
        assertReply(200, "text/plain", "test1=test2\ntestk=testv\n", "/meta/v1/data/?format=env");
        assertReply(200, "text/plain", "export test1=test2\nexport testk=testv\n", "/meta/v1/data/?format=export");
        assertReply(200, "text/plain", "$test1='test2'\n$testk='testv'\n", "/meta/v1/data/?format=ps1");
        assertReply(200, "text/plain", "FISH_test1=test2\nFISH_testk=testv\n", "/meta/v1/data/?format=env&prefix=FISH");
        ApiClient.Reply yaml = meta("/meta/v1/data/?format=yaml");
        assertEquals(200, yaml.status());
        assertTrue(yaml.header("Content-Type").startsWith("application/yaml"), yaml.header("Content-Type"));
        assertEquals(Map.of("test1", "test2", "testk", "testv"), new YAMLMapper().readValue(yaml.body(), Map.class));
        assertEquals("no-store", yaml.header("Cache-Control"));

        assertReply(200, "application/json", "\"testv\"", "/meta/v1/data/testk");
        assertReply(200, "text/plain", "test1=test2\n", "/meta/v1/data/test1?format=env");
        assertReply(200, "text/plain", "P_test1=test2\n", "/meta/v1/data/test1/?format=env&prefix=P");
        ApiClient.Reply absent = meta("/meta/v1/data/nope");
        assertEquals(404, absent.status());
        assertTrue(JSON.readTree(absent.body()).get("message").asText().contains("nope"), absent.body());
        assertEquals(404, meta("/meta/v1/data/testk/deeper").status());

        ApiClient.Reply bogus = meta("/meta/v1/data/?format=bogus");
        assertEquals(400, bogus.status());
        assertTrue(JSON.readTree(bogus.body()).get("message").asText().contains("bogus"), bogus.body());
        assertEquals(400, meta("/meta/v1/data/test1?format=bogus").status());

        // Forwarded headers name someone else: with a token, no address counts.
        ApiClient.Reply spoofed = api.get("/meta/v1/data/", Map.of(MetaResource.TOKEN_HEADER, token,
                "X-Forwarded-For", "10.66.66.66", "X-Real-IP", "10.66.66.66"));
        assertEquals(200, spoofed.status());
        assertEquals("{\"test1\":\"test2\",\"testk\":\"testv\"}", spoofed.body());

        deallocate(app);
    }

    @Test
    void aStrangerStays401WhateverItsHeadersSay() throws Exception {
        String app = allocate("{\"secret\":\"s3cr3t\"}", "{}");
        assertEquals(200, meta("/meta/v1/data/").status());

        // Alone at 127.0.0.1, the test driver's resource (standing in for a VM) is known by it (REST v1 contract).
        ApiClient.Reply byAddress = api.get("/meta/v1/data/?format=env", null, null);
        assertEquals(200, byAddress.status(), byAddress.body());
        assertEquals("secret=s3cr3t\n", byAddress.body());
        // A second one there: the address is no longer one resource's, it proves nothing.
        String second = allocate("{\"secret\":\"other\"}", "{}");
        ApiClient.Reply host = api.get("/meta/v1/data/", null, null);
        assertEquals(401, host.status());
        assertEquals(UNKNOWN, host.body());
        deallocate(second);
        token = node.runner.node().metaTokens().tokenFor(UUID.fromString(app));
        // A token that is not this resource's: 401, and nothing of the metadata.
        String mac = token.substring(token.indexOf('.'));
        for (String wrong : java.util.List.of("", "nope", UUID.randomUUID() + mac, token + "A", app)) {
            ApiClient.Reply r = api.get("/meta/v1/data/secret?format=env", Map.of(MetaResource.TOKEN_HEADER, wrong));
            assertEquals(401, r.status(), wrong);
            assertEquals(BAD_TOKEN, r.body(), wrong);
            ApiClient.Reply b = api.get("/meta/v1/data/", Map.of("Authorization", "Bearer " + wrong));
            assertEquals(401, b.status(), wrong);
            assertTrue(!b.body().contains("s3cr3t"), b.body());
        }

        String plain = rawGet("127.0.0.2", "/meta/v1/data/", "");
        assertTrue(plain.startsWith("HTTP/1.1 401"), plain);
        assertTrue(plain.contains(UNKNOWN), plain);
        String spoof = rawGet("127.0.0.2", "/meta/v1/data/secret?format=env",
                "X-Forwarded-For: 127.0.0.1\r\nX-Real-IP: 127.0.0.1\r\n");
        assertTrue(spoof.startsWith("HTTP/1.1 401"), spoof);
        assertTrue(!spoof.contains("s3cr3t"), spoof);
        spoof = rawGet("127.0.0.2", "/meta/v1/data/secret?format=env", "X-Fish-Meta-Token: " + token + "\r\n");
        assertTrue(spoof.startsWith("HTTP/1.1 200"), "the token works from any address: " + spoof);
        spoof = rawGet("127.0.0.2", "/meta/v1/data/secret?format=env",
                "X-Fish-Meta-Token: " + UUID.randomUUID() + mac + "\r\n");
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

    @Test
    void theLabelWinsAClashOfSanitisedKeysInEveryFormat() throws Exception {
        String app = allocate("{\"JENKINS_URL\":\"http://jenkins/\"}", "{\"JENKINS~URL\":\"http://evil/\",\"a\":1}");
        assertReply(200, "text/plain", "JENKINS_URL=http://jenkins/\na=1\n", "/meta/v1/data/?format=env");
        assertReply(200, "text/plain", "export JENKINS_URL=http://jenkins/\nexport a=1\n", "/meta/v1/data/?format=export");
        assertReply(200, "application/json", "{\"a\":1,\"JENKINS_URL\":\"http://jenkins/\"}", "/meta/v1/data/");
        ApiClient.Reply yaml = meta("/meta/v1/data/?format=yaml");
        assertEquals(Map.of("a", 1, "JENKINS_URL", "http://jenkins/"), new YAMLMapper().readValue(yaml.body(), Map.class));
        deallocate(app);
    }

    @Test
    void textFormatsLeaveOutVariablesThatChangeHowProgramsRun() throws Exception {
        String app = allocate("{}", "{\"PERL5OPT\":\"-Mevil\",\"LD_PRELOAD\":\"/e.so\",\"ok\":\"yes\"}");
        assertReply(200, "text/plain", "ok=yes\n", "/meta/v1/data/?format=env");
        assertReply(200, "text/plain", "export ok=yes\n", "/meta/v1/data/?format=export");
        assertReply(200, "application/json", "{\"PERL5OPT\":\"-Mevil\",\"LD_PRELOAD\":\"/e.so\",\"ok\":\"yes\"}",
                "/meta/v1/data/");
        deallocate(app);
    }

    /** A Meta API call as the application under test's workload makes it: with its token. */
    private ApiClient.Reply meta(String path) {
        return api.get(path, Map.of(MetaResource.TOKEN_HEADER, token));
    }

    private void assertReply(int status, String type, String body, String path) {
        ApiClient.Reply r = meta(path);
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
        token = node.runner.node().metaTokens().tokenFor(UUID.fromString(uid));
        return uid;
    }

    /** Deallocates and checks that the resource is a stranger at once, and still after the driver freed it. */
    private void deallocate(String uid) throws InterruptedException {
        assertEquals(200, api.get("/api/v1/application/" + uid + "/deallocate", "admin", pw).status());
        assertEquals(BAD_TOKEN, meta("/meta/v1/data/").body(), "no longer ALLOCATED");
        awaitStatus(uid, ApplicationStatus.DEALLOCATED);
        ApiClient.Reply after = meta("/meta/v1/data/");
        assertEquals(401, after.status());
        assertEquals(BAD_TOKEN, after.body());
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
