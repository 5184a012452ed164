package io.aquarium.fish.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.core.tls.NodeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The node's stdout as an operator sees it: {@link Main} in a JVM of its own (this test's class path,
 * so the packed {@code logback.xml}), with {@code log_format} / {@code --log-format} and
 * {@code access_log}.
 */
class LogOutputProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ADMIN = Pattern.compile("Admin user pass: (\\S+)");
    private static final Pattern PORT = Pattern.compile("API listening on: \\S+:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void jsonFormatPrintsOneJsonObjectPerLineAndAccessLines() throws Exception {
        Node node = Node.start(dir, "log_format: json\naccess_log: true\nelection_interval: 200ms\n");
        String password = node.password;
        ApiClient client = node.client();
        assertEquals(200, client.get("/api/v1/user/me/", "admin", password).status());
        assertEquals(401, client.get("/api/v1/user/me/", "admin", "wrong-password").status());
        String label = client.postJson("/api/v1/label/", RestApiTest.LABEL_BODY.formatted("log-label", 1), "admin",
                password).json().get("UID").asText();
        String app = client.postJson("/api/v1/application/", "{\"label_UID\":\"" + label + "\"}", "admin", password)
                .json().get("UID").asText();
        // A request is logged once its response is complete, which may be just after the client has it.
        node.awaitStdout(l -> l.contains("\"status\":401"));
        node.awaitStdout(l -> l.contains("\"path\":\"/api/v1/application/\""));
        node.awaitStdout(l -> l.contains(" allocated on ") && l.contains("\"application_uid\":\"" + app + "\""));
        List<String> out = node.stop();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : out) {
            JsonNode json;
            try {
                json = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
            assertTrue(json.isObject(), line);
            for (String key : List.of("timestamp", "level", "logger", "thread", "message", "node")) {
                assertTrue(json.hasNonNull(key), () -> "no " + key + ": " + line);
            }
            assertEquals("log-node", json.get("node").asText(), line);
            lines.add(json);
        }
        assertTrue(lines.stream().anyMatch(j -> j.get("message").asText().endsWith("Fish initialized")), out::toString);
        assertTrue(lines.stream().anyMatch(j -> j.get("message").asText().contains("API listening on: ")), out::toString);

        List<JsonNode> access = lines.stream().filter(j -> j.get("logger").asText().equals("fish.access")).toList();
        assertEquals(4, access.size(), out::toString);
        JsonNode ok = access.get(0);
        assertEquals("GET", ok.get("method").asText());
        assertEquals("/api/v1/user/me/", ok.get("path").asText());
        assertEquals(200, ok.get("status").asInt());
        assertEquals("admin", ok.get("user").asText());
        assertEquals("127.0.0.1", ok.get("remote").asText());
        assertTrue(ok.get("bytes").asLong() > 0, ok::toString);
        assertTrue(ok.has("duration_ms"), ok::toString);
        JsonNode refused = access.get(1);
        assertEquals(401, refused.get("status").asInt());
        assertEquals("-", refused.get("user").asText(), "a user whose password failed is not named");
        assertTrue(lines.stream().anyMatch(j -> j.path("application_uid").asText().equals(app)
                && j.get("message").asText().contains(" allocated on ")), "the allocation line names the application");
        noSecrets(out, password, "wrong-password");
    }

    @Test
    void defaultTextFormatIsUnchangedAndAccessLineIsText() throws Exception {
        Node node = Node.start(dir, "access_log: true\n");
        assertEquals(200, node.client().get("/api/v1/user/me/", "admin", node.password).status());
        node.awaitStdout(l -> l.contains(" access: "));
        List<String> out = node.stop();

        for (String line : out) {
            assertFalse(line.startsWith("{"), line);
        }
        assertTrue(out.stream().anyMatch(l -> l.endsWith("Fish initialized")), out::toString);
        List<String> access = out.stream().filter(l -> l.contains(" access: ")).toList();
        assertEquals(1, access.size(), out::toString);
        assertTrue(access.get(0).matches(".* access: 127\\.0\\.0\\.1 admin \"GET /api/v1/user/me/ HTTP/\\S+\" 200 \\d+ \\d+ms"),
                access.get(0));
        noSecrets(out, node.password, null);
    }

    @Test
    void commandLineOptionWinsOverTheFile() throws Exception {
        Node node = Node.start(dir, "log_format: text\n", "--log-format", "json");
        List<String> out = node.stop();
        assertFalse(out.isEmpty());
        for (String line : out) {
            assertTrue(JSON.readTree(line).has("message"), line);
        }
    }

    private static void noSecrets(List<String> out, String password, String other) {
        String basic = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        for (String line : out) {
            assertFalse(line.contains(password), "the admin password reached stdout: " + line);
            assertFalse(line.contains(basic), "an Authorization header reached stdout: " + line);
            if (other != null) {
                assertFalse(line.contains(other), line);
            }
        }
    }

    /** One node process; its stdout lines, and its stderr (where the admin password is). */
    private static final class Node {
        final Process process;
        final Path dir;
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final CompletableFuture<Void> initialized = new CompletableFuture<>();
        final CompletableFuture<String> admin = new CompletableFuture<>();
        final Thread outPump;
        final Thread errPump;
        String password;

        private Node(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
            outPump = pump(process.getInputStream(), line -> {
                stdout.add(line);
                Matcher m = PORT.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
                if (line.contains("Fish initialized")) {
                    initialized.complete(null);
                }
            });
            errPump = pump(process.getErrorStream(), line -> {
                stderr.add(line);
                Matcher m = ADMIN.matcher(line);
                if (m.find()) {
                    admin.complete(m.group(1));
                }
            });
        }

        static Node start(Path dir, String extraConfig, String... args) throws Exception {
            Path cfg = dir.resolve("fish.yml");
            Files.writeString(cfg, "node_name: log-node\napi_address: 127.0.0.1:0\ndirectory: "
                    + dir.resolve("fish_data") + "\ndrivers:\n  - name: test\n    cfg:\n      workspace_path: "
                    + dir.resolve("ws") + "\n" + extraConfig);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "-c", cfg.toString()));
            command.addAll(List.of(args));
            Node node = new Node(new ProcessBuilder(command).directory(dir.toFile()).start(), dir);
            try {
                node.initialized.get(90, TimeUnit.SECONDS);
                node.password = node.admin.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                node.process.destroyForcibly();
                fail("node did not start: " + node.stdout + " / " + node.stderr, e);
            }
            return node;
        }

        ApiClient client() throws Exception {
            X509Certificate ca;
            try (InputStream in = Files.newInputStream(dir.resolve("fish_data").resolve(NodeCertificates.CA_CRT_FILE))) {
                ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            return new ApiClient(NodeCertificates.clientContextTrusting(ca), port.getNow(-1));
        }

        void awaitStdout(java.util.function.Predicate<String> line) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stdout.stream().noneMatch(line) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        }

        /** SIGTERM, then every stdout line (blank ones dropped). */
        List<String> stop() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("node did not stop");
            }
            outPump.join(5_000);
            errPump.join(5_000);
            List<String> lines = stdout.stream().filter(l -> !l.isBlank()).toList();
            if (Boolean.getBoolean("fish.test.printLogs")) {
                lines.forEach(System.out::println);
            }
            return lines;
        }

        private static Thread pump(InputStream in, Consumer<String> each) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        each.accept(line);
                    }
                } catch (IOException ignored) {
                    // The process is gone.
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
