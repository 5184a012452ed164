package io.aquarium.fish.meta;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Linux ARP table ({@code /proc/net/arp}): IPv4 only. Read on every call (the meta API reaches
 * it only for callers it could not match by IP, and caches the answer). On systems without the file
 * nothing is ever found, so callers are matched by IP only.
 */
public final class ProcNetArp implements NeighbourTable {
    public static final Path LINUX = Path.of("/proc/net/arp");
    private static final Logger LOG = LoggerFactory.getLogger(ProcNetArp.class);
    private static final int ATF_COM = 0x2; // entry complete: the MAC is known

    private final Path file;

    public ProcNetArp(Path file) {
        this.file = file;
    }

    @Override
    public Optional<String> macOf(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return Optional.empty();
        }
        String ip = address.getHostAddress();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Unable to read the ARP table {}: {}", file, e.getMessage());
            return Optional.empty();
        }
        // IP address  HW type  Flags  HW address  Mask  Device  (first line is the header)
        for (int i = 1; i < lines.size(); i++) {
            String[] cols = lines.get(i).trim().split("\\s+");
            if (cols.length >= 4 && cols[0].equals(ip) && complete(cols[2])) {
                Optional<String> mac = MacAddress.normalise(cols[3]);
                if (mac.isPresent()) {
                    return mac;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean complete(String flags) {
        try {
            return (Integer.decode(flags) & ATF_COM) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
