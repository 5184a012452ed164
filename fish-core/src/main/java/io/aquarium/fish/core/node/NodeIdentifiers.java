package io.aquarium.fish.core.node;

import java.util.List;
import java.util.Locale;

/**
 * The identifiers {@code node_filter} globs match against: the configured list, or the original's
 * defaults {@code FishName:}, {@code HostName:}, {@code OS:}, {@code OSVersion:}, {@code Arch:}
 * (with Go's names for OS and architecture, so existing labels keep matching).
 */
public final class NodeIdentifiers {
    private NodeIdentifiers() {
    }

    public static List<String> of(List<String> configured, String nodeName, String hostName) {
        if (!configured.isEmpty()) {
            return List.copyOf(configured);
        }
        return List.of("FishName:" + nodeName, "HostName:" + hostName, "OS:" + goOs(), "OSVersion:"
                + System.getProperty("os.version", ""), "Arch:" + goArch());
    }

    static String goOs() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "darwin";
        }
        if (os.startsWith("windows")) {
            return "windows";
        }
        return os.replace(' ', '_');
    }

    static String goArch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
    }
}
