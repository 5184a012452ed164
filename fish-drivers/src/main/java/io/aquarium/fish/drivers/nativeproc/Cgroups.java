package io.aquarium.fish.drivers.nativeproc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Per-resource cgroup v2 directories under {@code parent} (whose own parent is a cgroup v2 with the
 * cpu and memory controllers), carrying the resource's {@code cpu.max} and {@code memory.max}.
 * Whether that works is found out once; when it does not, limits are not enforced and that is said
 * once in the log: a host without cgroup v2 still runs workloads.
 */
final class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
    private static final long PERIOD_US = 100_000;
    private static final long GB = 1024L * 1024 * 1024;
    private static final List<String> CONTROLLERS = List.of("cpu", "memory");

    private final Path parent;
    private Boolean usable;

    Cgroups(Path parent) {
        this.parent = parent;
    }

    /** The cgroup made for {@code identifier} with the limits of {@code cpu} vCPUs and {@code ramGb}; empty when cgroups are unusable. */
    synchronized Optional<Path> create(String identifier, int cpu, int ramGb) {
        if (!usable()) {
            return Optional.empty();
        }
        Path dir = parent.resolve(identifier);
        try {
            Files.createDirectories(dir);
            if (cpu > 0) {
                Files.writeString(dir.resolve("cpu.max"), (cpu * PERIOD_US) + " " + PERIOD_US);
            }
            if (ramGb > 0) {
                Files.writeString(dir.resolve("memory.max"), Long.toString(ramGb * GB));
            }
            return Optional.of(dir);
        } catch (IOException e) {
            LOG.warn("native driver: no cgroup for {}, its limits are not enforced: {}", identifier, e.toString());
            remove(dir);
            return Optional.empty();
        }
    }

    /** The processes in {@code dir}. */
    Set<Long> members(Path dir) {
        Set<Long> out = new HashSet<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return out;
        }
        return out;
    }

    /** Removes an empty cgroup; a cgroup directory can only go once its processes are gone. */
    void remove(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (NoSuchFileException gone) {
            // Already removed.
        } catch (IOException e) {
            LOG.warn("native driver: unable to remove cgroup {}: {}", dir, e.toString());
        }
    }

    private boolean usable() {
        if (usable == null) {
            String why = prepare();
            usable = why == null;
            if (why != null) {
                LOG.info("native driver: CPU and memory limits are not enforced ({})", why);
            }
        }
        return usable;
    }

    /** Makes the parent cgroup with cpu and memory delegated to its children; null on success, else why not. */
    private String prepare() {
        Path root = parent.getParent();
        if (root == null) {
            return "no parent cgroup for " + parent;
        }
        try {
            String available = Files.readString(root.resolve("cgroup.controllers"), StandardCharsets.UTF_8);
            Set<String> have = Set.of(available.trim().split("\\s+"));
            if (!have.containsAll(CONTROLLERS)) {
                return "cgroup v2 at " + root + " lacks the cpu or memory controller";
            }
            enable(root);
            Files.createDirectories(parent);
            enable(parent);
            return null;
        } catch (NoSuchFileException e) {
            return "no cgroup v2 at " + root;
        } catch (IOException | RuntimeException e) {
            return "unable to set up cgroup " + parent + ": " + e;
        }
    }

    private static void enable(Path cgroup) throws IOException {
        Path control = cgroup.resolve("cgroup.subtree_control");
        String current = Files.exists(control) ? Files.readString(control, StandardCharsets.UTF_8) : "";
        Set<String> enabled = Set.of(current.trim().split("\\s+"));
        for (String c : CONTROLLERS) {
            if (!enabled.contains(c)) {
                Files.writeString(control, "+" + c);
            }
        }
    }
}
