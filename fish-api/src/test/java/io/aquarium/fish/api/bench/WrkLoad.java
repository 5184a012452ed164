package io.aquarium.fish.api.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The load from {@code wrk} when it is installed: far cheaper per request than a JVM client on the same cores. */
final class WrkLoad implements RequestRateLoad {
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([\\d.]+)(ms|s|m)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path wrk;
    private final BenchClient client;
    private final Path scratch;
    private final int threads;

    private WrkLoad(Path wrk, BenchClient client, Path scratch) {
        this.wrk = wrk;
        this.client = client;
        this.scratch = scratch;
        this.threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** {@code wrk} from the PATH, if there is one. */
    static Optional<WrkLoad> find(BenchClient client, Path scratch) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "wrk");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new WrkLoad(candidate, client, scratch));
            }
        }
        return Optional.empty();
    }

    @Override
    public String tool() {
        return "wrk (" + threads + " threads)";
    }

    @Override
    public Result run(String path, boolean authenticated, int connections, Duration warmUp, Duration window)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(wrk.toString(), "-t" + threads, "-c" + connections,
                "--timeout", "10s"));
        if (authenticated) {
            // The credentials go in a private script, not on the command line where `ps` shows them.
            Path script = scratch.resolve("auth.lua");
            Files.deleteIfExists(script);
            Files.createFile(script, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(script, "wrk.headers[\"Authorization\"] = \"" + client.authorization() + "\"\n");
            args.addAll(List.of("-s", script.toString()));
        }
        String url = client.base() + path;
        wrk(args, warmUp, url);
        String out = wrk(args, window, url);
        Matcher total = TOTAL.matcher(out);
        if (!total.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        long requests = Long.parseLong(total.group(1));
        double seconds = Double.parseDouble(total.group(2)) * switch (total.group(3)) {
            case "ms" -> 0.001;
            case "m" -> 60;
            default -> 1;
        };
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(out);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Result(Math.max(0, requests - errors) / seconds, requests, errors);
    }

    private String wrk(List<String> base, Duration duration, String url) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of("-d" + duration.toSeconds() + "s", url));
        Path output = scratch.resolve("wrk.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("wrk did not stop after " + duration.toSeconds() + " s");
            }
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("wrk failed (" + p.exitValue() + "):\n" + out);
        }
        return out;
    }
}
