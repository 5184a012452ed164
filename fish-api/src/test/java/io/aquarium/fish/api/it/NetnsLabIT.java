package io.aquarium.fish.api.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network lab itself, before any node relies on it: a cut silently drops TCP between two
 * namespaces (a connect times out, nothing refuses it) while both still reach everybody else, a heal
 * restores it, isolating a host cuts it off from the root namespace too, and nothing is left behind
 * (not even by a run that died).
 */
@Tag(ClusterSplitIT.GROUP)
@ResourceLock(NetnsLab.LOCK)
class NetnsLabIT {
    private static final int PORT = 7000;
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(10);

    private NetnsLab lab;
    private final List<Process> probes = new ArrayList<>();
    private Path logDir;

    @BeforeEach
    void logs(TestInfo test) {
        logDir = Path.of(System.getProperty(FishNodes.LOG_DIR_PROPERTY, "target/it-logs"))
                .resolve(getClass().getSimpleName()).resolve(test.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void cleanUp() {
        for (Process p : probes) {
            p.destroyForcibly();
        }
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.remains(), "the lab removed everything");
        }
    }

    @Test
    void cutDropsTrafficBetweenTwoNamespacesOnlyAndHealRestoresIt() {
        lab = NetnsLab.create(3, logDir.resolve("netns.log"));
        listen(2);
        assertEquals(NetProbe.Connect.CONNECTED, connect(1, 2), "before the cut");
        assertEquals(NetProbe.Connect.CONNECTED, NetProbe.connect(lab.address(2), PORT, CONNECT_TIMEOUT_MS));

        lab.cut(1, 2);
        assertEquals(NetProbe.Connect.TIMED_OUT, connect(1, 2), "a cut drops the SYN silently: no refusal");
        assertEquals(NetProbe.Connect.CONNECTED, connect(3, 2), "a third host still reaches the cut one");
        assertEquals(NetProbe.Connect.CONNECTED, NetProbe.connect(lab.address(2), PORT, CONNECT_TIMEOUT_MS),
                "the test JVM (root namespace) still reaches the cut host");

        lab.heal(1, 2);
        Poll.until("host 1 to reach host 2 after the heal", RESTORE_TIMEOUT, () -> connect(1, 2),
                NetProbe.Connect.CONNECTED::equals);
    }

    @Test
    void isolateCutsTheHostOffFromEverybodyAndReconnectRestoresIt() {
        lab = NetnsLab.create(2, logDir.resolve("netns.log"));
        listen(2);
        assertEquals(NetProbe.Connect.CONNECTED, NetProbe.connect(lab.address(2), PORT, CONNECT_TIMEOUT_MS));

        lab.isolate(2);
        assertNotEquals(NetProbe.Connect.CONNECTED, NetProbe.connect(lab.address(2), PORT, CONNECT_TIMEOUT_MS),
                "the root namespace reaches an isolated host");
        assertNotEquals(NetProbe.Connect.CONNECTED, connect(1, 2), "another host reaches an isolated one");

        lab.reconnect(2);
        Poll.until("the root namespace to reach host 2 again", RESTORE_TIMEOUT,
                () -> NetProbe.connect(lab.address(2), PORT, CONNECT_TIMEOUT_MS), NetProbe.Connect.CONNECTED::equals);
        assertEquals(NetProbe.Connect.CONNECTED, connect(1, 2));
    }

    /** A lab of a JVM that died (its pid no longer runs) is removed, processes included, when a lab is created. */
    @Test
    void leftoversOfADeadRunAreRemovedAndCloseLeavesNothing() throws Exception {
        NetnsLab.assumeAvailable();
        long deadPid = deadPid();
        String ns = "fish-" + deadPid + "x1-n1";
        String bridge = "fbr" + deadPid + "x1";
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", bridge, "type", "bridge");
        Process stray = new ProcessBuilder("ip", "netns", "exec", ns, "sleep", "600").start();
        probes.add(stray);

        lab = NetnsLab.create(1, logDir.resolve("netns.log"));
        assertTrue(stray.waitFor(10, TimeUnit.SECONDS), "the process left in the dead run's namespace was killed");
        assertFalse(output("ip", "netns", "list").contains(ns), "the dead run's namespace is gone");
        assertFalse(output("ip", "-o", "link", "show").contains(bridge), "the dead run's bridge is gone");
        assertEquals(Set.of(lab.namespace(1), "fbr" + lab.id(), "fv" + lab.id() + "n1"), Set.copyOf(lab.remains()));
    }

    /** Starts a listener in {@code host}'s namespace on its address and waits until it is bound. */
    private void listen(int host) {
        List<String> command = new ArrayList<>(lab.execPrefix(host));
        command.addAll(probeCommand("listen", lab.address(host), String.valueOf(PORT)));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            probes.add(p);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("listening", line, "the probe listener in " + lab.namespace(host));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP connect from {@code from}'s namespace to {@code to}'s listener. */
    private NetProbe.Connect connect(int from, int to) {
        List<String> command = new ArrayList<>(lab.execPrefix(from));
        command.addAll(probeCommand("connect", lab.address(to), String.valueOf(PORT),
                String.valueOf(CONNECT_TIMEOUT_MS)));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the connect probe ended");
            return NetProbe.Connect.ofCode(p.exitValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> probeCommand(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes;
        try {
            classes = Path.of(NetProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        List<String> command = new ArrayList<>(List.of(java, "-Xmx32m", "-cp", classes, NetProbe.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static long deadPid() {
        for (long pid = 4_000_001; ; pid++) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
