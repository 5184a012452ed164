package io.aquarium.fish.drivers.docker;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * A small in-memory tar of root-owned entries: the Engine API takes files only as tar. Written by
 * commons-compress (already on the class path through docker-java) with POSIX (pax) headers, so
 * names and link targets longer than ustar's 100 bytes are kept rather than refused.
 */
final class TarArchive {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    private final FileTime mtime;

    TarArchive(long mtimeSeconds) {
        this.mtime = FileTime.from(mtimeSeconds, TimeUnit.SECONDS);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarArchive directory(String path, int mode) {
        return add(entry(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR, mode), new byte[0]);
    }

    TarArchive file(String path, int mode, byte[] content) {
        TarArchiveEntry entry = entry(path, TarConstants.LF_NORMAL, mode);
        entry.setSize(content.length);
        return add(entry, content);
    }

    TarArchive symlink(String path, String target) {
        TarArchiveEntry entry = entry(path, TarConstants.LF_SYMLINK, 0777);
        entry.setLinkName(target);
        return add(entry, new byte[0]);
    }

    /** The archive, ended with its empty blocks: nothing can be added after this. */
    byte[] toBytes() {
        try {
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private TarArchiveEntry entry(String path, byte type, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(path, type);
        entry.setMode(mode);
        entry.setIds(0, 0);
        entry.setNames("root", "root");
        entry.setLastModifiedTime(mtime);
        return entry;
    }

    private TarArchive add(TarArchiveEntry entry, byte[] content) {
        try {
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
