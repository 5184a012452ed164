package io.aquarium.fish.meta;

import io.aquarium.fish.core.auth.MetaTokens;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.store.FishStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Finds the resource a Meta API caller is: one this node holds for an ALLOCATED application, named
 * by the caller's token ({@link MetaTokens}), or else whose IP is the caller's address or, for
 * callers inside {@link MetaNetworks}, whose MAC is the one the kernel's neighbour table has for that
 * address.
 *
 * <p>An address proves who the caller is only when it is one resource's alone. So an address that a
 * resource running on the node's host records (the native driver's processes call from the host's
 * own addresses, as does everything else on the host) never matches, and an address (or MAC) that
 * more than one ALLOCATED resource of this node records matches none of them: answering with any one
 * would hand its metadata to the others. Such callers use their token. A lone test-driver resource
 * (127.0.0.1, standing in for a VM) is still known by its address, as the REST v1 contract has it.
 *
 * <p>The caller's address is the socket's. Forwarded headers count only when the socket address is a
 * trusted proxy; then {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and
 * the first other address is the caller (the left part of the header is whatever the client sent, so
 * taking the leftmost entry would let a client behind an appending proxy claim any address).
 * Without {@code X-Forwarded-For}, {@code X-Real-IP} is used.
 *
 * <p>A VM polls every second or so, so answers (also "no match") are cached per address for
 * {@link #DEFAULT_TTL}. Every application state change on this node ({@link #invalidate()}) drops the
 * cache, so a local allocation or deallocation is seen at once; the TTL bounds staleness for changes
 * made elsewhere in a cluster.
 */
public final class CallerResolver {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(1);
    static final int MAX_CACHED = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(CallerResolver.class);

    private final FishStore store;
    private final UUID nodeUid;
    private final MetaTokens tokens;
    private final Predicate<Resource> runsOnTheHost;
    private final List<Cidr> trustedProxies;
    private final MetaNetworks metaNetworks;
    private final NeighbourTable neighbours;
    private final Clock clock;
    private final long ttlMillis;
    /** Keyed by caller address ({@link InetAddress}) or, for verified tokens, by application UID. */
    private final ConcurrentHashMap<Object, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** The answer for one address or token, valid until {@code expiresAt} and while nothing changed since {@code generation}. */
    private record Cached(Optional<Resource> resource, long expiresAt, long generation) {
    }

    public CallerResolver(FishStore store, UUID nodeUid, MetaTokens tokens, Predicate<Resource> runsOnTheHost,
                          List<Cidr> trustedProxies, MetaNetworks metaNetworks, NeighbourTable neighbours, Clock clock,
                          Duration ttl) {
        this.store = store;
        this.nodeUid = nodeUid;
        this.tokens = tokens;
        this.runsOnTheHost = runsOnTheHost;
        this.trustedProxies = List.copyOf(trustedProxies);
        this.metaNetworks = metaNetworks;
        this.neighbours = neighbours;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    /**
     * The caller's resource, if it is one this node holds for an ALLOCATED application.
     *
     * @param socketAddress the connection's remote address as the server reports it
     * @param forwardedFor  every {@code X-Forwarded-For} header line (may be empty)
     * @param realIp        the {@code X-Real-IP} header, or null
     */
    public Optional<Resource> resolve(String socketAddress, List<String> forwardedFor, String realIp) {
        Optional<InetAddress> caller = callerAddress(socketAddress, forwardedFor, realIp);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        InetAddress address = caller.get();
        return cached(address, () -> lookup(address));
    }

    /**
     * The resource {@code token} was made for, if this node made it and holds that resource for an
     * ALLOCATED application. The caller's address plays no part.
     */
    public Optional<Resource> resolveToken(String token) {
        // Checked before the cache, so only genuine tokens take cache space.
        Optional<UUID> application = tokens.applicationOf(token);
        if (application.isEmpty()) {
            return Optional.empty();
        }
        UUID app = application.get();
        return cached(app, () -> store.resourceOfApplication(app)
                .filter(r -> nodeUid.equals(r.nodeUid()) && allocated(r)));
    }

    private Optional<Resource> cached(Object key, Supplier<Optional<Resource>> lookup) {
        long now = clock.millis();
        long gen = generation.get();
        Cached hit = cache.get(key);
        if (hit != null && hit.generation() == gen && now < hit.expiresAt() && now >= hit.expiresAt() - ttlMillis) {
            return hit.resource();
        }
        Optional<Resource> found = lookup.get();
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // many distinct callers: bound memory, the store answers anyway
        }
        // Tagged with the generation read before the lookup: if an invalidation raced it, the entry is stale at once.
        cache.put(key, new Cached(found, now + ttlMillis, gen));
        return found;
    }

    /** Application states changed: forget every cached answer. */
    public void invalidate() {
        generation.incrementAndGet();
        cache.clear();
    }

    /** The address the request comes from, by the trusted-proxy rules above; empty when unreadable. */
    Optional<InetAddress> callerAddress(String socketAddress, List<String> forwardedFor, String realIp) {
        Optional<InetAddress> socket = IpLiteral.parse(socketAddress);
        if (socket.isEmpty() || !trusted(socket.get())) {
            return socket;
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String hop : line.split(",")) {
                hops.add(hop.trim());
            }
        }
        if (hops.isEmpty() || hops.stream().allMatch(String::isEmpty)) {
            return Optional.of(IpLiteral.parse(realIp).orElse(socket.get()));
        }
        Collections.reverse(hops);
        InetAddress last = socket.get();
        for (String hop : hops) {
            Optional<InetAddress> a = IpLiteral.parse(hop);
            if (a.isEmpty()) {
                // Garbage came from beyond the trusted proxies: the caller is the last trusted hop.
                return Optional.of(last);
            }
            if (!trusted(a.get())) {
                return a;
            }
            last = a.get();
        }
        return Optional.of(last);
    }

    private boolean trusted(InetAddress address) {
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private Optional<Resource> lookup(InetAddress address) {
        Map<UUID, Resource> byIp = new LinkedHashMap<>();
        for (String spelling : IpLiteral.spellings(address)) {
            for (Resource r : store.resourcesByIp(nodeUid, spelling)) {
                if (allocated(r)) {
                    byIp.put(r.uid(), r);
                }
            }
        }
        if (!byIp.isEmpty()) {
            if (byIp.values().stream().anyMatch(runsOnTheHost)) {
                return Optional.empty(); // the host's own address: any process on it calls from there
            }
            return onlyOne(byIp.values(), address);
        }
        if (!metaNetworks.contains(address)) {
            return Optional.empty();
        }
        Optional<String> mac = neighbours.macOf(address);
        if (mac.isEmpty()) {
            return Optional.empty();
        }
        return onlyOne(store.resourcesOfNode(nodeUid).stream()
                .filter(r -> MacAddress.normalise(r.hwAddr()).equals(mac) && allocated(r)).toList(), address);
    }

    /** The match when there is exactly one: an address several resources record proves nothing. */
    private static Optional<Resource> onlyOne(Collection<Resource> matches, InetAddress address) {
        if (matches.size() == 1) {
            return Optional.of(matches.iterator().next());
        }
        if (matches.size() > 1) {
            LOG.debug("Meta API caller {} matches {} allocated resources: none answers for it", address.getHostAddress(),
                    matches.size());
        }
        return Optional.empty();
    }

    private boolean allocated(Resource resource) {
        return store.currentState(resource.applicationUid()).map(ApplicationState::status)
                .filter(s -> s == ApplicationStatus.ALLOCATED).isPresent();
    }
}
