package io.aquarium.fish.drivers.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small in-memory tar writer (POSIX ustar, root-owned entries): the Engine API takes files only
 * as tar, and the driver sends no more than a directory and a file or two.
 */
final class TarArchive {
    private static final int BLOCK = 512;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long mtime;

    TarArchive(long mtimeSeconds) {
        this.mtime = mtimeSeconds;
    }

    TarArchive directory(String path, int mode) {
        header(path.endsWith("/") ? path : path + "/", mode, 0, '5', "");
        return this;
    }

    TarArchive file(String path, int mode, byte[] content) {
        header(path, mode, content.length, '0', "");
        out.writeBytes(content);
        int rest = content.length % BLOCK;
        if (rest != 0) {
            out.writeBytes(new byte[BLOCK - rest]);
        }
        return this;
    }

    TarArchive symlink(String path, String target) {
        header(path, 0777, 0, '2', target);
        return this;
    }

    /** The archive, closed with its two empty blocks. */
    byte[] toBytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[2 * BLOCK]);
        return copy.toByteArray();
    }

    private void header(String name, int mode, long size, char type, String link) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(h);
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        put(h, offset, length, (String.format("%0" + (length - 1) + "o", value) + "\0")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("tar header field too long");
        }
        System.arraycopy(value, 0, h, offset, value.length);
    }
}
