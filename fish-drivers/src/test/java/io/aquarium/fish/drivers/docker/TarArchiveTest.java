package io.aquarium.fish.drivers.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The system's tar must read what the driver writes. */
class TarArchiveTest {
    @TempDir
    Path dir;

    @Test
    void tarUnpacksIt() throws Exception {
        byte[] archive = new TarArchive(1_700_000_000L).directory("fish", 0755)
                .file("fish/metadata.json", 0644, "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8))
                .symlink("fish/link", "metadata.json").toBytes();
        assertEquals(0, archive.length % 512);
        Path tar = dir.resolve("x.tar");
        Files.write(tar, archive);
        Path out = Files.createDirectory(dir.resolve("out"));
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", out.toString()).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertEquals("{\"a\":\"é\"}", Files.readString(out.resolve("fish/metadata.json")));
        assertTrue(Files.isSymbolicLink(out.resolve("fish/link")));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("fish/metadata.json"))));
    }

    @Test
    void aTooLongNameIsRefused() throws IOException {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TarArchive(0).file("x".repeat(101), 0644, new byte[0]));
    }
}
