package io.aquarium.fish.api.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * One node run the way operators run it: {@code java -Xmx512m -jar aquarium-fish.jar -c config.yml
 * -v debug} in its own workspace directory, watched only through its output, its files and its API.
 * Can be stopped (SIGTERM), killed and started again on the same workspace. Optionally run under a
 * command prefix (e.g. {@code ip netns exec NS}, which execs the JVM, so the process is still the
 * node's) and under a supervisor that restarts it when it exits by itself with a failure, as
 * {@code config/aquarium-fish.service} ({@code Restart=on-failure}) does.
 */
final class FishProcess {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    static final String JAR_PROPERTY = "fish.it.jar";

    private static final Pattern ADMIN = Pattern.compile("Admin user pass: (\\S+)");
    private static final Pattern LISTENING = Pattern.compile("API listening on: (\\S+)");
    private static final Pattern MARKER = Pattern.compile("test-[A-Za-z0-9]{6}");
    private static final int TAIL_LINES = 300;

    private final String name;
    private final Path dir;
    private final Path logFile;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile String adminPassword;
    private volatile Process process;
    private volatile Run run;
    private int starts;
    /** False for a node joining a cluster whose admin user another node created. */
    private volatile boolean printsAdmin = true;
    private volatile Duration startTimeout = START_TIMEOUT;
    private volatile String maxHeap = "512m";
    private volatile List<String> commandPrefix = List.of();
    /** Null: not supervised; else the pause before a supervised restart. */
    private volatile Duration restartDelay;
    /** Set by {@link #stop()} and {@link #kill()}: the next exit is the test's doing, not a failure. */
    private boolean exitExpected;
    private int supervisedRestarts;

    /** One start of the process: what it has printed so far. */
    private static final class Run {
        final CompletableFuture<String> admin = new CompletableFuture<>();
        final CompletableFuture<String> address = new CompletableFuture<>();
        final CompletableFuture<Void> initialized = new CompletableFuture<>();
        final List<Thread> pumps = new CopyOnWriteArrayList<>();
        final long launchedAt = System.nanoTime();
        volatile long initializedAt;
        volatile FishApi api;
    }

    FishProcess(String name, Path dir, String configYaml, Path logFile) {
        this.name = name;
        this.dir = dir;
        this.logFile = logFile;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.yml"), configYaml, StandardCharsets.UTF_8);
            Files.createDirectories(logFile.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    /** The node's working directory (its {@code fish_data} lives there). */
    Path dir() {
        return dir;
    }

    /**
     * This node joins a cluster whose admin user already exists: it must never print an admin
     * password, and its client uses {@code password} (printed by the node that created the admin).
     */
    FishProcess sharingAdmin(String password) {
        adminPassword = password;
        printsAdmin = false;
        return this;
    }

    /** How long {@link #awaitReady()} waits (a node joining a cluster on a busy machine takes longer). */
    FishProcess startTimeout(Duration timeout) {
        startTimeout = timeout;
        return this;
    }

    /** The JVM's {@code -Xmx} (default {@code 512m}): a small heap shows what a node does when memory is short. */
    FishProcess maxHeap(String size) {
        maxHeap = size;
        return this;
    }

    /** Runs the node as {@code prefix... java ...}; the prefix must exec the JVM (as {@code ip netns exec} does). */
    FishProcess commandPrefix(List<String> prefix) {
        commandPrefix = List.copyOf(prefix);
        return this;
    }

    /**
     * Supervises the node like systemd's {@code Restart=on-failure}: when the process exits by itself
     * with a non-zero code (not through {@link #stop()} or {@link #kill()}), it is launched again
     * after {@code delay}. A supervised start is not awaited: read {@link #starts()} and
     * {@link #isInitialized()}, and use a client of the node's fixed address.
     */
    FishProcess restartOnFailure(Duration delay) {
        restartDelay = delay;
        return this;
    }

    /** How many times the process was launched, supervised restarts included. */
    synchronized int starts() {
        return starts;
    }

    /** How many of {@link #starts()} the supervisor made. */
    synchronized int supervisedRestarts() {
        return supervisedRestarts;
    }

    /** True when the current launch printed {@code Fish initialized}. */
    boolean isInitialized() {
        Run current = run;
        return current != null && current.initialized.isDone();
    }

    /** When ({@link System#nanoTime()}) the last launch printed {@code Fish initialized}. */
    long lastInitializedAt() {
        Run current = run;
        if (current == null || !current.initialized.isDone()) {
            throw new IllegalStateException(name + " did not initialize");
        }
        return current.initializedAt;
    }

    /** From the last launch to its {@code Fish initialized} line. */
    Duration lastStartDuration() {
        Run current = run;
        if (current == null || !current.initialized.isDone()) {
            throw new IllegalStateException(name + " did not initialize");
        }
        return Duration.ofNanos(current.initializedAt - current.launchedAt);
    }

    /** Starts the process and waits until it serves requests. */
    FishProcess start() {
        launch();
        return awaitReady();
    }

    /** Starts the process without waiting, so several nodes can boot side by side. */
    synchronized FishProcess launch() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "target/aquarium-fish.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("The node jar is missing: " + jar + " (run mvn verify, which packages it first)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(java, "-Xmx" + maxHeap, "-jar", jar.toString(), "-c", "config.yml", "-v", "debug"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        starts++;
        note("--- start #" + starts + ": " + String.join(" ", pb.command()) + " (in " + dir + ")");
        Run current = new Run();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("unable to start " + name + ": " + e, e);
        }
        run = current;
        exitExpected = false;
        Process started = process;
        started.onExit().thenRun(() -> onExit(started));
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Nothing is ever written to the node's stdin.
        }
        pump(process.getInputStream(), "out", current);
        pump(process.getErrorStream(), "err", current);
        return this;
    }

    /** Waits for {@code API listening on} and {@code Fish initialized} (and the admin password on a first start). */
    FishProcess awaitReady() {
        Run current;
        Process p;
        boolean first;
        synchronized (this) {
            current = run;
            p = process;
            first = starts == 1;
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        awaitOrDeath(current.address, p, deadline, "API listening on");
        awaitOrDeath(current.initialized, p, deadline, "Fish initialized");
        if (first && printsAdmin) {
            adminPassword = awaitOrDeath(current.admin, p, deadline, "Admin user pass");
        } else {
            assertFalse(current.admin.isDone(), name + (first ? " printed an admin password though the cluster has one"
                    : " printed an admin password again on restart"));
        }
        assertNotNull(adminPassword, name + ": no admin password known");
        current.api = FishApi.connect(dir.resolve("fish_data/ca.crt"), current.address.join(), "admin", adminPassword);
        return this;
    }

    /** The admin client of the current run (the port changes on every start). */
    FishApi api() {
        Run current = run;
        if (current == null || current.api == null) {
            throw new IllegalStateException(name + " is not started");
        }
        return current.api;
    }

    /** The API's {@code host:port} of the current run, as the node printed it (the port changes on every start). */
    String address() {
        Run current = run;
        if (current == null || !current.address.isDone()) {
            throw new IllegalStateException(name + " is not started");
        }
        return current.address.join();
    }

    String adminPassword() {
        return adminPassword;
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then waits (at most {@link #STOP_TIMEOUT}) and fails if it did not exit; returns the exit code. */
    int stop() {
        Process p;
        synchronized (this) {
            p = current();
            exitExpected = true;
        }
        // Through the handle: Process.destroy() would also close our ends of its pipes, losing the last lines.
        p.toHandle().destroy();
        return awaitExit(STOP_TIMEOUT);
    }

    /** SIGKILL: no chance to clean up. */
    void kill() {
        Process p;
        synchronized (this) {
            p = process;
            exitExpected = true;
        }
        if (p == null) {
            return;
        }
        p.toHandle().destroyForcibly();
        try {
            p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Graceful stop and start on the same workspace; the admin password stays as printed on the first start. */
    FishProcess restart() {
        stop();
        return start();
    }

    /** Waits for the process to end by itself; fails when it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) {
        Process p;
        Run current;
        boolean restarted;
        synchronized (this) {
            p = current();
            current = run;
            restarted = starts > 1;
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        // The output up to the exit (the graceful stop's last lines) is read to the end first.
        for (Thread pump : current.pumps) {
            try {
                pump.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        assertFalse((restarted || !printsAdmin) && current.admin.isDone(),
                name + " printed an admin password again on restart (or though the cluster has one)");
        return p.exitValue();
    }

    /** The test driver's marker files ({@code test-XXXXXX}) in {@code workspace}, relative to the node's directory. */
    List<String> markers(String workspace) {
        Path ws = dir.resolve(workspace);
        if (!Files.isDirectory(ws)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(ws)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> MARKER.matcher(f).matches()).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the node printed a line containing {@code text} since it was first started. */
    boolean printed(String text) {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many lines the node printed containing {@code text}, over all its starts. */
    long linesContaining(String text) {
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines the node printed (secrets masked), for failure reports. */
    synchronized List<String> tail() {
        return new ArrayList<>(tail);
    }

    Path logFile() {
        return logFile;
    }

    private synchronized Process current() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process;
    }

    /** The supervisor's part: a failed exit that the test did not cause is followed by a new launch. */
    private void onExit(Process exited) {
        Duration delay = restartDelay;
        synchronized (this) {
            if (delay == null || exitExpected || process != exited || exited.exitValue() == 0) {
                return;
            }
        }
        note("--- exited by itself with code " + exited.exitValue() + "; the supervisor restarts it in "
                + delay.toMillis() + " ms");
        Thread restart = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (exitExpected || process != exited) {
                    return;
                }
                supervisedRestarts++;
                try {
                    launch();
                } catch (RuntimeException | AssertionError e) {
                    note("--- the supervised restart failed: " + e);
                }
            }
        }, name + "-supervisor");
        restart.setDaemon(true);
        restart.start();
    }

    private <T> T awaitOrDeath(CompletableFuture<T> line, Process p, long deadline, String what) {
        while (true) {
            try {
                return line.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!p.isAlive()) {
                    throw new AssertionError(name + " exited with " + p.exitValue() + " before printing '" + what
                            + "'; last output:\n" + String.join("\n", tail()));
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new AssertionError(name + " did not print '" + what + "' within "
                            + startTimeout.toSeconds() + " s; last output:\n" + String.join("\n", tail()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
    }

    private void pump(InputStream stream, String channel, Run current) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    onLine(channel, line, current);
                }
            } catch (IOException e) {
                note("--- " + channel + " closed: " + e.getMessage());
            }
        }, name + "-" + channel);
        t.setDaemon(true);
        current.pumps.add(t);
        t.start();
    }

    private void onLine(String channel, String line, Run current) {
        Matcher admin = ADMIN.matcher(line);
        if (admin.find()) {
            current.admin.complete(admin.group(1));
            // The password is a secret: it is kept for the client but never copied into a log.
            line = line.substring(0, admin.start(1)) + "********";
        }
        Matcher listening = LISTENING.matcher(line);
        if (listening.find()) {
            current.address.complete(listening.group(1));
        }
        if (line.endsWith("Fish initialized")) {
            current.initializedAt = System.nanoTime();
            current.initialized.complete(null);
        }
        note("[" + channel + "] " + line);
    }

    private synchronized void note(String line) {
        tail.addLast(line);
        while (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        try (Writer w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(line);
            w.write('\n');
        } catch (IOException e) {
            // The log file is a diagnostic aid only; the tail above still has the line.
        }
    }
}
