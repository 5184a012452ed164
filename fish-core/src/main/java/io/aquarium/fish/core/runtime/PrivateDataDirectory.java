package io.aquarium.fish.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the node's data directory for the node's user alone. It holds the cluster CA key (enough to
 * mint node certificates), the node key and the store (password hashes, every user's metadata), and
 * workloads of the native driver may run on the same host under other users. Directories become
 * 0700 and files 0600; certificates ({@code *.crt}) may stay readable by all, they are public.
 * Bits are only ever removed, and links are never followed (they may point anywhere).
 *
 * <p>Files the store creates while it runs get the process umask; the 0700 directory is what keeps
 * them private until the next start tightens them too.
 */
final class PrivateDataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateDataDirectory.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Set<PosixFilePermission> CERTIFICATE_EXTRA = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);
    private static final int MAX_LOGGED = 20;

    /** A mode this class removed bits from. */
    record Change(Path path, Set<PosixFilePermission> before, Set<PosixFilePermission> after) {
        @Override
        public String toString() {
            return path + " " + PosixFilePermissions.toString(before) + " -> " + PosixFilePermissions.toString(after);
        }
    }

    private PrivateDataDirectory() {
    }

    /** The mode {@code current} should have: the owner's bits, plus read for all on a certificate file. */
    static Set<PosixFilePermission> tightened(Set<PosixFilePermission> current, boolean directory, String fileName) {
        Set<PosixFilePermission> allowed = EnumSet.copyOf(OWNER);
        if (!directory && fileName.endsWith(".crt")) {
            allowed.addAll(CERTIFICATE_EXTRA);
        }
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        result.addAll(current);
        result.retainAll(allowed);
        return result;
    }

    /**
     * Creates {@code dir} if needed and tightens it and everything in it; what an earlier version
     * left readable is logged as a warning.
     */
    static Path create(Path dir) {
        try {
            if (POSIX && !Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER));
            }
            // The real path: an operator may link the data directory elsewhere; links inside are not followed.
            dir = Files.createDirectories(dir).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to create the data directory " + dir, e);
        }
        List<Change> changes = tighten(dir);
        if (!changes.isEmpty()) {
            LOG.warn("Data directory {}: removed group and others' access from {} path(s), which held secrets "
                            + "readable by other users of this host: {}{}", dir, changes.size(),
                    changes.subList(0, Math.min(MAX_LOGGED, changes.size())),
                    changes.size() > MAX_LOGGED ? " ..." : "");
        }
        return dir;
    }

    /** Tightens the files the store has just created in {@code dir} (they get the process umask). */
    static void tightenNewFiles(Path dir) {
        List<Change> changes = tighten(dir);
        if (!changes.isEmpty()) {
            LOG.debug("Data directory {}: made the store's new files private: {}", dir, changes);
        }
    }

    /** Removes group and others' bits throughout {@code dir}; what it changed. A path it cannot change is logged. */
    static List<Change> tighten(Path dir) {
        List<Change> changes = new ArrayList<>();
        if (!POSIX) {
            return changes;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    tightenOne(d, true, changes);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // Links are reported as such when not followed: their targets are not ours to change.
                    if (attrs.isRegularFile()) {
                        tightenOne(file, false, changes);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (!(e instanceof NoSuchFileException)) {
                        LOG.warn("Data directory: unable to check the permissions of {}: {}", file, e.toString());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Data directory {}: unable to check its permissions: {}", dir, e.toString());
        }
        return changes;
    }

    private static void tightenOne(Path path, boolean directory, List<Change> changes) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        try {
            Set<PosixFilePermission> before = view.readAttributes().permissions();
            Set<PosixFilePermission> after = tightened(before, directory, String.valueOf(path.getFileName()));
            if (!after.equals(before)) {
                view.setPermissions(after);
                changes.add(new Change(path, before, after));
            }
        } catch (NoSuchFileException gone) {
            // Removed by the store meanwhile.
        } catch (IOException e) {
            LOG.warn("Data directory: unable to make {} private: {}", path, e.toString());
        }
    }
}
