package io.aquarium.fish.drivers.nativeproc;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.metadata.MetadataEnvironment;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real processes: every test starts workloads and checks them through /proc. */
class NativeDriverTest {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);
    private static final String SLEEP = "{\"command\":[\"sh\",\"-c\",\"sleep 600\"]}";

    @TempDir
    Path dir;
    private final List<Runnable> cleanups = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        cleanups.forEach(Runnable::run);
    }

    private NativeDriver driver(Map<String, Object> cfg) {
        Map<String, Object> c = new HashMap<>(cfg);
        c.putIfAbsent("workspace_path", dir.resolve("ws").toString());
        c.putIfAbsent("cgroup_path", dir.resolve("no-cgroup/fish").toString());
        NativeDriver d = new NativeDriverFactory(System.getenv(), Commands::find)
                .create("native", c, new DriverContext(dir, "node-1", Clock.systemUTC()));
        return d;
    }

    private AllocatedResource allocate(NativeDriver d, String options, String metadata, int cpu, int ram) {
        return allocate(d, options, metadata, cpu, ram, "");
    }

    private AllocatedResource allocate(NativeDriver d, String options, String metadata, int cpu, int ram,
                                       String metaToken) {
        LabelDefinition def = new LabelDefinition("native",
                new Resources(cpu, ram, null, null, null, false, false, false, null), new RawJson(options), null);
        AllocatedResource r = d.allocate(new AllocationRequest(UUID.randomUUID(), def, new RawJson(metadata),
                metaToken));
        cleanups.add(() -> {
            try {
                d.deallocate(r.identifier());
            } catch (RuntimeException ignored) {
                // the test's own assertions say what went wrong
            }
        });
        return r;
    }

    private static Path workspaceOf(NativeDriver d, String identifier) {
        return d.config().workspacePath().resolve(identifier);
    }

    private long leader(NativeDriver d, String identifier) throws IOException {
        return ProcessRecord.read(d.config().workspacePath().resolve(identifier).resolve("resource.json"))
                .orElseThrow().pid();
    }

    private long sleepOf(NativeDriver d, String identifier) throws IOException {
        long sid = leader(d, identifier);
        assertTrue(Procs.await(Duration.ofSeconds(5), () -> !Procs.inSession(sid, "sleep").isEmpty()));
        return Procs.inSession(sid, "sleep").get(0);
    }

    @Test
    void theWorkloadRunsInItsOwnSessionAndWorkspaceWithTheMetadataInItsEnvironment() throws IOException {
        NativeDriver d = driver(Map.of());
        String marker = UUID.randomUUID().toString();
        AllocatedResource r = allocate(d, "{\"command\":[\"sh\",\"-c\",\"sleep 600\"],\"env\":{\"FROM_LABEL\":\"l\"}}",
                "{\"MARKER\":\"" + marker + "\",\"nested\":{\"k\":1}}", 0, 0);

        assertTrue(NativeDriver.IDENTIFIER.matcher(r.identifier()).matches(), r.identifier());
        assertEquals("127.0.0.1", r.ipAddr());
        long sleep = sleepOf(d, r.identifier());
        Map<String, String> env = Procs.environ(sleep);
        assertEquals(marker, env.get("MARKER"));
        assertEquals("1", env.get("nested_k"));
        assertEquals("l", env.get("FROM_LABEL"));
        Path home = d.config().workspacePath().resolve(r.identifier()).resolve("home");
        assertEquals(home.toString(), env.get("HOME"));
        assertEquals(home, Files.readSymbolicLink(Path.of("/proc/" + sleep + "/cwd")));
        assertTrue(Files.isDirectory(workspaceOf(d, r.identifier())));

        d.deallocate(r.identifier());
        assertTrue(Procs.await(GONE_WITHIN, () -> Procs.gone(sleep)));
        assertFalse(Files.exists(workspaceOf(d, r.identifier())));
        d.deallocate(r.identifier()); // already gone: still fine
    }

    @Test
    void metadataCannotReplaceTheVariablesTheDriverSets() throws IOException {
        NativeDriver d = driver(Map.of());
        AllocatedResource r = allocate(d, SLEEP,
                "{\"PATH\":\"/evil\",\"LD_PRELOAD\":\"/evil.so\",\"BASH_ENV\":\"/evil\",\"ok\":\"yes\"}", 0, 0);
        Map<String, String> env = Procs.environ(sleepOf(d, r.identifier()));
        assertNotEquals("/evil", env.get("PATH"));
        assertFalse(env.containsKey("LD_PRELOAD"));
        assertFalse(env.containsKey("BASH_ENV"));
        assertEquals("yes", env.get("ok"));
    }

    @Test
    void variablesThatChangeHowProgramsLoadOrRunNeverComeFromMetadata() throws IOException {
        NativeDriver d = driver(Map.of());
        List<String> injected = List.of("PERL5OPT", "PERL5LIB", "PERLLIB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
                "JDK_JAVA_OPTIONS", "NODE_OPTIONS", "GCONV_PATH", "LOCPATH", "GLIBC_TUNABLES", "PYTHONPATH",
                "PYTHONSTARTUP", "RUBYOPT", "GIT_SSH_COMMAND", "LD_AUDIT", "BASH_FUNC_x%%", "ENV", "IFS", "SHELL");
        StringBuilder metadata = new StringBuilder("{\"ok\":\"yes\",\"FISH_META_TOKEN\":\"forged\"");
        injected.forEach(k -> metadata.append(",\"").append(k).append("\":\"/evil\""));
        String token = UUID.randomUUID() + ".bWFj";
        // The label's owner chose the command and may set such a variable in the definition's env.
        AllocatedResource r = allocate(d, "{\"command\":[\"sh\",\"-c\",\"sleep 600\"],"
                + "\"env\":{\"JAVA_TOOL_OPTIONS\":\"-Xmx1g\"}}", metadata.append('}').toString(), 0, 0, token);

        Map<String, String> env = Procs.environ(sleepOf(d, r.identifier()));
        assertEquals("yes", env.get("ok"));
        assertEquals("-Xmx1g", env.get("JAVA_TOOL_OPTIONS"));
        assertEquals(token, env.get("FISH_META_TOKEN"), "the node's token, not the metadata's");
        assertFalse(env.containsValue("/evil"), "a metadata value reached the process: " + env);
        for (String key : injected) {
            assertFalse(env.containsKey(MetadataEnvironment.sanitizeKey(key)) && !"JAVA_TOOL_OPTIONS".equals(key), key);
        }
    }

    @Test
    void deallocateEndsTheWholeTreeIncludingChildrenThatLeftIt() throws IOException {
        NativeDriver d = driver(Map.of());
        // One child stays a child, one is orphaned (its parent shell exits), the leader waits.
        AllocatedResource r = allocate(d,
                "{\"command\":[\"sh\",\"-c\",\"sleep 601 & (sleep 602 &) ; wait\"]}", "{}", 0, 0);
        long sid = leader(d, r.identifier());
        assertTrue(Procs.await(Duration.ofSeconds(5), () -> Procs.inSession(sid, "sleep").size() == 2));
        List<Long> sleeps = Procs.inSession(sid, "sleep");

        d.deallocate(r.identifier());
        assertTrue(Procs.await(GONE_WITHIN, () -> sleeps.stream().allMatch(Procs::gone) && Procs.gone(sid)));
    }

    @Test
    void aWorkloadIgnoringTermIsKilledAfterTheGracePeriod() throws IOException {
        NativeDriver d = driver(Map.of("term_grace", 1));
        AllocatedResource r = allocate(d, "{\"command\":[\"sh\",\"-c\",\"trap '' TERM; sleep 600\"]}", "{}", 0, 0);
        long sleep = sleepOf(d, r.identifier());

        d.deallocate(r.identifier());
        assertTrue(Procs.gone(sleep));
    }

    @Test
    void aNewDriverInstanceFindsAndEndsTheWorkloadOfThePreviousOne() throws IOException {
        NativeDriver before = driver(Map.of());
        AllocatedResource r = allocate(before, SLEEP, "{}", 0, 0);
        long sleep = sleepOf(before, r.identifier());
        before.close();

        NativeDriver after = driver(Map.of());
        after.reconcile(Set.of(r.identifier()));
        assertFalse(Procs.gone(sleep), "a recorded workload survives the restart");
        assertTrue(Files.isDirectory(workspaceOf(after, r.identifier())), "and so does its workspace");
        after.deallocate(r.identifier());
        assertTrue(Procs.await(GONE_WITHIN, () -> Procs.gone(sleep)));
    }

    @Test
    void reconcileRemovesWorkloadsNobodyRecords() throws IOException {
        NativeDriver d = driver(Map.of());
        AllocatedResource kept = allocate(d, SLEEP, "{}", 0, 0);
        AllocatedResource leftover = allocate(d, SLEEP, "{}", 0, 0);
        long keptSleep = sleepOf(d, kept.identifier());
        long leftoverSleep = sleepOf(d, leftover.identifier());

        d.reconcile(Set.of(kept.identifier(), "test-abcdef"));
        assertTrue(Procs.await(GONE_WITHIN, () -> Procs.gone(leftoverSleep)));
        assertFalse(Files.exists(workspaceOf(d, leftover.identifier())));
        assertFalse(Procs.gone(keptSleep));
        assertTrue(Files.isDirectory(workspaceOf(d, kept.identifier())));
    }

    @Test
    void aReusedPidIsNotMistakenForTheWorkload() throws Exception {
        NativeDriver d = driver(Map.of());
        AllocatedResource r = allocate(d, SLEEP, "{}", 0, 0);
        long sleep = sleepOf(d, r.identifier());
        Process stranger = new ProcessBuilder("sleep", "600").start();
        cleanups.add(stranger::destroyForcibly);
        // The record now points at an unrelated process with another start identity, as after PID reuse.
        Path record = d.config().workspacePath().resolve(r.identifier()).resolve("resource.json");
        ProcessRecord.read(record).orElseThrow().withProcess(stranger.pid(), "ticks:1").write(record);

        d.deallocate(r.identifier());
        assertTrue(stranger.isAlive(), "the stranger was left alone");
        assertFalse(Files.exists(record.getParent()));
        // The real workload lost its record: end it here so it does not outlive the test.
        ProcessHandle.of(sleep).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void aMissingProgramFailsTheAllocationAndLeavesNothing() {
        NativeDriver d = driver(Map.of());
        DriverException e = assertThrows(DriverException.class,
                () -> allocate(d, "{\"command\":[\"no-such-program-here\"]}", "{}", 0, 0));
        assertTrue(e.getMessage().contains("no-such-program-here"), e.getMessage());
        assertEquals(List.of(), list(d.config().workspacePath()));
    }

    @Test
    void identifiersOutsideTheDriversNamesAreRejected() {
        NativeDriver d = driver(Map.of());
        for (String bad : new String[]{"../etc", "native-../../x", "test-abcdef", ""}) {
            assertThrows(DriverException.class, () -> d.deallocate(bad));
        }
    }

    @Test
    void limitsGoIntoTheResourcesCgroupAndTheWorkloadJoinsIt() throws IOException {
        // A stand-in for cgroupfs: the same files, so what the driver writes can be read back.
        Path root = Files.createDirectories(dir.resolve("cgroupfs"));
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        NativeDriver d = driver(Map.of("cgroup_path", root.resolve("aquarium-fish").toString()));
        AllocatedResource r = allocate(d, SLEEP, "{}", 2, 1);

        Path cg = root.resolve("aquarium-fish").resolve(r.identifier());
        assertEquals("200000 100000", Files.readString(cg.resolve("cpu.max")));
        assertEquals(Long.toString(1024L * 1024 * 1024), Files.readString(cg.resolve("memory.max")));
        // The workload's shell joins the cgroup itself, before it runs the command.
        String leader = Long.toString(leader(d, r.identifier()));
        assertTrue(Procs.await(Duration.ofSeconds(5), () -> leader.equals(read(cg.resolve("cgroup.procs")))));
        assertTrue(Files.readString(root.resolve("cgroup.subtree_control")).contains("memory"));
    }

    @Test
    void withoutCgroupV2TheWorkloadStillRuns() throws IOException {
        NativeDriver d = driver(Map.of("cgroup_path", dir.resolve("nothing/here").toString()));
        AllocatedResource r = allocate(d, SLEEP, "{}", 2, 1);
        assertTrue(sleepOf(d, r.identifier()) > 0);
    }

    @Test
    void userPerResourceRunsTheWorkloadAsAThrowAwayUser() throws IOException {
        assumeTrue(OsUsers.isRoot(), "needs root");
        NativeDriver d = driver(Map.of("user_per_resource", true));
        AllocatedResource r = allocate(d, SLEEP, "{\"MARKER\":\"u\"}", 0, 0);
        String user = "fish-" + r.identifier().substring("native-".length());
        int uid = OsUsers.uid(user).orElseThrow();
        assertNotEquals(0, uid);
        long sleep = sleepOf(d, r.identifier());
        assertEquals(uid, Procs.uid(sleep));
        assertEquals(user, Procs.environ(sleep).get("USER"));
        assertEquals("u", Procs.environ(sleep).get("MARKER"));
        Path home = d.config().workspacePath().resolve(r.identifier()).resolve("home");
        assertEquals(user, Files.getOwner(home).getName());

        d.deallocate(r.identifier());
        assertTrue(Procs.gone(sleep));
        assertTrue(OsUsers.uid(user).isEmpty(), "the user is removed");
        assertFalse(Files.exists(home));
    }

    @Test
    void theWorkspaceHomeAndLogAreTheNodesUsersAlone() throws IOException {
        NativeDriver d = driver(Map.of());
        AllocatedResource r = allocate(d, SLEEP, "{}", 0, 0);
        Path workspace = d.config().workspacePath().resolve(r.identifier());

        assertEquals("rwx------", mode(d.config().workspacePath()));
        assertEquals("rwx------", mode(workspace));
        assertEquals("rwx------", mode(workspace.resolve("home")));
        assertEquals("rw-------", mode(workspace.resolve("output.log")));
        assertEquals("rw-------", mode(workspace.resolve("resource.json")));
    }

    @Test
    void withUserPerResourceAWorkloadCannotReadAnotherWorkloadsFiles() throws IOException {
        assumeTrue(OsUsers.isRoot(), "needs root");
        // The workloads' users pass through the test's directory (JUnit makes it 0700) to their homes.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        NativeDriver d = driver(Map.of("user_per_resource", true));
        // The victim writes a file with the usual umask and logs a line, as any build does.
        AllocatedResource victim = allocate(d,
                command("sh", "-c", "echo secret > \"$HOME/notes\" && echo secret-output && sleep 600"), "{}", 0, 0);
        Path victimDir = d.config().workspacePath().resolve(victim.identifier());
        assertTrue(Procs.await(Duration.ofSeconds(5), () -> read(victimDir.resolve("output.log")).contains("secret")));

        List<String> results = tryToRead(d, victimDir.resolve("home/notes"), victimDir.resolve("output.log"),
                victimDir.resolve("resource.json"), victimDir.resolve("home"), d.config().workspacePath());
        assertEquals(List.of("DENIED " + victimDir.resolve("home/notes"), "DENIED " + victimDir.resolve("output.log"),
                "DENIED " + victimDir.resolve("resource.json"), "DENIED " + victimDir.resolve("home"),
                "DENIED " + d.config().workspacePath()), results);
        String user = "fish-" + victim.identifier().substring("native-".length());
        assertEquals(user, Files.getOwner(victimDir.resolve("home")).getName());
        assertEquals(user, Files.getOwner(victimDir.resolve("output.log")).getName());
        assertEquals("rwx------", mode(victimDir.resolve("home")));
        assertEquals("rw-------", mode(victimDir.resolve("output.log")));
        assertEquals("rw-------", mode(victimDir.resolve("resource.json")));
    }

    /**
     * Runs a workload of {@code d} that tries to read (a file) or list (a directory) each path; its lines,
     * {@code READ <path>} or {@code DENIED <path>}, in order.
     */
    static List<String> tryToRead(NativeDriver d, Path... paths) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "for f in \"$@\"; do "
                + "if cat \"$f\" >/dev/null 2>&1 || ls \"$f/\" >/dev/null 2>&1; "
                + "then echo \"READ $f\"; else echo \"DENIED $f\"; fi; done; echo END; sleep 600", "sh"));
        for (Path p : paths) {
            argv.add(p.toString());
        }
        AllocatedResource r = d.allocate(new AllocationRequest(UUID.randomUUID(), new LabelDefinition("native",
                new Resources(0, 0, null, null, null, false, false, false, null),
                new RawJson(command(argv.toArray(String[]::new))), null), new RawJson("{}")));
        try {
            Path log = d.config().workspacePath().resolve(r.identifier()).resolve("output.log");
            assertTrue(Procs.await(Duration.ofSeconds(10), () -> read(log).endsWith("END")), read(log));
            List<String> lines = new ArrayList<>(List.of(read(log).split("\n")));
            lines.remove(lines.size() - 1);
            return lines;
        } finally {
            d.deallocate(r.identifier());
        }
    }

    /** Definition options running {@code argv}. */
    static String command(String... argv) {
        ObjectNode options = new JsonMapper().createObjectNode();
        ArrayNode command = options.putArray("command");
        for (String arg : argv) {
            command.add(arg);
        }
        return options.toString();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void capacityComesFromTheConfig() {
        NativeDriver d = driver(Map.of("cpu_limit", 4, "ram_limit", 8));
        LabelDefinition def = new LabelDefinition("native",
                new Resources(2, 2, null, null, null, false, false, false, null), new RawJson(SLEEP), null);
        assertEquals(2, d.availableCapacity(io.aquarium.fish.core.driver.Usage.NONE, def));
        LabelDefinition broken = new LabelDefinition("native", def.resources(), new RawJson("{}"), null);
        assertThrows(DriverException.class, () -> d.availableCapacity(io.aquarium.fish.core.driver.Usage.NONE, broken));
        assertThrows(DriverException.class, () -> d.validate(broken));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Path> list(Path dir) {
        try (var s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
