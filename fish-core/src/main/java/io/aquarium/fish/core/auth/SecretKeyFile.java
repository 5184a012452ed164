package io.aquarium.fish.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * A node-local secret key in a file of raw random bytes: read when it exists, made on first start
 * otherwise, owner-only (0600) from the moment the file exists. Messages name the file, never its
 * content.
 */
public final class SecretKeyFile {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SecretKeyFile() {
    }

    /** The {@code length}-byte key in {@code file}, created with fresh random bytes if the file is absent. */
    public static byte[] loadOrCreate(Path file, int length, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                byte[] key = Files.readAllBytes(file);
                if (key.length != length) {
                    throw new IllegalStateException("Secret key file " + file + " should hold " + length
                            + " bytes; remove it to make a new key");
                }
                return key;
            }
            byte[] key = new byte[length];
            random.nextBytes(key);
            // Written aside and renamed, so a crash never leaves a short key that the next start refuses.
            Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                if (POSIX) {
                    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(temp);
                }
                Files.write(temp, key);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secret key file " + file, e);
        }
    }
}
