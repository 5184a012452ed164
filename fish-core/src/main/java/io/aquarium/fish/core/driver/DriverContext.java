package io.aquarium.fish.core.driver;

import java.nio.file.Path;
import java.time.Clock;

/** What a driver may use from its node: its working directory and clock, nothing else. */
public record DriverContext(Path workDirectory, String nodeName, Clock clock) {
}
