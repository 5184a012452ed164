package io.aquarium.fish.core.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.aquarium.fish.core.config.FishConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data directory holds the CA key and the store: the node's user alone may read it. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class PrivateDataDirectoryTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(PrivateDataDirectory.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void onlyTheOwnersBitsStayAndCertificatesMayBeReadByAll() {
        assertEquals("rwx------", tightened("rwxr-xr-x", true, "ignite"));
        assertEquals("rw-------", tightened("rw-r--r--", false, "fish.mv.db"));
        assertEquals("rw-------", tightened("rw-rw-rw-", false, "ca.key"));
        assertEquals("rw-r--r--", tightened("rw-rw-rw-", false, "ca.crt"));
        assertEquals("rw-------", tightened("rw-------", false, "node-1.crt"));
        assertEquals("r--------", tightened("r--r-----", false, "fish.trace.db"), "bits are never added");
        assertEquals("rwx------", tightened("rwxr-xr-x", true, "certs.crt"), "a directory is no certificate");
    }

    @Test
    void aNewDataDirectoryIsPrivateFromTheStart() throws IOException {
        Path data = PrivateDataDirectory.create(dir.resolve("a/fish_data"));

        assertEquals("rwx------", mode(data));
        assertEquals(List.of(), warnings(), "nothing was ever open");
    }

    @Test
    void anExistingInstallIsTightenedOnStart() throws IOException {
        // As an earlier version left it, with the usual umask 022.
        Path data = Files.createDirectory(dir.resolve("fish_data"), perms("rwxr-xr-x"));
        Path store = file(data.resolve("fish.mv.db"), "rw-r--r--");
        Path caKey = file(data.resolve("ca.key"), "rw-r--r--");
        Path caCrt = file(data.resolve("ca.crt"), "rw-r--r--");
        Path ignite = Files.createDirectories(data.resolve("ignite/wal"), perms("rwxr-xr-x"));
        Path segment = file(ignite.resolve("0000.wal"), "rw-rw-r--");
        Path outside = file(dir.resolve("elsewhere.txt"), "rw-r--r--");
        Path link = Files.createSymbolicLink(data.resolve("link"), outside);

        PrivateDataDirectory.create(data);

        assertEquals(1, warnings().size());
        assertTrue(warnings().get(0).contains(store + " rw-r--r-- -> rw-------"), warnings().get(0));
        assertEquals("rwx------", mode(data));
        assertEquals("rw-------", mode(store));
        assertEquals("rw-------", mode(caKey));
        assertEquals("rw-r--r--", mode(caCrt));
        assertEquals("rwx------", mode(data.resolve("ignite")));
        assertEquals("rwx------", mode(ignite));
        assertEquals("rw-------", mode(segment));
        assertEquals("rw-r--r--", mode(outside), "a link's target is not the node's to change");
        assertEquals(outside, Files.readSymbolicLink(link));
        assertEquals(0, PrivateDataDirectory.tighten(data).size(), "a second pass has nothing left to do");
    }

    @Test
    void aNodeKeepsItsDataDirectoryPrivateAndTightensWhatAnEarlierVersionLeftOpen() throws IOException {
        Path data = dir.resolve("fish_data");
        FishConfig config = FishConfig.builder().nodeName("node-1").apiAddress("127.0.0.1:0").directory(data).build();
        FishNode.start(config, Clock.systemUTC(), password -> { }, () -> { }).close();

        assertEquals("rwx------", mode(data));
        assertEquals("rw-------", mode(data.resolve("fish.mv.db")), "users' password hashes and metadata");
        assertEquals("rw-------", mode(data.resolve("ca.key")));
        assertEquals("rw-------", mode(data.resolve("node-1.key")));
        assertEquals("rw-r--r--", mode(data.resolve("ca.crt")));

        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("fish.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        FishNode.start(config, Clock.systemUTC(), password -> { }, () -> { }).close();

        assertEquals("rwx------", mode(data));
        assertEquals("rw-------", mode(data.resolve("fish.mv.db")));
    }

    private static String tightened(String mode, boolean directory, String name) {
        return PosixFilePermissions.toString(PrivateDataDirectory.tightened(PosixFilePermissions.fromString(mode),
                directory, name));
    }

    private static Path file(Path path, String mode) throws IOException {
        Files.writeString(path, "x");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    private static FileAttribute<?> perms(String mode) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
