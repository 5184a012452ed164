package io.aquarium.fish.core.service;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import io.aquarium.fish.core.model.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Label validation bounds and who reads a definition's credentials. */
class LabelServiceTest {
    private static final Instant NOW = Instant.parse("2024-03-01T10:00:00Z");
    private static final Authentication SECRET = new Authentication("root", "s3cret", "-----BEGIN KEY-----", 22);

    private static LabelService.NewLabel label(int cpu, int ram, int diskSize) {
        Map<String, ResourcesDisk> disks = diskSize == 0 ? Map.of()
                : Map.of("data", new ResourcesDisk("", "", diskSize, false, ""));
        Resources r = new Resources(cpu, ram, disks, null, null, false, false, false, null);
        return new LabelService.NewLabel("l", 1, List.of(new LabelDefinition("test", r, null, null)), RawJson.EMPTY_OBJECT);
    }

    private static String refusal(LabelService.NewLabel label) {
        FishException e = assertThrows(FishException.class, () -> LabelService.validate(label));
        assertEquals(FishException.Kind.BAD_REQUEST, e.kind());
        return e.getMessage();
    }

    @Test
    void resourcesAboveTheirUpperBoundAreRefusedNamingTheLimit() {
        assertTrue(refusal(label(Integer.MAX_VALUE, 1, 0)).endsWith("Number of CPU cores is more than 4096"));
        assertTrue(refusal(label(4097, 1, 0)).contains("4096"));
        assertTrue(refusal(label(1, Integer.MAX_VALUE, 0)).endsWith("Amount of RAM is more than 65536GB"));
        assertTrue(refusal(label(1, 1, Integer.MAX_VALUE)).endsWith("Disk 'data' size is more than 1048576GB"));
    }

    @Test
    void resourcesAtTheirUpperBoundAreAccepted() {
        assertDoesNotThrow(() -> LabelService.validate(label(LabelService.MAX_CPU, LabelService.MAX_RAM_GB,
                LabelService.MAX_DISK_GB)));
    }

    @Test
    void onlyAdminsSeeDefinitionCredentials() {
        Resources r = new Resources(1, 1, null, null, null, false, false, false, null);
        Label stored = new Label(UUID.randomUUID(), NOW, "l", 1, List.of(
                new LabelDefinition("test", r, RawJson.EMPTY_OBJECT, SECRET),
                new LabelDefinition("docker", r, RawJson.EMPTY_OBJECT, null)), RawJson.EMPTY_OBJECT);
        User admin = new User(User.ADMIN, NOW, NOW, null);
        User bob = new User("bob", NOW, NOW, null);

        assertSame(stored, LabelService.visibleTo(admin, stored));
        Label seen = LabelService.visibleTo(bob, stored);
        assertNull(seen.definitions().get(0).authentication());
        assertNull(seen.definitions().get(1).authentication());
        assertEquals(stored.definitions().get(0).withoutAuthentication(), seen.definitions().get(0));
        assertEquals(List.of(stored.uid(), stored.name(), stored.version(), stored.metadata(), "test", r),
                List.of(seen.uid(), seen.name(), seen.version(), seen.metadata(), seen.definitions().get(0).driver(),
                        seen.definitions().get(0).resources()));
    }
}
