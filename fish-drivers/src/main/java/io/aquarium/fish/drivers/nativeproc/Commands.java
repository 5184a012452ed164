package io.aquarium.fish.drivers.nativeproc;

import io.aquarium.fish.core.driver.DriverException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs the host's helper programs (useradd, userdel) and finds programs on the PATH. */
final class Commands {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT = 500;
    // Admin tools live in sbin, which a service's PATH often lacks.
    private static final List<String> EXTRA_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    record Result(int exitCode, String output) {
    }

    /** Runs {@code argv} with no input; its output (stdout and stderr, shortened) for messages. */
    Result run(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(64 * 1024);
            }
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DriverException("native driver: " + argv.get(0) + " did not finish in " + TIMEOUT);
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            return new Result(p.exitValue(), text.length() > MAX_OUTPUT ? text.substring(0, MAX_OUTPUT) + "..." : text);
        } catch (IOException e) {
            throw new DriverException("native driver: unable to run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("native driver: interrupted while running " + argv.get(0), e);
        }
    }

    /** The executable {@code name} on {@code path} (a PATH value) or in the usual system directories. */
    static Optional<Path> find(String name, String path) {
        Set<String> dirs = new LinkedHashSet<>();
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(EXTRA_DIRS);
        List<Path> candidates = new ArrayList<>();
        for (String d : dirs) {
            candidates.add(Path.of(d, name));
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
