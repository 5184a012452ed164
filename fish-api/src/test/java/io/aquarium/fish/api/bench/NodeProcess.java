package io.aquarium.fish.api.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged node started the way a user starts it ({@code java -Xmx1g -jar aquarium-fish.jar -c fish.yml})
 * in a fresh temporary working directory, stopped (and its directory removed) on {@link #close()} or when
 * this JVM exits early.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern PASSWORD = Pattern.compile("Admin user pass: (\\S+)");
    private static final Pattern LISTENING = Pattern.compile("API listening on: (\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Path workDir;
    private final Process process;
    private final Thread killOnExit;
    private String adminPassword;
    private String address;
    private boolean keepWorkDir;
    private boolean restarting;

    private NodeProcess(Path workDir, Process process) {
        this.workDir = workDir;
        this.process = process;
        // Ctrl-C on Maven must not leave a node (or its directory) behind.
        this.killOnExit = new Thread(this::killAndRemove, "fish-bench-node-killer");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Writes {@code fishYml} to a new temporary directory and starts the jar there; waits until the API listens. */
    static NodeProcess start(Path jar, String fishYml) throws IOException, InterruptedException {
        return start(jar, fishYml, Files.createTempDirectory("fish-bench-"), null);
    }

    /** Like {@link #start(Path, String)} with the node's heap limited to {@code maxHeap} ({@code -Xmx}). */
    static NodeProcess start(Path jar, String fishYml, String maxHeap) throws IOException, InterruptedException {
        return start(jar, fishYml, Files.createTempDirectory("fish-bench-"), null, maxHeap);
    }

    /**
     * Starts the jar in {@code dir} (which may hold a node's data already) with {@code fishYml}. A node
     * whose store has its admin already prints no password: give it as {@code knownAdminPassword}.
     */
    static NodeProcess start(Path jar, String fishYml, Path dir, String knownAdminPassword)
            throws IOException, InterruptedException {
        return start(jar, fishYml, dir, knownAdminPassword, "1g");
    }

    private static NodeProcess start(Path jar, String fishYml, Path dir, String knownAdminPassword, String maxHeap)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("node jar not found: " + jar.toAbsolutePath() + " (run the package phase first)");
        }
        Path cfg = dir.resolve("fish.yml");
        Files.writeString(cfg, fishYml);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + maxHeap));
        // For profiling a benchmark's node, e.g. -Dfish.bench.nodeJvmOptions=-XX:StartFlightRecording=dumponexit=true,filename=/tmp/node.jfr
        String extra = System.getProperty("fish.bench.nodeJvmOptions", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "-c", cfg.toString()));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("node.out").toFile())
                .redirectError(dir.resolve("node.err").toFile())
                .start();
        NodeProcess node = new NodeProcess(dir, p);
        node.adminPassword = knownAdminPassword;
        try {
            node.awaitStarted();
            return node;
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.keepWorkDir = true;
            node.close();
            throw e;
        }
    }

    private void awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(workDir.resolve("node.out"), StandardCharsets.UTF_8);
            String err = Files.readString(workDir.resolve("node.err"), StandardCharsets.UTF_8);
            Matcher pw = PASSWORD.matcher(err);
            Matcher api = LISTENING.matcher(out);
            if ((adminPassword != null || pw.find()) && api.find()) {
                adminPassword = adminPassword != null ? adminPassword : pw.group(1);
                address = api.group(1);
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the node exited with code " + process.exitValue()
                        + " before it listened; its output:\n" + tail(out + err, 40));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the node did not report 'API listening on:' within " + START_TIMEOUT.toSeconds()
                + " s; its output:\n" + tail(Files.readString(workDir.resolve("node.out")), 40));
    }

    long pid() {
        return process.pid();
    }

    String adminPassword() {
        return adminPassword;
    }

    /** host:port as the node printed it. */
    String address() {
        return address;
    }

    Path caCertificate() {
        return workDir.resolve("fish_data").resolve("ca.crt");
    }

    Path workDir() {
        return workDir;
    }

    /** The node's log so far (stdout only: stderr carries the admin password). */
    String log() {
        try {
            return Files.readString(workDir.resolve("node.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the node's log (stdout only: stderr carries the admin password). */
    String logTail(int lines) {
        try {
            return tail(Files.readString(workDir.resolve("node.out")), lines);
        } catch (IOException e) {
            return "(node log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Keeps the working directory, silently: another node process starts on it next. */
    void keepWorkDirForRestart() {
        keepWorkDir = true;
        restarting = true;
    }

    /** Keeps the working directory (with the node log) for a look after a failed run. */
    void keepWorkDir() {
        keepWorkDir = true;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the node's shutdown hook closes the store cleanly
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs anyway
        }
        if (restarting) {
            return;
        }
        if (keepWorkDir) {
            System.err.println("# node working directory kept: " + workDir);
        } else {
            deleteRecursively(workDir);
        }
    }

    private void killAndRemove() {
        try {
            process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            deleteRecursively(workDir);
        } catch (InterruptedException | RuntimeException e) {
            // best effort while the JVM exits
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = new ArrayList<>(text.lines().filter(l -> !PASSWORD.matcher(l).find()).toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
