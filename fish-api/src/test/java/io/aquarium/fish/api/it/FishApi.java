package io.aquarium.fish.api.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An outside client of one running node: HTTPS trusting only the CA file the node generated
 * (hostname checked too), HTTP Basic auth, and the few REST v1 calls the scenarios need.
 */
final class FishApi {
    static final Duration ALLOCATE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The status of a {@link Reply} when no answer came (refused, reset, timed out); the body says why. */
    static final int NO_ANSWER = 0;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String user;
    private final String password;
    private final Duration timeout;

    private FishApi(HttpClient http, String base, String user, String password, Duration timeout) {
        this.http = http;
        this.base = base;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
    }

    /** A client of the node listening on {@code address} (host:port) whose CA is {@code caFile}. */
    static FishApi connect(Path caFile, String address, String user, String password) {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(trusting(caFile))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return new FishApi(http, "https://" + address, user, password, REQUEST_TIMEOUT);
    }

    /** The same node as another user. */
    FishApi as(String otherUser, String otherPassword) {
        return new FishApi(http, base, otherUser, otherPassword, timeout);
    }

    /** The same node and user, giving up on a request after {@code requestTimeout}. */
    FishApi withTimeout(Duration requestTimeout) {
        return new FishApi(http, base, user, password, requestTimeout);
    }

    record Reply(int status, String body, HttpHeaders headers) {
        Reply(int status, String body) {
            this(status, body, HttpHeaders.of(Map.of(), (k, v) -> true));
        }

        /** The first value of a response header, or empty. */
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The JSON body of a 200 reply; fails with the body otherwise. */
        JsonNode ok() {
            assertEquals(200, status, () -> "unexpected reply: " + body);
            return json();
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply post(String path, String body) {
        return post(path, body, "application/json");
    }

    Reply post(String path, String body, String contentType) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply post(String path, byte[] body, String contentType) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /**
     * Like {@link #post(String, byte[], String)}, but empty when the node closed the connection
     * before answering: a server may refuse a huge body while the client is still sending it.
     */
    Optional<Reply> postOrRefused(String path, byte[] body, String contentType) {
        return trySend(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()).reply();
    }

    /** Like {@link #get(String)}, but no answer at all is a reply with status {@link #NO_ANSWER}. */
    Reply tryGet(String path) {
        return trySend(request(path).GET().build()).orNoAnswer();
    }

    /** Like {@link #post(String, String)}, but no answer at all is a reply with status {@link #NO_ANSWER}. */
    Reply tryPost(String path, String body) {
        return trySend(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).orNoAnswer();
    }

    // --- the calls the scenarios share ---

    String createLabel(String labelJson) {
        return post("/api/v1/label/", labelJson).ok().path("UID").asText();
    }

    String createApplication(String labelUid) {
        return post("/api/v1/application/", "{\"label_UID\":\"" + labelUid + "\"}").ok().path("UID").asText();
    }

    /** POSTs an application with {@code metadataJson} (an object); see {@link #tryPost(String, String)}. */
    Reply tryCreateApplication(String labelUid, String metadataJson) {
        return tryPost("/api/v1/application/", "{\"label_UID\":\"" + labelUid + "\",\"metadata\":" + metadataJson + "}");
    }

    JsonNode state(String appUid) {
        return get("/api/v1/application/" + appUid + "/state").ok();
    }

    String status(String appUid) {
        return state(appUid).path("status").asText();
    }

    /** Polls the application's state until its status is {@code status}; returns that state. */
    JsonNode awaitStatus(String appUid, String status, Duration timeout) {
        return Poll.until("application " + appUid + " to be " + status, timeout, () -> state(appUid),
                s -> status.equals(s.path("status").asText()));
    }

    JsonNode awaitAllocated(String appUid) {
        return awaitStatus(appUid, "ALLOCATED", ALLOCATE_TIMEOUT);
    }

    void assertStaysStatus(String appUid, String status, Duration period) {
        Poll.stays("application " + appUid + " status", period, () -> status(appUid), status);
    }

    JsonNode deallocate(String appUid) {
        return get("/api/v1/application/" + appUid + "/deallocate").ok();
    }

    JsonNode resource(String appUid) {
        return get("/api/v1/application/" + appUid + "/resource").ok();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    /** A reply, or the I/O failure that stood in for it. */
    private record Attempt(Reply answer, IOException failure) {
        Optional<Reply> reply() {
            return Optional.ofNullable(answer);
        }

        Reply orNoAnswer() {
            return answer != null ? answer : new Reply(NO_ANSWER, String.valueOf(failure));
        }
    }

    private Attempt trySend(HttpRequest r) {
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Attempt(new Reply(response.statusCode(), response.body(), response.headers()), null);
        } catch (IOException e) {
            return new Attempt(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Reply send(HttpRequest.Builder request) {
        HttpRequest r = request.build();
        Attempt attempt = trySend(r);
        if (attempt.failure() != null) {
            throw new AssertionError(r.method() + " " + r.uri().getPath() + " failed: " + attempt.failure(),
                    attempt.failure());
        }
        return attempt.answer();
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            if (i == 0) {
                throw new AssertionError("no certificate in " + caFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("unable to trust " + caFile + ": " + e, e);
        }
    }
}
