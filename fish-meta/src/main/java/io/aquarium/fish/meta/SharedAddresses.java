package io.aquarium.fish.meta;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Addresses no resource has to itself: every process on the node's host calls from one of them
 * (loopback, or one of the host's own interface addresses), so the Meta API never takes such an
 * address as proof of who the caller is. Workloads on the host (the native driver's processes) show
 * a token instead.
 */
@FunctionalInterface
public interface SharedAddresses {
    boolean contains(InetAddress address);

    /** Loopback, the wildcard address, and the addresses of this host's network interfaces as they are now. */
    static SharedAddresses ofThisHost() {
        return address -> {
            if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
                return true;
            }
            try {
                return NetworkInterface.getByInetAddress(address) != null;
            } catch (SocketException e) {
                // Unable to tell: the safe answer is that anyone on the host could be calling.
                return true;
            }
        };
    }
}
