package io.aquarium.fish.meta;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IP literals, CIDR networks, MAC spellings, the ARP file and meta networks. */
class AddressesTest {
    private static InetAddress ip(String text) {
        return IpLiteral.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @Test
    void literalsParseWithoutDns() {
        assertEquals("127.0.0.1", ip("::ffff:127.0.0.1").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", ip("[::1]").getHostAddress());
        assertEquals(ip("fe80::1"), ip("fe80::1%eth0"));
        assertEquals(ip("10.0.0.1"), ip(" 10.0.0.1 "));
        for (String bad : List.of("", "localhost", "example.com", "1.2.3", "256.0.0.1", "1.2.3.4:80", "::g", "1.2.3.4/8")) {
            assertEquals(Optional.empty(), IpLiteral.parse(bad), bad);
        }
        assertEquals(Optional.empty(), IpLiteral.parse(null));
    }

    @Test
    void ipv6HasTheShortAndTheFullSpelling() {
        assertEquals(List.of("10.0.0.1"), IpLiteral.spellings(ip("10.0.0.1")));
        assertEquals(List.of("::1", "0:0:0:0:0:0:0:1"), IpLiteral.spellings(ip("::1")));
        assertEquals(List.of("fe80::1", "fe80:0:0:0:0:0:0:1"), IpLiteral.spellings(ip("FE80:0:0:0::1")));
        assertEquals(List.of("2001:db8:0:1:1:1:1:1"), IpLiteral.spellings(ip("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:db8::1:0:0:1", IpLiteral.spellings(ip("2001:db8:0:0:1:0:0:1")).get(0));
        assertEquals("::", IpLiteral.spellings(ip("::")).get(0));
        assertEquals("1::", IpLiteral.spellings(ip("1:0:0:0:0:0:0:0")).get(0));
    }

    @Test
    void cidrContainment() {
        Cidr net = Cidr.parse("192.168.122.0/24");
        assertTrue(net.contains(ip("192.168.122.255")));
        assertFalse(net.contains(ip("192.168.123.1")));
        assertFalse(net.contains(ip("::ffff:c0a8:7b01")));
        assertTrue(net.contains(ip("::ffff:192.168.122.9")));
        assertTrue(Cidr.parse("10.1.2.3").contains(ip("10.1.2.3")));
        assertFalse(Cidr.parse("10.1.2.3").contains(ip("10.1.2.4")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("::1")));
        assertTrue(Cidr.parse("fd00::/8").contains(ip("fd12::1")));
        assertTrue(Cidr.parse("10.255.0.0/9").contains(ip("10.128.0.1")));
        assertFalse(Cidr.parse("10.0.0.0/9").contains(ip("10.128.0.1")));
        assertEquals(Cidr.parse("10.1.2.3/8"), Cidr.parse("10.0.0.0/8"));
        assertEquals("10.0.0.0/8", Cidr.parse("10.1.2.3/8").toString());
        for (String bad : List.of("", "lan", "10.0.0.0/33", "10.0.0.0/", "::/129", "10.0.0.0/-1", "host/8")) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
    }

    @Test
    void macSpellings() {
        for (String mac : List.of("aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "aabbccddeeff")) {
            assertEquals(Optional.of("aa:bb:cc:dd:ee:ff"), MacAddress.normalise(mac), mac);
        }
        assertEquals(Optional.of("0a:0b:0c:0d:0e:0f"), MacAddress.normalise("a:b:c:d:e:f"));
        for (String bad : List.of("", "00:00:00:00:00:00", "aa:bb:cc:dd:ee", "gg:bb:cc:dd:ee:ff", "aaa:bb:cc:dd:ee:f")) {
            assertEquals(Optional.empty(), MacAddress.normalise(bad), bad);
        }
        assertEquals(Optional.empty(), MacAddress.normalise(null));
    }

    @Test
    void arpTableLookups(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arp");
        Files.writeString(file, """
                IP address       HW type     Flags       HW address            Mask     Device
                10.0.0.2         0x1         0x2         52:54:00:12:34:56     *        br0
                10.0.0.3         0x1         0x0         52:54:00:12:34:57     *        br0
                10.0.0.22        0x1         0x6         52:54:00:12:34:58     *        br0
                """);
        ProcNetArp arp = new ProcNetArp(file);
        assertEquals(Optional.of("52:54:00:12:34:56"), arp.macOf(ip("10.0.0.2")));
        assertEquals(Optional.of("52:54:00:12:34:58"), arp.macOf(ip("10.0.0.22")));
        assertEquals(Optional.empty(), arp.macOf(ip("10.0.0.3")), "incomplete entry");
        assertEquals(Optional.empty(), arp.macOf(ip("10.0.0.4")));
        assertEquals(Optional.empty(), arp.macOf(ip("::1")));
        assertEquals(Optional.empty(), new ProcNetArp(dir.resolve("absent")).macOf(ip("10.0.0.2")));
    }

    @Test
    void configuredMetaNetworksAreFixedAndLocalOnesAreReRead() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        MetaNetworks configured = MetaNetworks.fromConfig(List.of("10.0.0.0/8", "fd00::/8"), clock);
        assertTrue(configured.contains(ip("10.2.3.4")));
        assertTrue(configured.contains(ip("fd00::1")));
        assertFalse(configured.contains(ip("192.168.1.1")));

        List<List<Cidr>> reads = new ArrayList<>(List.of(List.of(Cidr.parse("10.0.0.0/8")), List.of(Cidr.parse("172.16.0.0/12"))));
        MetaNetworks local = new MetaNetworks(() -> reads.remove(0), clock, Duration.ofSeconds(30));
        assertTrue(local.contains(ip("10.1.1.1")));
        clock.advance(Duration.ofSeconds(29));
        assertTrue(local.contains(ip("10.1.1.1")));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(local.contains(ip("10.1.1.1")));
        assertTrue(local.contains(ip("172.16.5.5")));
    }

    @Test
    void localInterfaceNetworksLeaveLoopbackOut() {
        for (Cidr network : MetaNetworks.localInterfaceNetworks()) {
            assertFalse(network.contains(ip("127.0.0.1")), network.toString());
            assertFalse(network.contains(ip("::1")), network.toString());
        }
    }
}
