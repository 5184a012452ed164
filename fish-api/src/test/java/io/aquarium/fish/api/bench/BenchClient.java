package io.aquarium.fish.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.core.tls.NodeCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * HTTPS + Basic auth client of the REST v1 API, trusting the node's CA. One shared HTTP/1.1 client: it keeps
 * one keep-alive connection per concurrent caller.
 */
final class BenchClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String base;
    private final String authorization;

    BenchClient(Path caCertificate, String address, String user, String password) throws IOException {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(NodeCertificates.clientContextTrusting(readCertificate(caCertificate)))
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "https://" + address;
        this.authorization = basic(user, password);
    }

    /** The value of an {@code Authorization} header for these credentials. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String base() {
        return base;
    }

    String authorization() {
        return authorization;
    }

    /** An application's current state, as the client sees it. */
    record State(String status, Instant createdAt) {
    }

    /** What POST /application/ returned. */
    record Created(String uid, Instant createdAt) {
    }

    String createLabel(String json) {
        return post("/api/v1/label/", json).get("UID").asText();
    }

    Created createApplication(String labelUid) {
        JsonNode app = post("/api/v1/application/", "{\"label_UID\":\"" + labelUid + "\"}");
        return new Created(app.get("UID").asText(), instant(app.get("created_at")));
    }

    /** POSTs an application and returns the HTTP status without failing on it (for creates meant to be refused). */
    int createApplicationStatus(String labelUid) {
        try {
            return sendDiscarding(request("/api/v1/application/", true).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"label_UID\":\"" + labelUid + "\"}")).build());
        } catch (IOException e) {
            throw new IllegalStateException("POST /api/v1/application/ failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    State state(String appUid) {
        JsonNode s = get("/api/v1/application/" + appUid + "/state");
        return new State(s.get("status").asText(), instant(s.get("created_at")));
    }

    /** Turns this node's maintenance mode on (it votes for nothing) or off. */
    void maintenance(boolean enable) {
        get("/api/v1/node/this/maintenance?enable=" + enable);
    }

    void deallocate(String appUid) {
        get("/api/v1/application/" + appUid + "/deallocate");
    }

    /** The size of the body {@code GET path} answers without credentials. */
    int publicBodyBytes(String path) {
        try {
            return http.send(request(path, false).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sends {@code request} with keep-alive and this client's TLS setup; the body is read and dropped. */
    int sendDiscarding(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpRequest.Builder request(String path, boolean authenticated) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        return authenticated ? b.header("Authorization", authorization) : b;
    }

    private JsonNode get(String path) {
        return send(request(path, true).GET().build());
    }

    private JsonNode post(String path, String json) {
        return send(request(path, true).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                        + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Instant instant(JsonNode node) {
        return OffsetDateTime.parse(node.asText()).toInstant();
    }

    private static X509Certificate readCertificate(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException("cannot read the node CA " + pem + ": " + e.getMessage(), e);
        }
    }
}
