package io.aquarium.fish.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The machine's host name, the default node name (like Go's {@code os.Hostname()}). */
final class LocalHostname {
    static final String FALLBACK = "fish-node";

    private LocalHostname() {
    }

    static String get() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (UnknownHostException | SecurityException e) {
            // Host name set but not resolvable: containers often have one only in the environment.
        }
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String name = System.getenv(variable);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        }
        return FALLBACK;
    }
}
