package io.aquarium.fish.core.node;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UidGeneratorTest {
    private static final UUID NODE = UUID.fromString("0123abcd-ef45-5678-9abc-def012345678");

    @Test
    void uidsCarryTheNodesFirstSixBytes() {
        UidGenerator generator = new UidGenerator(NODE, new SecureRandom());
        for (int i = 0; i < 100; i++) {
            UUID uid = generator.next();
            assertEquals(NODE.getMostSignificantBits() >>> 16, uid.getMostSignificantBits() >>> 16);
            assertTrue(uid.toString().startsWith("0123abcd-ef45-"), uid.toString());
        }
    }

    @Test
    void uidsAreLowercaseVersion4IetfUuids() {
        UidGenerator generator = new UidGenerator(NODE, new SecureRandom());
        for (int i = 0; i < 100; i++) {
            UUID uid = generator.next();
            assertEquals(4, uid.version());
            assertEquals(2, uid.variant());
            assertTrue(uid.toString().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        }
    }

    @Test
    void uidsAreUnique() {
        UidGenerator generator = new UidGenerator(NODE, new SecureRandom());
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            seen.add(generator.next());
        }
        assertEquals(100_000, seen.size());
    }

    @Test
    void restIsRandom() {
        UidGenerator generator = new UidGenerator(NODE, new SecureRandom());
        Set<Long> lowHalves = new HashSet<>();
        Set<Long> randomMiddles = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            UUID uid = generator.next();
            lowHalves.add(uid.getLeastSignificantBits());
            randomMiddles.add(uid.getMostSignificantBits() & 0x0FFFL);
        }
        assertEquals(1000, lowHalves.size());
        assertTrue(randomMiddles.size() > 500, "12 random bits after the version nibble");
    }
}
