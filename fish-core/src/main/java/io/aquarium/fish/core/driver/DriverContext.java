package io.aquarium.fish.core.driver;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What a driver may use from its node: its working directory and clock, nothing else. The node's
 * data directory is named only so a driver can keep what it hands to workloads out of it.
 *
 * @param dataDirectory the node's data directory, null when there is none (a driver alone in a test)
 */
public record DriverContext(Path workDirectory, String nodeName, Clock clock, Path dataDirectory) {
    /** A context without a data directory. */
    public DriverContext(Path workDirectory, String nodeName, Clock clock) {
        this(workDirectory, nodeName, clock, null);
    }
}
