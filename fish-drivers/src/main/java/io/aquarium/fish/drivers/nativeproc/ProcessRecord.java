package io.aquarium.fish.drivers.nativeproc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What a workspace remembers about its workload, so a restarted node can still find and end it:
 * the session leader's PID and start identity (a reused PID has another), the OS user and the
 * cgroup made for it. Written before each of them is created, so a crash leaves enough to clean up.
 *
 * @param pid      the session leader, 0 before the process started
 * @param identity the leader's start identity ({@link ProcessTree#identity}), "" when unknown
 * @param user     the throw-away user's name, "" for none
 * @param cgroup   the resource's cgroup directory, "" for none
 */
record ProcessRecord(long pid, String identity, String user, String cgroup) {
    static final ProcessRecord EMPTY = new ProcessRecord(0, "", "", "");
    private static final JsonMapper JSON = new JsonMapper();

    ProcessRecord {
        identity = identity == null ? "" : identity;
        user = user == null ? "" : user;
        cgroup = cgroup == null ? "" : cgroup;
    }

    ProcessRecord withUser(String name) {
        return new ProcessRecord(pid, identity, name, cgroup);
    }

    ProcessRecord withCgroup(String dir) {
        return new ProcessRecord(pid, identity, user, dir);
    }

    ProcessRecord withProcess(long leader, String startIdentity) {
        return new ProcessRecord(leader, startIdentity, user, cgroup);
    }

    /** Replaces {@code file} in one step (a half-written record would lose the workload). */
    void write(Path file) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("pid", pid).put("identity", identity).put("user", user).put("cgroup", cgroup);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        // The node's alone, like everything in the workspace outside the workload's home and log.
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, JSON.writeValueAsBytes(o));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The record in {@code file}; empty when there is none or it is not one this driver wrote. */
    static Optional<ProcessRecord> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (n == null || !n.isObject() || !n.path("pid").canConvertToLong()) {
                return Optional.empty();
            }
            return Optional.of(new ProcessRecord(n.path("pid").asLong(), n.path("identity").asText(""),
                    n.path("user").asText(""), n.path("cgroup").asText("")));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
