package io.aquarium.fish.meta;

import io.aquarium.fish.core.auth.MetaTokens;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.store.h2.H2Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Matching callers to resources against a real H2 store. */
class CallerResolverTest {
    private static final UUID NODE = UUID.randomUUID();
    private static final UUID OTHER_NODE = UUID.randomUUID();
    /** Resources that run on this test's host (the native driver's, in a node). */
    private final Set<UUID> onTheHost = new HashSet<>();

    @TempDir
    Path dir;
    H2Store store;
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    MetaTokens tokens = new MetaTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    Instant created = Instant.parse("2025-01-01T00:00:00Z");
    Path arp;

    @BeforeEach
    void open() throws IOException {
        store = H2Store.open(dir.resolve("data"));
        arp = dir.resolve("arp");
        Files.writeString(arp, """
                IP address       HW type     Flags       HW address            Mask     Device
                192.168.122.50   0x1         0x2         aa:bb:cc:dd:ee:ff     *        virbr0
                192.168.122.51   0x1         0x0         00:00:00:00:00:00     *        virbr0
                192.168.122.52   0x1         0x0         11:22:33:44:55:66     *        virbr0
                10.9.9.9         0x1         0x2         aa:bb:cc:dd:ee:ff     *        eth0
                """);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private CallerResolver resolver(List<String> trustedProxies, List<String> metaNetworks) {
        return new CallerResolver(store, NODE, tokens, r -> onTheHost.contains(r.uid()), trustedProxies.stream().map(Cidr::parse).toList(),
                MetaNetworks.fromConfig(metaNetworks, clock), new ProcNetArp(arp), clock, CallerResolver.DEFAULT_TTL);
    }

    private CallerResolver resolver() {
        return resolver(List.of(), List.of("192.168.122.0/24"));
    }

    /** An application in {@code status} with a resource of {@code node} at that IP/MAC; returns the resource. */
    private Resource resource(UUID node, ApplicationStatus status, String ip, String mac) {
        created = created.plusSeconds(1);
        UUID app = UUID.randomUUID();
        store.createApplication(new Application(app, created, "admin", UUID.randomUUID(), RawJson.EMPTY_OBJECT),
                new ApplicationState(UUID.randomUUID(), created, app, status, ""));
        Resource r = new Resource(UUID.randomUUID(), created, created, app, node, UUID.randomUUID(), 0, "res-" + app,
                ip, mac, new RawJson("{\"app\":\"" + app + "\"}"), null);
        store.createResource(r);
        return r;
    }

    private void move(Resource r, ApplicationStatus from, ApplicationStatus to) {
        assertTrue(store.transition(r.applicationUid(), from,
                new ApplicationState(UUID.randomUUID(), created, r.applicationUid(), to, "")));
    }

    private static Optional<UUID> uid(Optional<Resource> r) {
        return r.map(Resource::uid);
    }

    @Test
    void matchesTheAllocatedResourceOfThisNodeByIp() {
        Resource r = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.3", "");
        CallerResolver resolver = resolver();
        assertEquals(Optional.of(r.uid()), uid(resolver.resolve("10.1.2.3", List.of(), null)));
        assertEquals(Optional.empty(), uid(resolver.resolve("10.1.2.4", List.of(), null)));
        assertEquals(Optional.empty(), uid(resolver.resolve("not-an-ip", List.of(), null)));
        assertEquals(Optional.empty(), uid(resolver.resolve(null, List.of(), null)));
    }

    @Test
    void ignoresResourcesNotAllocatedOrOfOtherNodes() {
        resource(NODE, ApplicationStatus.ELECTED, "10.1.2.3", "");
        resource(NODE, ApplicationStatus.DEALLOCATE, "10.1.2.4", "");
        resource(OTHER_NODE, ApplicationStatus.ALLOCATED, "10.1.2.5", "");
        CallerResolver resolver = resolver();
        for (String ip : List.of("10.1.2.3", "10.1.2.4", "10.1.2.5")) {
            assertEquals(Optional.empty(), uid(resolver.resolve(ip, List.of(), null)), ip);
        }
    }

    @Test
    void anAddressSeveralAllocatedResourcesRecordMatchesNone() {
        Resource older = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.9", "");
        Resource newer = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.9", "");
        CallerResolver resolver = resolver();
        assertEquals(Optional.empty(), uid(resolver.resolve("10.1.2.9", List.of(), null)));
        // Once only one of them is ALLOCATED, the address is that one's alone again.
        move(newer, ApplicationStatus.ALLOCATED, ApplicationStatus.DEALLOCATE);
        resolver.invalidate();
        assertEquals(Optional.of(older.uid()), uid(resolver.resolve("10.1.2.9", List.of(), null)));
        move(older, ApplicationStatus.ALLOCATED, ApplicationStatus.DEALLOCATE);
        resolver.invalidate();
        assertEquals(Optional.empty(), uid(resolver.resolve("10.1.2.9", List.of(), null)));
    }

    @Test
    void anAddressAResourceRunningOnTheHostRecordsNeverMatches() {
        // Alone at its address, and still no match: every process on the host calls from there.
        Resource hostWorkload = resource(NODE, ApplicationStatus.ALLOCATED, "127.0.0.1", "");
        onTheHost.add(hostWorkload.uid());
        CallerResolver resolver = resolver();
        for (String ip : List.of("127.0.0.1", "::ffff:127.0.0.1")) {
            assertEquals(Optional.empty(), uid(resolver.resolve(ip, List.of(), null)), ip);
        }
        // A test-driver resource at the same address is no longer that address's alone either.
        resource(NODE, ApplicationStatus.ALLOCATED, "127.0.0.1", "");
        assertEquals(Optional.empty(), uid(resolver().resolve("127.0.0.1", List.of(), null)));
    }

    @Test
    void aLoneResourceOfADriverThatStandsInForAMachineIsKnownByItsAddress() {
        // The test driver's resource records 127.0.0.1 for a VM it stands for (REST v1 contract, Meta API).
        Resource r = resource(NODE, ApplicationStatus.ALLOCATED, "127.0.0.1", "");
        assertEquals(Optional.of(r.uid()), uid(resolver().resolve("127.0.0.1", List.of(), null)));
    }

    @Test
    void aTokenNamesItsOwnAllocatedResourceWhateverTheAddress() {
        Resource alice = resource(NODE, ApplicationStatus.ALLOCATED, "127.0.0.1", "");
        Resource bob = resource(NODE, ApplicationStatus.ALLOCATED, "127.0.0.1", "");
        Resource elsewhere = resource(OTHER_NODE, ApplicationStatus.ALLOCATED, "127.0.0.1", "");
        CallerResolver resolver = resolver();
        String aliceToken = tokens.tokenFor(alice.applicationUid());
        assertEquals(Optional.of(alice.uid()), uid(resolver.resolveToken(aliceToken)));
        assertEquals(Optional.of(bob.uid()), uid(resolver.resolveToken(tokens.tokenFor(bob.applicationUid()))));
        // Another node's resource, a made-up application, a tampered MAC, another key, garbage.
        assertEquals(Optional.empty(), uid(resolver.resolveToken(tokens.tokenFor(elsewhere.applicationUid()))));
        assertEquals(Optional.empty(), uid(resolver.resolveToken(tokens.tokenFor(UUID.randomUUID()))));
        String mac = aliceToken.substring(aliceToken.indexOf('.') + 1);
        String tampered = bob.applicationUid() + "." + mac;
        assertEquals(Optional.empty(), uid(resolver.resolveToken(tampered)));
        MetaTokens otherKey = new MetaTokens("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Optional.empty(), uid(resolver.resolveToken(otherKey.tokenFor(alice.applicationUid()))));
        for (String junk : List.of("", ".", alice.applicationUid().toString(), aliceToken + "x",
                aliceToken.toUpperCase(), "x".repeat(10_000))) {
            assertEquals(Optional.empty(), uid(resolver.resolveToken(junk)), junk);
        }
        // Good only while ALLOCATED.
        move(alice, ApplicationStatus.ALLOCATED, ApplicationStatus.DEALLOCATE);
        resolver.invalidate();
        assertEquals(Optional.empty(), uid(resolver.resolveToken(aliceToken)));
    }

    @Test
    void addressSpellingsAreNormalised() {
        Resource v4 = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.3", "");
        Resource short6 = resource(NODE, ApplicationStatus.ALLOCATED, "fd00::1", "");
        Resource full6 = resource(NODE, ApplicationStatus.ALLOCATED, "fd00:0:0:0:0:0:0:5", "");
        CallerResolver resolver = resolver();
        assertEquals(Optional.of(v4.uid()), uid(resolver.resolve("::ffff:10.1.2.3", List.of(), null)));
        assertEquals(Optional.of(short6.uid()), uid(resolver.resolve("[fd00::1]", List.of(), null)));
        assertEquals(Optional.of(short6.uid()), uid(resolver.resolve("fd00:0:0:0:0:0:0:1", List.of(), null)));
        assertEquals(Optional.of(full6.uid()), uid(resolver.resolve("FD00::5", List.of(), null)));
    }

    @Test
    void forwardedHeadersAreIgnoredUnlessTheSocketIsATrustedProxy() {
        Resource r = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.3", "");
        CallerResolver untrusting = resolver();
        assertEquals(Optional.empty(), uid(untrusting.resolve("127.0.0.1", List.of("10.1.2.3"), "10.1.2.3")));

        CallerResolver proxied = resolver(List.of("127.0.0.1", "172.16.0.0/12"), List.of("192.168.122.0/24"));
        assertEquals(Optional.of(r.uid()), uid(proxied.resolve("127.0.0.1", List.of("10.1.2.3"), null)));
        assertEquals(Optional.of(r.uid()), uid(proxied.resolve("127.0.0.1", List.of(), "10.1.2.3")));
        assertEquals(Optional.of(r.uid()), uid(proxied.resolve("127.0.0.1", List.of("10.1.2.3, 172.16.0.7"), null)));
        // What the client put in front of the header does not count: read from the right.
        assertEquals(Optional.of(r.uid()), uid(proxied.resolve("127.0.0.1", List.of("6.6.6.6, 10.1.2.3"), null)));
        assertEquals(Optional.of(r.uid()), uid(proxied.resolve("127.0.0.1", List.of("6.6.6.6", "10.1.2.3"), null)));
        assertEquals(Optional.empty(), uid(proxied.resolve("127.0.0.1", List.of("10.1.2.3, 6.6.6.6"), null)));
        assertEquals(Optional.empty(), uid(proxied.resolve("127.0.0.1", List.of("10.1.2.3, junk"), null)));
        // An untrusted socket's headers never count, even if the header names a trusted proxy.
        assertEquals(Optional.empty(), uid(proxied.resolve("10.9.9.9", List.of("10.1.2.3"), "10.1.2.3")));
        assertEquals(Optional.of(r.uid()), uid(proxied.resolve("10.1.2.3", List.of("6.6.6.6"), "6.6.6.6")));
    }

    @Test
    void callersInsideMetaNetworksAreMatchedByMac() {
        Resource r = resource(NODE, ApplicationStatus.ALLOCATED, "", "AA-BB-CC-DD-EE-FF");
        CallerResolver resolver = resolver();
        assertEquals(Optional.of(r.uid()), uid(resolver.resolve("192.168.122.50", List.of(), null)));
        // Same MAC in the ARP table, but outside meta_networks.
        assertEquals(Optional.empty(), uid(resolver.resolve("10.9.9.9", List.of(), null)));
        // Incomplete ARP entries and unknown addresses.
        assertEquals(Optional.empty(), uid(resolver.resolve("192.168.122.51", List.of(), null)));
        assertEquals(Optional.empty(), uid(resolver.resolve("192.168.122.52", List.of(), null)));
        assertEquals(Optional.empty(), uid(resolver.resolve("192.168.122.99", List.of(), null)));
    }

    @Test
    void aMacSeveralAllocatedResourcesRecordMatchesNone() {
        resource(NODE, ApplicationStatus.ALLOCATED, "", "aa:bb:cc:dd:ee:ff");
        resource(NODE, ApplicationStatus.ALLOCATED, "", "AA-BB-CC-DD-EE-FF");
        assertEquals(Optional.empty(), uid(resolver().resolve("192.168.122.50", List.of(), null)));
    }

    @Test
    void macMatchNeedsAnAllocatedApplication() {
        Resource r = resource(NODE, ApplicationStatus.ALLOCATED, "", "aa:bb:cc:dd:ee:ff");
        CallerResolver resolver = resolver();
        move(r, ApplicationStatus.ALLOCATED, ApplicationStatus.DEALLOCATE);
        assertEquals(Optional.empty(), uid(resolver.resolve("192.168.122.50", List.of(), null)));
    }

    @Test
    void answersAreCachedUntilTheTtlOrAnInvalidation() {
        Resource r = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.3", "");
        CallerResolver resolver = resolver();
        assertEquals(Optional.of(r.uid()), uid(resolver.resolve("10.1.2.3", List.of(), null)));

        // Changed behind the resolver's back (no invalidation): the cached answer holds for the TTL.
        move(r, ApplicationStatus.ALLOCATED, ApplicationStatus.DEALLOCATE);
        clock.advance(Duration.ofMillis(900));
        assertEquals(Optional.of(r.uid()), uid(resolver.resolve("10.1.2.3", List.of(), null)));
        clock.advance(Duration.ofMillis(100));
        assertEquals(Optional.empty(), uid(resolver.resolve("10.1.2.3", List.of(), null)));

        // A cached "no match" ends at once with an invalidation.
        Resource next = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.3", "");
        assertEquals(Optional.empty(), uid(resolver.resolve("10.1.2.3", List.of(), null)));
        resolver.invalidate();
        assertEquals(Optional.of(next.uid()), uid(resolver.resolve("10.1.2.3", List.of(), null)));
    }

    @Test
    void aClockGoingBackDoesNotKeepAnswersForever() {
        Resource r = resource(NODE, ApplicationStatus.ALLOCATED, "10.1.2.3", "");
        CallerResolver resolver = resolver();
        assertEquals(Optional.of(r.uid()), uid(resolver.resolve("10.1.2.3", List.of(), null)));
        move(r, ApplicationStatus.ALLOCATED, ApplicationStatus.DEALLOCATE);
        clock.advance(Duration.ofHours(-1));
        assertEquals(Optional.empty(), uid(resolver.resolve("10.1.2.3", List.of(), null)));
    }
}
