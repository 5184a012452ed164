package io.aquarium.fish.drivers.nativeproc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds and signals a workload's processes. On Linux {@code /proc} gives what a process's session
 * and owner are (children that left the tree, e.g. daemons reparented to init, stay in the
 * session); elsewhere only the leader's descendants are known.
 */
final class ProcessTree {
    private final Path proc;

    ProcessTree(Path proc) {
        this.proc = proc;
    }

    static ProcessTree system() {
        return new ProcessTree(Path.of("/proc"));
    }

    /**
     * What tells this process apart from a later one given the same PID: its start time in clock
     * ticks since boot (stable, unlike a wall-clock time that moves with the clock), or the JVM's
     * start instant where {@code /proc} is missing; empty when the process does not exist.
     */
    Optional<String> identity(long pid) {
        Optional<String[]> stat = stat(pid);
        if (stat.isPresent()) {
            String[] f = stat.get();
            return f.length > 19 ? Optional.of("ticks:" + f[19]) : Optional.empty();
        }
        if (Files.isDirectory(proc)) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant())
                .map(i -> "millis:" + i.toEpochMilli());
    }

    /** The session of {@code pid}, when it is alive and {@code /proc} says. */
    OptionalLong session(long pid) {
        return stat(pid).filter(f -> f.length > 3 && !"Z".equals(f[0]))
                .map(f -> OptionalLong.of(Long.parseLong(f[3]))).orElse(OptionalLong.empty());
    }

    boolean isAlive(long pid) {
        Optional<String[]> stat = stat(pid);
        if (stat.isPresent()) {
            return !"Z".equals(stat.get()[0]);
        }
        return !Files.isDirectory(proc) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The live processes of {@code record}'s workload: its session, the leader's descendants, its cgroup and user. */
    Set<Long> members(ProcessRecord record, Cgroups cgroups) {
        Set<Long> out = new HashSet<>();
        long leader = record.pid();
        if (leader > 0) {
            Optional<String> now = identity(leader);
            boolean same = now.isPresent() && (record.identity().isEmpty() || record.identity().equals(now.get()));
            if (same) {
                out.add(leader);
                ProcessHandle.of(leader).ifPresent(h -> h.descendants().forEach(d -> out.add(d.pid())));
            }
            // With the leader gone its PID cannot be reused while the session has members, so they are ours.
            if (same || now.isEmpty()) {
                out.addAll(matching(f -> f.length > 3 && f[3].equals(Long.toString(leader))));
            }
        }
        if (!record.cgroup().isEmpty()) {
            out.addAll(cgroups.members(Path.of(record.cgroup())));
        }
        if (!record.user().isEmpty()) {
            OsUsers.uid(record.user()).ifPresent(uid -> out.addAll(ownedBy(uid)));
        }
        out.removeIf(pid -> pid == ProcessHandle.current().pid() || !isAlive(pid));
        return out;
    }

    /** Sends SIGTERM ({@code force} false) or SIGKILL to each of {@code pids} that still exists. */
    void signal(Set<Long> pids, boolean force) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                if (force) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            });
        }
    }

    private Set<Long> ownedBy(int uid) {
        Set<Long> out = new HashSet<>();
        for (long pid : pids()) {
            try {
                Object owner = Files.getAttribute(proc.resolve(Long.toString(pid)), "unix:uid");
                if (owner instanceof Integer o && o == uid) {
                    out.add(pid);
                }
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException gone) {
                // Ended while we looked, or no unix attributes here: not one to signal.
            }
        }
        return out;
    }

    private Set<Long> matching(java.util.function.Predicate<String[]> test) {
        Set<Long> out = new HashSet<>();
        for (long pid : pids()) {
            stat(pid).filter(test).ifPresent(f -> out.add(pid));
        }
        return out;
    }

    private Set<Long> pids() {
        Set<Long> out = new HashSet<>();
        if (!Files.isDirectory(proc)) {
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path p : dir) {
                try {
                    out.add(Long.parseLong(p.getFileName().toString()));
                } catch (NumberFormatException notAPid) {
                    // e.g. a name that only starts with a digit
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [3] session... */
    private Optional<String[]> stat(long pid) {
        try {
            String s = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // The command name may contain spaces and parentheses; it ends at the last ')'.
            int end = s.lastIndexOf(')');
            return end < 0 ? Optional.empty() : Optional.of(s.substring(end + 1).trim().split("\\s+"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
