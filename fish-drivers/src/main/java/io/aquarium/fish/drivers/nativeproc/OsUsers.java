package io.aquarium.fish.drivers.nativeproc;

import io.aquarium.fish.core.driver.DriverException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.OptionalInt;

/** Throw-away OS users, one per resource, made and removed with the host's own tools. */
final class OsUsers {
    /** userdel's exit code for "no such user". */
    private static final int USERDEL_NO_USER = 6;

    private final Commands commands;
    private final Path useradd;
    private final Path userdel;

    OsUsers(Commands commands, Path useradd, Path userdel) {
        this.commands = commands;
        this.useradd = useradd;
        this.userdel = userdel;
    }

    /** Makes system user {@code name} (with its own group, no home created) and gives it {@code home}. */
    void create(String name, Path home) {
        Commands.Result r = commands.run(List.of(useradd.toString(), "--system", "--no-create-home", "--user-group",
                "--home-dir", home.toString(), "--shell", "/usr/sbin/nologin", name));
        if (r.exitCode() != 0) {
            throw new DriverException("native driver: unable to create user " + name + ": " + r.output());
        }
        give(name, home);
    }

    /** Makes user {@code name} (and its group) the owner of {@code path}; a link is changed, never followed. */
    void give(String name, Path path) {
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(name);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            view.setOwner(user);
            view.setGroup(group);
        } catch (IOException e) {
            throw new DriverException("native driver: unable to give " + path + " to user " + name + ": " + e, e);
        }
    }

    /** Removes user {@code name}; succeeds when it is already gone. */
    void delete(String name) {
        Commands.Result r = commands.run(List.of(userdel.toString(), name));
        if (r.exitCode() != 0 && r.exitCode() != USERDEL_NO_USER) {
            throw new DriverException("native driver: unable to remove user " + name + ": " + r.output());
        }
    }

    /** The UID of {@code name} from {@code /etc/passwd}, when it has one there. */
    static OptionalInt uid(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(name)) {
                    return OptionalInt.of(Integer.parseInt(f[2]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /** Whether this process runs as root (the owner of /proc/self is the effective user). */
    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
