package io.aquarium.fish.api.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts on one machine, each in its own network namespace, for tests of what crosses a network.
 *
 * <p>A lab is a bridge {@code fbr<id>} in the root namespace with {@value #HOST_ADDRESS}/24 and, for
 * host {@code n} (1-based), a namespace {@code fish-<id>-n<n>} holding {@code eth0} with
 * {@code 198.18.0.<n>/24} (and {@code lo} up), the other end of its veth pair ({@code fv<id>n<n>})
 * on the bridge. Only the benchmarking range 198.18.0.0/24 is used, so nothing real is ever
 * addressed, and the test JVM in the root namespace reaches every host over the bridge.
 *
 * <p>Faults, as the operators' machines allow them (no {@code tc}, no iptables): {@link #cut}
 * makes two hosts drop each other's traffic silently (each holds a permanent neighbour entry for
 * the other's address pointing to a MAC nobody has), {@link #heal} deletes those entries;
 * {@link #isolate} takes a host's link down (cut off from everybody, the test JVM included) and
 * {@link #reconnect} brings it up.
 *
 * <p>One lab at a time per machine (they share the network): {@link #create} waits for the
 * machine-wide lock file {@value #LOCK_FILE} in the temporary directory, which the OS releases when
 * the JVM holding it dies. {@code <id>} is {@code <pid>x<n>} (the JVM's pid): with the lock held,
 * {@link #create} first removes what a lab of a JVM that no longer runs left behind (its
 * namespaces, the processes still in them, its links).
 * {@link #close} removes everything, processes in the namespaces included, and also runs at JVM
 * exit when a test did not get to it. Needs root and {@code ip netns}; without them the tests are
 * skipped, unless {@value #REQUIRED_ENV}{@code =true} (CI), which makes that a failure.
 */
final class NetnsLab implements AutoCloseable {
    static final String REQUIRED_ENV = "FISH_NETNS_REQUIRED";
    /** The lab network, RFC 2544's benchmarking range: 198.18.0.<n> are the hosts. */
    static final String NETWORK = "198.18.0.";
    static final String HOST_ADDRESS = NETWORK + "254";
    /** JUnit resource lock of the tests that create a lab: the network's addresses are fixed. */
    static final String LOCK = "fish-netns-lab";
    /** A locally administered MAC that no interface has: frames to it are dropped. */
    private static final String NOBODY_MAC = "02:00:00:00:00:01";
    private static final Pattern NAMESPACE = Pattern.compile("fish-(\\d+)x(\\d+)-n\\d+");
    private static final Pattern LINK = Pattern.compile("f(?:br|v)(\\d+)x(\\d+)(?:n\\d+)?");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    static final String LOCK_FILE = "fish-netns-lab.lock";
    /** How long {@link #create} waits for another JVM's lab (a whole split suite) to finish. */
    private static final Duration LOCK_WAIT = Duration.ofMinutes(40);
    private static final AtomicInteger LABS = new AtomicInteger();
    /** Ids of this JVM's labs not closed yet: never leftovers. */
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();

    private final String id;
    private final int hosts;
    private final Path log;
    private final Set<String> cutPairs = new LinkedHashSet<>();
    private final Set<Integer> isolated = new LinkedHashSet<>();
    private final Thread exitHook;
    private FileChannel lockChannel;
    private FileLock machineLock;
    private boolean closed;

    private NetnsLab(String id, int hosts, Path log) {
        this.id = id;
        this.hosts = hosts;
        this.log = log;
        this.exitHook = new Thread(this::close, "netns-lab-" + id + "-exit");
    }

    /**
     * A new lab of {@code hosts} namespaces; the commands it runs are logged to {@code log}. Skips the
     * calling test (JUnit assumption) when namespaces are unavailable, or fails it when
     * {@value #REQUIRED_ENV} is {@code true}.
     */
    static NetnsLab create(int hosts, Path log) {
        if (hosts < 1 || hosts > 9) {
            throw new IllegalArgumentException("1 to 9 hosts, not " + hosts);
        }
        String id = PID + "x" + LABS.incrementAndGet();
        OPEN.add(id);
        NetnsLab lab = new NetnsLab(id, hosts, log);
        try {
            assumeAvailable();
            lab.lockMachine();
            lab.removeLeftovers();
            lab.requireFreeNetwork();
            Runtime.getRuntime().addShutdownHook(lab.exitHook);
            lab.build();
            return lab;
        } catch (Throwable t) {
            lab.close();
            throw t;
        }
    }

    String id() {
        return id;
    }

    int hosts() {
        return hosts;
    }

    String namespace(int host) {
        return "fish-" + id + "-n" + check(host);
    }

    /** The host's address, {@code 198.18.0.<host>}. */
    String address(int host) {
        return NETWORK + check(host);
    }

    /** The command prefix that runs a program in the host's namespace ({@code ip netns exec} execs it). */
    List<String> execPrefix(int host) {
        return List.of("ip", "netns", "exec", namespace(host));
    }

    /** Hosts {@code a} and {@code b} silently drop each other's traffic; both still reach every other host. */
    synchronized void cut(int a, int b) {
        neighbour("replace", a, b);
        neighbour("replace", b, a);
        cutPairs.add(pair(a, b));
    }

    /** Undoes {@link #cut}: the two hosts resolve each other's address again. */
    synchronized void heal(int a, int b) {
        if (!cutPairs.remove(pair(a, b))) {
            return;
        }
        neighbour("del", a, b);
        neighbour("del", b, a);
    }

    /** Takes the host's link down (its bridge port): it reaches nobody and nobody reaches it. */
    synchronized void isolate(int host) {
        run("ip", "link", "set", veth(host), "down");
        isolated.add(host);
    }

    /** Brings the host's link up again. */
    synchronized void reconnect(int host) {
        run("ip", "link", "set", veth(host), "up");
        isolated.remove(host);
    }

    /** Heals every cut and reconnects every isolated host. */
    synchronized void healAll() {
        for (String p : List.copyOf(cutPairs)) {
            String[] hostsOfPair = p.split("-");
            heal(Integer.parseInt(hostsOfPair[0]), Integer.parseInt(hostsOfPair[1]));
        }
        for (int host : List.copyOf(isolated)) {
            reconnect(host);
        }
    }

    /** Namespaces and links of this lab that still exist (for checks that {@link #close} removed them). */
    List<String> remains() {
        List<String> left = new ArrayList<>();
        for (String ns : namespaces()) {
            Matcher m = NAMESPACE.matcher(ns);
            if (m.matches() && id.equals(m.group(1) + "x" + m.group(2))) {
                left.add(ns);
            }
        }
        for (String link : links()) {
            Matcher m = LINK.matcher(link);
            if (m.matches() && id.equals(m.group(1) + "x" + m.group(2))) {
                left.add(link);
            }
        }
        return left;
    }

    /** Kills every process left in the lab's namespaces and removes the namespaces, veths and bridge. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (int host = 1; host <= hosts; host++) {
                removeNamespace(namespace(host));
            }
            // A namespace's veth goes with it; the root ends (if still there) and the bridge go here.
            for (String link : remains()) {
                tryRun("ip", "link", "del", link);
            }
            List<String> left = remains();
            if (!left.isEmpty()) {
                throw new AssertionError("the network lab " + id + " left " + left + " behind (see " + log + ")");
            }
        } finally {
            OPEN.remove(id);
            unlockMachine();
            if (Thread.currentThread() != exitHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(exitHook);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // The JVM is exiting, or the hook was never added.
                }
            }
        }
    }

    // --- building and removing

    /**
     * Returns when this machine can host a lab; otherwise aborts the calling test (a JUnit assumption),
     * or fails it when {@value #REQUIRED_ENV} is {@code true}.
     */
    static void assumeAvailable() {
        String why = unavailable();
        if (why == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv(REQUIRED_ENV))) {
            throw new AssertionError("network namespaces are required (" + REQUIRED_ENV + "=true), but " + why);
        }
        Assumptions.abort("network namespaces unavailable (" + why + "); set " + REQUIRED_ENV
                + "=true to make this a failure");
    }

    /** Why this machine cannot host a lab, or null when it can. */
    private static String unavailable() {
        Result uid = query("id", "-u");
        if (uid.code() != 0 || !"0".equals(uid.output().trim())) {
            return "not running as root (id -u: " + uid.output().trim() + ")";
        }
        Result list = query("ip", "netns", "list");
        if (list.code() != 0) {
            return "'ip netns' does not work: " + list.output().trim();
        }
        String probe = "fish-" + PID + "x" + LABS.incrementAndGet() + "-n0";
        Result add = query("ip", "netns", "add", probe);
        query("ip", "netns", "del", probe);
        if (add.code() != 0) {
            return "unable to create a namespace: " + add.output().trim();
        }
        return null;
    }

    /** Takes the machine-wide lab lock, waiting while another JVM's lab holds it. */
    private void lockMachine() {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), LOCK_FILE);
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        boolean told = false;
        try {
            lockChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            while (true) {
                try {
                    machineLock = lockChannel.tryLock();
                } catch (OverlappingFileLockException sameJvm) {
                    machineLock = null;
                }
                if (machineLock != null) {
                    lockChannel.truncate(0).write(ByteBuffer.wrap((PID + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    note("holding " + file);
                    return;
                }
                if (!told) {
                    String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                    String line = "another network lab runs on this machine (pid " + holder + "); waiting for " + file;
                    note(line);
                    System.out.println("[netns lab] " + line);
                    told = true;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new AssertionError("the network lab lock " + file + " was not free within "
                            + LOCK_WAIT.toMinutes() + " min");
                }
                Poll.pause(Duration.ofSeconds(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unlockMachine() {
        try {
            if (machineLock != null) {
                machineLock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            note("unable to release the lab lock: " + e);
        }
    }

    /** Removes the namespaces (and their processes) and links of labs whose JVM is gone. */
    private void removeLeftovers() {
        for (String ns : namespaces()) {
            Matcher m = NAMESPACE.matcher(ns);
            if (m.matches() && isLeftover(m.group(1), m.group(1) + "x" + m.group(2))) {
                note("leftover of an earlier run: namespace " + ns);
                removeNamespace(ns);
            }
        }
        for (String link : links()) {
            Matcher m = LINK.matcher(link);
            if (m.matches() && isLeftover(m.group(1), m.group(1) + "x" + m.group(2))) {
                note("leftover of an earlier run: link " + link);
                tryRun("ip", "link", "del", link);
            }
        }
    }

    private static boolean isLeftover(String pid, String labId) {
        long owner = Long.parseLong(pid);
        return owner == PID ? !OPEN.contains(labId) : ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true);
    }

    /** Two labs on one machine would share 198.18.0.0/24: fail clearly instead of misrouting. */
    private void requireFreeNetwork() {
        for (String line : query("ip", "-o", "-4", "addr", "show").output().split("\n")) {
            if (line.contains(" " + NETWORK)) {
                throw new AssertionError(NETWORK + "0/24 is in use (another lab running?): " + line.trim());
            }
        }
    }

    private void build() {
        String br = bridge();
        run("ip", "link", "add", br, "type", "bridge");
        run("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", br);
        run("ip", "link", "set", br, "up");
        for (int host = 1; host <= hosts; host++) {
            String ns = namespace(host);
            run("ip", "netns", "add", ns);
            run("ip", "link", "add", veth(host), "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "link", "set", veth(host), "master", br, "up");
            run("ip", "-n", ns, "addr", "add", address(host) + "/24", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    private void removeNamespace(String ns) {
        if (!namespaces().contains(ns)) {
            return;
        }
        Result pids = query("ip", "netns", "pids", ns);
        if (pids.code() == 0) {
            List<ProcessHandle> inside = new ArrayList<>();
            for (String pid : pids.output().trim().split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(inside::add);
                }
            }
            for (ProcessHandle p : inside) {
                note("killing process " + p.pid() + " left in " + ns + ": " + p.info().commandLine().orElse("?"));
                p.destroyForcibly();
            }
            for (ProcessHandle p : inside) {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    note("process " + p.pid() + " in " + ns + " did not exit: " + e);
                }
            }
        }
        tryRun("ip", "netns", "del", ns);
    }

    private List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : query("ip", "netns", "list").output().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** Link names of the root namespace ({@code fv..@if2} becomes {@code fv..}). */
    private List<String> links() {
        List<String> names = new ArrayList<>();
        for (String line : query("ip", "-o", "link", "show").output().split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2) {
                names.add(fields[1].split("@")[0].trim());
            }
        }
        return names;
    }

    private void neighbour(String action, int from, int to) {
        if ("del".equals(action)) {
            run("ip", "-n", namespace(from), "neigh", "del", address(to), "dev", "eth0");
        } else {
            run("ip", "-n", namespace(from), "neigh", action, address(to), "lladdr", NOBODY_MAC, "dev", "eth0",
                    "nud", "permanent");
        }
    }

    private String bridge() {
        return "fbr" + id;
    }

    private String veth(int host) {
        return "fv" + id + "n" + check(host);
    }

    private int check(int host) {
        if (host < 1 || host > hosts) {
            throw new IllegalArgumentException("no host " + host + " in a lab of " + hosts);
        }
        return host;
    }

    private static String pair(int a, int b) {
        return Math.min(a, b) + "-" + Math.max(a, b);
    }

    // --- commands

    record Result(int code, String output) {
    }

    /** Runs a command; fails with its output when it exits non-zero. */
    private Result run(String... command) {
        Result r = tryRun(command);
        if (r.code() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + r.code() + ": " + r.output().trim());
        }
        return r;
    }

    private Result tryRun(String... command) {
        Result r = query(command);
        note("$ " + String.join(" ", command) + " -> " + r.code() + (r.output().isBlank() ? "" : ": " + r.output().trim()));
        return r;
    }

    /** Runs a command that changes nothing, without logging it. */
    private static Result query(String... command) {
        Result r;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // The outputs are a few lines: reading them to the end before waiting cannot block the command.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                r = new Result(-1, "timed out after " + COMMAND_TIMEOUT.toSeconds() + " s: " + out);
            } else {
                r = new Result(p.exitValue(), out);
            }
        } catch (IOException e) {
            r = new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return r;
    }

    private synchronized void note(String line) {
        try {
            Files.createDirectories(log.getParent());
            try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(Instant.now() + " [" + id + "] " + line + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
