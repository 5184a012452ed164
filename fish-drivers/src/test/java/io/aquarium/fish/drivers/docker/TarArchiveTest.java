package io.aquarium.fish.drivers.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
        Path out = untar(archive);
        assertEquals("{\"a\":\"é\"}", Files.readString(out.resolve("fish/metadata.json")));
        assertTrue(Files.isSymbolicLink(out.resolve("fish/link")));
        assertEquals("rw-r--r--",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("fish/metadata.json"))));
        assertEquals(1_700_000_000_000L, Files.getLastModifiedTime(out.resolve("fish/metadata.json")).toMillis());
    }

    @Test
    void aLongNameAndLinkTargetUnpack() throws Exception {
        String name = "n".repeat(150);
        byte[] archive = new TarArchive(0).file(name, 0644, "long".getBytes(StandardCharsets.UTF_8))
                .symlink("link", name).toBytes();
        Path out = untar(archive);
        assertEquals("long", Files.readString(out.resolve(name)));
        assertEquals(name, Files.readSymbolicLink(out.resolve("link")).toString());
    }

    /** Unpacks the archive with the system's tar, into a new directory. */
    private Path untar(byte[] archive) throws IOException, InterruptedException {
        Path tar = Files.write(Files.createTempFile(dir, "archive", ".tar"), archive);
        Path out = Files.createTempDirectory(dir, "out");
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", out.toString()).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        return out;
    }
}
