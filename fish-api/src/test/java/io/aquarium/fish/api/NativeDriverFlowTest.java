package io.aquarium.fish.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.config.FishConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native driver through the REST API, as a client sees it: an application becomes a real
 * process carrying its metadata, survives a node restart, and is gone soon after deallocation.
 */
@EnabledOnOs(OS.LINUX)
class NativeDriverFlowTest {
    private static final Duration STATE_WITHIN = Duration.ofSeconds(30);
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    Path dir;

    @Test
    void allocateRestartAndDeallocateARealProcess() throws Exception {
        FishConfig config = FishConfig.builder().nodeName("native-node").apiAddress("127.0.0.1:0")
                .directory(dir.resolve("fish_data"))
                .drivers(List.of(new DriverConfig("test", Map.of("workspace_path", dir.resolve("ws-test").toString())),
                        new DriverConfig("native", Map.of("workspace_path", dir.resolve("ws-native").toString()))))
                .build();
        String marker = UUID.randomUUID().toString();
        String appUid;
        long sleep;
        String password;
        try (TestNode node = new TestNode(config)) {
            password = node.adminPassword;
            ApiClient api = node.client;
            ApiClient.Reply label = api.postJson("/api/v1/label/", "{\"name\":\"native-" + marker + "\",\"version\":1,"
                    + "\"definitions\":[{\"driver\":\"native\",\"resources\":{\"cpu\":1,\"ram\":1},\"options\":{\"command\":[\"sh\",\"-c\",\"sleep 600\"]}}]}",
                    "admin", password);
            assertEquals(200, label.status(), label.body());
            ApiClient.Reply app = api.postJson("/api/v1/application/", "{\"label_UID\":\""
                    + label.json().get("UID").asText() + "\",\"metadata\":{\"MARKER\":\"" + marker + "\"}}",
                    "admin", password);
            assertEquals(200, app.status(), app.body());
            appUid = app.json().get("UID").asText();

            awaitStatus(api, password, appUid, "ALLOCATED");
            assertTrue(await(Duration.ofSeconds(5), () -> sleepWithMarker(marker).isPresent()),
                    "a sleep 600 process with MARKER in its environment runs");
            sleep = sleepWithMarker(marker).getAsLong();
            JsonNode resource = api.get("/api/v1/application/" + appUid + "/resource", "admin", password).json();
            assertTrue(resource.get("identifier").asText().startsWith("native-"), resource.toString());
        }

        // The node stopped; the workload, in its own session, did not.
        assertTrue(isRunning(sleep), "the workload survives the node's stop");
        try (TestNode node = new TestNode(config)) {
            ApiClient api = node.client;
            assertEquals("ALLOCATED", status(api, password, appUid));
            assertTrue(isRunning(sleep), "the restarted node keeps the workload");

            ApiClient.Reply deallocate = api.get("/api/v1/application/" + appUid + "/deallocate", "admin", password);
            assertEquals(200, deallocate.status(), deallocate.body());
            awaitStatus(api, password, appUid, "DEALLOCATED");
            assertTrue(await(Duration.ofSeconds(10), () -> !isRunning(sleep)), "the process is gone within 10 s");
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir.resolve("ws-native"))) {
            assertTrue(!left.iterator().hasNext(), "the workspace is removed");
        }
    }

    /**
     * Issue 10: native workloads all call from 127.0.0.1, so the Meta API knows none of them by address;
     * each reads its own metadata with the token it finds in FISH_META_TOKEN, and nobody else's.
     */
    @Test
    void eachNativeWorkloadReadsItsOwnMetadataWithItsTokenAndTheHostNothing() throws Exception {
        FishConfig config = FishConfig.builder().nodeName("native-node").apiAddress("127.0.0.1:0")
                .directory(dir.resolve("fish_data"))
                .drivers(List.of(new DriverConfig("native", Map.of("workspace_path", dir.resolve("ws-native").toString()))))
                .build();
        try (TestNode node = new TestNode(config)) {
            ApiClient api = node.client;
            String admin = node.adminPassword;
            for (String user : List.of("alice", "bob")) {
                ApiClient.Reply created = api.postJson("/api/v1/user/", "{\"name\":\"" + user + "\",\"password\":\""
                        + user + "-pw\"}", "admin", admin);
                assertEquals(200, created.status(), created.body());
            }
            // The workload asks the Meta API the documented way, and once more without its token.
            String url = "https://127.0.0.1:" + node.runner.port() + "/meta/v1/data/";
            // The Meta API answers once the application is ALLOCATED, just after the process started:
            // like an agent's boot script, the workload asks until it gets an answer.
            String script = "for i in $(seq 1 100); do curl -skf -H \"X-Fish-Meta-Token: $FISH_META_TOKEN\" '" + url
                    + "?format=env' > meta.env.tmp && break; sleep 0.2; done; mv meta.env.tmp meta.env;"
                    + " curl -sk '" + url + "' > anonymous.json; sleep 600";
            ApiClient.Reply label = api.postJson("/api/v1/label/", "{\"name\":\"native-meta\",\"version\":1,"
                    + "\"definitions\":[{\"driver\":\"native\",\"resources\":{\"cpu\":1,\"ram\":1},\"options\":"
                    + "{\"command\":[\"sh\",\"-c\"," + JSON.writeValueAsString(script) + "]}}],"
                    + "\"metadata\":{\"JENKINS_URL\":\"http://jenkins/\"}}", "admin", admin);
            assertEquals(200, label.status(), label.body());
            Map<String, String> workspaces = new LinkedHashMap<>();
            for (String user : List.of("alice", "bob")) {
                ApiClient.Reply app = api.postJson("/api/v1/application/", "{\"label_UID\":\""
                        + label.json().get("UID").asText() + "\",\"metadata\":{\"JENKINS_AGENT_SECRET\":\"" + user
                        + "-secret\",\"JENKINS~URL\":\"http://evil/\"}}", user, user + "-pw");
                assertEquals(200, app.status(), app.body());
                String uid = app.json().get("UID").asText();
                awaitStatus(api, admin, uid, "ALLOCATED");
                String identifier = api.get("/api/v1/application/" + uid + "/resource", user, user + "-pw").json()
                        .get("identifier").asText();
                workspaces.put(user, dir.resolve("ws-native").resolve(identifier).resolve("home").toString());
            }

            ApiClient.Reply host = api.get("/meta/v1/data/", Map.of());
            assertEquals(401, host.status(), "a process on the host without a token: " + host.body());
            assertTrue(!host.body().contains("secret"), host.body());
            for (Map.Entry<String, String> w : workspaces.entrySet()) {
                Path env = Path.of(w.getValue(), "meta.env");
                Path anonymous = Path.of(w.getValue(), "anonymous.json");
                assertTrue(await(Duration.ofSeconds(20), () -> Files.exists(env) && Files.exists(anonymous)),
                        w.getKey() + "'s workload got no answer");
                // Its own secret, and the label's JENKINS_URL (not the application's JENKINS~URL).
                assertEquals("JENKINS_AGENT_SECRET=" + w.getKey() + "-secret\nJENKINS_URL=http://jenkins/\n",
                        Files.readString(env), w.getKey());
                assertTrue(await(Duration.ofSeconds(5), () -> readOrEmpty(anonymous).contains("message")));
                assertTrue(!readOrEmpty(anonymous).contains("secret"), readOrEmpty(anonymous));
            }
        }
    }

    /**
     * The audit's reads of a workload under its own user ({@code user_per_resource: true}): the CA key
     * and the store (password hashes, every user's metadata), by the relative path from its home and by
     * the absolute one, and a listing of the data directory. Each must be refused.
     */
    @Test
    void aWorkloadUnderItsOwnUserReadsNothingOfTheNodesDataDirectory() throws Exception {
        Assumptions.assumeTrue("0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))),
                "throw-away users need root");
        // The workload's user passes through the test's directory (JUnit makes it 0700) to its home.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = dir.resolve("fish_data");
        FishConfig config = FishConfig.builder().nodeName("native-node").apiAddress("127.0.0.1:0").directory(data)
                .drivers(List.of(new DriverConfig("native", Map.of("workspace_path", dir.resolve("ws-native").toString(),
                        "user_per_resource", true))))
                .build();
        List<String> paths = List.of("../../../fish_data/ca.key", data + "/ca.key", "../../../fish_data/fish.mv.db",
                data + "/fish.mv.db", data.toString());
        ArrayNode command = JSON.createArrayNode().add("sh").add("-c").add("for f in \"$@\"; do "
                + "if cat \"$f\" >/dev/null 2>&1 || ls \"$f/\" >/dev/null 2>&1; "
                + "then echo \"READ $f\"; else echo \"DENIED $f\"; fi; done; echo END; sleep 600").add("sh");
        paths.forEach(command::add);
        ObjectNode label = JSON.createObjectNode().put("name", "probe-" + UUID.randomUUID()).put("version", 1);
        ObjectNode definition = label.putArray("definitions").addObject().put("driver", "native");
        definition.putObject("resources").put("cpu", 1).put("ram", 1);
        definition.putObject("options").set("command", command);
        try (TestNode node = new TestNode(config)) {
            ApiClient api = node.client;
            String password = node.adminPassword;
            ApiClient.Reply created = api.postJson("/api/v1/label/", label.toString(), "admin", password);
            assertEquals(200, created.status(), created.body());
            ApiClient.Reply app = api.postJson("/api/v1/application/", "{\"label_UID\":\""
                    + created.json().get("UID").asText() + "\"}", "admin", password);
            assertEquals(200, app.status(), app.body());
            String appUid = app.json().get("UID").asText();
            awaitStatus(api, password, appUid, "ALLOCATED");
            String identifier = api.get("/api/v1/application/" + appUid + "/resource", "admin", password).json()
                    .get("identifier").asText();
            Path log = dir.resolve("ws-native").resolve(identifier).resolve("output.log");
            boolean ended = await(Duration.ofSeconds(10), () -> readOrEmpty(log).endsWith("END\n"));
            String output = readOrEmpty(log);
            // Its throw-away user goes with it, whatever the workload could read.
            api.get("/api/v1/application/" + appUid + "/deallocate", "admin", password);
            awaitStatus(api, password, appUid, "DEALLOCATED");

            assertTrue(ended, output);
            assertEquals(paths.stream().map(p -> "DENIED " + p).toList(),
                    List.of(output.split("\n")).subList(0, paths.size()));
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String status(ApiClient api, String password, String app) {
        return api.get("/api/v1/application/" + app + "/state", "admin", password).json().get("status").asText();
    }

    private static void awaitStatus(ApiClient api, String password, String app, String wanted) {
        boolean reached = await(STATE_WITHIN, () -> wanted.equals(status(api, password, app)));
        assertTrue(reached, "expected " + wanted + ", still " + status(api, password, app));
    }

    /** The live {@code sleep} whose environment has MARKER=marker, found through /proc. */
    private static OptionalLong sleepWithMarker(String marker) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    if ("sleep".equals(Files.readString(p.resolve("comm")).strip())
                            && List.of(Files.readString(p.resolve("environ"), StandardCharsets.UTF_8).split("\0"))
                            .contains("MARKER=" + marker)) {
                        return OptionalLong.of(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // ended (or not ours to read) while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return OptionalLong.empty();
    }

    /** Alive and not a zombie waiting to be reaped. */
    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** Real processes and a real node take real time: poll until {@code condition} holds or {@code limit} passes. */
    private static boolean await(Duration limit, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
