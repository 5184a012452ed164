package io.aquarium.fish.meta;

import java.net.InetAddress;
import java.util.Optional;

/** The kernel's IP → MAC table for directly attached networks (ARP). */
@FunctionalInterface
public interface NeighbourTable {
    /** The MAC of {@code address}, normalised by {@link MacAddress#normalise}, if the kernel knows it. */
    Optional<String> macOf(InetAddress address);
}
