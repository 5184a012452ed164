package io.aquarium.fish.meta;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The networks this node controls, where the Meta API may match a caller by MAC: the configured
 * {@code meta_networks}, or by default the networks of this host's interfaces that are up (not
 * loopback). The driver SPI does not say which interfaces a driver uses, so the default takes them
 * all, re-read every {@link #LOCAL_REFRESH} because drivers create bridges after start.
 */
public final class MetaNetworks {
    static final Duration LOCAL_REFRESH = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MetaNetworks.class);

    private final Supplier<List<Cidr>> source;
    private final Clock clock;
    private final Duration refresh;
    private volatile Snapshot snapshot;

    private record Snapshot(List<Cidr> networks, long readAtMillis) {
    }

    MetaNetworks(Supplier<List<Cidr>> source, Clock clock, Duration refresh) {
        this.source = source;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** {@code specs} from the config (validated there); empty = this host's interface networks. */
    public static MetaNetworks fromConfig(List<String> specs, Clock clock) {
        if (specs.isEmpty()) {
            return new MetaNetworks(MetaNetworks::localInterfaceNetworks, clock, LOCAL_REFRESH);
        }
        List<Cidr> fixed = specs.stream().map(Cidr::parse).toList();
        return new MetaNetworks(() -> fixed, clock, Duration.ofMillis(Long.MAX_VALUE));
    }

    public boolean contains(InetAddress address) {
        return networks().stream().anyMatch(n -> n.contains(address));
    }

    List<Cidr> networks() {
        long now = clock.millis();
        Snapshot s = snapshot;
        if (s == null || now - s.readAtMillis() >= refresh.toMillis() || now < s.readAtMillis()) {
            s = new Snapshot(List.copyOf(source.get()), now);
            snapshot = s;
        }
        return s.networks();
    }

    static List<Cidr> localInterfaceNetworks() {
        List<Cidr> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    InetAddress ip = a.getAddress();
                    if (ip != null) {
                        out.add(Cidr.of(ip, a.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("Unable to list the network interfaces: {}", e.getMessage());
        }
        return out;
    }
}
