package io.aquarium.fish.core.service;

import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.IdleDriver;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.h2.H2Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Label validation bounds, who creates and sees temporary labels, and who reads a definition's credentials. */
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

    private static final LabelService.RemoveAtWindow WINDOW = new LabelService.RemoveAtWindow(Duration.ofSeconds(30),
            Duration.ofHours(72));
    private static final User ADMIN = new User(User.ADMIN, NOW, NOW, null);
    private static final User JENKINS = new User("jenkins", NOW, NOW, null);

    private static LabelService.NewLabel temporary(int version, List<String> visibleFor, Instant removeAt) {
        LabelService.NewLabel l = label(1, 1, 0);
        return new LabelService.NewLabel("tmp", version, l.definitions(), l.metadata(), visibleFor, removeAt);
    }

    private static FishException refusedRules(User caller, LabelService.NewLabel label) {
        return assertThrows(FishException.class, () -> LabelService.checkTemporaryRules(caller, label, NOW, WINDOW));
    }

    @Test
    void aUserCreatesOnlyTemporaryLabelsVisibleForThemselves() {
        Instant inAnHour = NOW.plus(Duration.ofHours(1));
        assertDoesNotThrow(() -> LabelService.checkTemporaryRules(JENKINS,
                temporary(0, List.of("jenkins"), inAnHour), NOW, WINDOW));
        assertDoesNotThrow(() -> LabelService.checkTemporaryRules(JENKINS,
                temporary(0, List.of("jenkins", "jenkins"), inAnHour), NOW, WINDOW));

        assertEquals(FishException.Kind.FORBIDDEN, refusedRules(JENKINS, temporary(1, List.of(), null)).kind());
        assertEquals(FishException.Kind.FORBIDDEN,
                refusedRules(JENKINS, temporary(1, List.of("jenkins"), inAnHour)).kind());
        FishException everyone = refusedRules(JENKINS, temporary(0, List.of(), inAnHour));
        assertEquals(FishException.Kind.BAD_REQUEST, everyone.kind());
        assertTrue(everyone.getMessage().contains("visible_for"), everyone.getMessage());
        FishException other = refusedRules(JENKINS, temporary(0, List.of("jenkins", "bob"), inAnHour));
        assertEquals(FishException.Kind.BAD_REQUEST, other.kind());
        assertTrue(other.getMessage().contains("'bob'"), other.getMessage());
        assertTrue(refusedRules(JENKINS, temporary(0, List.of("jenkins"), null)).getMessage()
                .contains("needs remove_at"));
    }

    @Test
    void adminsCreateAnyVersionButRemoveAtBelongsToVersionZeroWithinTheWindow() {
        assertDoesNotThrow(() -> LabelService.checkTemporaryRules(ADMIN, temporary(3, List.of(), null), NOW, WINDOW));
        assertDoesNotThrow(() -> LabelService.checkTemporaryRules(ADMIN, temporary(1, List.of("bob"), null), NOW,
                WINDOW));
        assertDoesNotThrow(() -> LabelService.checkTemporaryRules(ADMIN,
                temporary(0, List.of(), NOW.plusSeconds(30)), NOW, WINDOW));
        assertDoesNotThrow(() -> LabelService.checkTemporaryRules(ADMIN,
                temporary(0, List.of(), NOW.plus(Duration.ofHours(72))), NOW, WINDOW));

        assertTrue(refusedRules(ADMIN, temporary(1, List.of(), NOW.plus(Duration.ofHours(1)))).getMessage()
                .contains("only for temporary labels"));
        assertTrue(refusedRules(ADMIN, temporary(0, List.of(), null)).getMessage().contains("needs remove_at"));
        for (Instant outside : List.of(NOW.plusSeconds(29), NOW.minusSeconds(1),
                NOW.plus(Duration.ofHours(72)).plusNanos(1_000))) {
            FishException e = refusedRules(ADMIN, temporary(0, List.of(), outside));
            assertEquals(FishException.Kind.BAD_REQUEST, e.kind());
            assertTrue(e.getMessage().contains("between now + 30s and now + 72h"), e.getMessage());
        }
    }

    @Test
    void versionBelowZeroAndBlankVisibleForAreRefused() {
        assertTrue(refusal(temporary(-1, List.of(), null)).contains("less than 0"));
        assertTrue(refusal(temporary(0, List.of(" "), null)).contains("visible_for"));
        assertDoesNotThrow(() -> LabelService.validate(temporary(0, List.of("jenkins"), NOW)));
    }

    @Test
    void visibilityFollowsOwnerAndVisibleFor() {
        User bob = new User("bob", NOW, NOW, null);
        Label everyone = stored("", List.of());
        Label jenkinsOnly = stored("jenkins", List.of("jenkins"));
        Label ownedButListedForBob = stored("jenkins", List.of("bob"));
        Label adminsForBob = stored("", List.of("bob"));

        assertTrue(LabelService.mayRead(bob, everyone));
        assertTrue(LabelService.mayRead(JENKINS, jenkinsOnly));
        assertFalse(LabelService.mayRead(bob, jenkinsOnly));
        assertTrue(LabelService.mayRead(ADMIN, jenkinsOnly));
        assertTrue(LabelService.mayRead(JENKINS, ownedButListedForBob), "the owner always sees it");
        assertTrue(LabelService.mayRead(bob, ownedButListedForBob));
        assertFalse(LabelService.mayRead(JENKINS, adminsForBob));
        assertFalse(LabelService.mayRead(new User("", NOW, NOW, null), adminsForBob),
                "an empty owner is nobody's");
    }

    private static Label stored(String owner, List<String> visibleFor) {
        LabelService.NewLabel l = label(1, 1, 0);
        return new Label(UUID.randomUUID(), NOW, "l", 0, l.definitions(), l.metadata(), owner, visibleFor,
                NOW.plusSeconds(3600));
    }

    /** A driver "checked" of this node that refuses definitions whose options are not {}. */
    private static final class CheckingDriver extends IdleDriver {
        final List<LabelDefinition> validated = new java.util.ArrayList<>();

        CheckingDriver() {
            super("checked");
        }

        @Override
        public void validate(LabelDefinition definition) {
            validated.add(definition);
            if (!RawJson.EMPTY_OBJECT.equals(definition.options())) {
                throw new DriverException("checked driver option 'image': expected an image name like name:tag");
            }
        }
    }

    private static LabelService.NewLabel withDefinitions(String name, LabelDefinition... definitions) {
        return new LabelService.NewLabel(name, 1, List.of(definitions), RawJson.EMPTY_OBJECT);
    }

    private static LabelDefinition definition(String driver, String options) {
        return new LabelDefinition(driver, label(1, 1, 0).definitions().get(0).resources(), new RawJson(options), null);
    }

    @Test
    void aDriverOfThisNodeValidatesItsDefinitionsWhenTheLabelIsCreated(@TempDir Path dir) {
        CheckingDriver checked = new CheckingDriver();
        try (H2Store store = H2Store.open(dir)) {
            List<FishEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();
            EventBus events = new EventBus();
            events.subscribe(published::add);
            LabelService labels = new LabelService(store, new UidGenerator(UUID.randomUUID(), new SecureRandom()),
                    new MonotonicClock(Clock.fixed(NOW, ZoneOffset.UTC)), events, WINDOW,
                    name -> checked.name().equals(name) ? Optional.of(checked) : Optional.empty());

            // Broken options for a driver this node has: refused with the driver's own message, nothing stored.
            FishException refused = assertThrows(FishException.class, () -> labels.create(ADMIN,
                    withDefinitions("broken", definition("elsewhere", "{\"any\":1}"),
                            definition("checked", "{\"image\":5}"))));
            assertEquals(FishException.Kind.BAD_REQUEST, refused.kind());
            assertEquals("checked driver option 'image': expected an image name like name:tag", refused.getMessage());
            assertEquals(List.of(), store.labels(Filter.ALL));
            assertEquals(List.of(), published);

            // Valid options pass; a driver no node here has is another node's business: accepted unchecked.
            Label created = labels.create(ADMIN, withDefinitions("fine", definition("elsewhere", "{\"any\":1}"),
                    definition("checked", "{}")));
            assertEquals(List.of(created), store.labels(Filter.ALL));
            assertEquals(List.of("checked", "checked"), checked.validated.stream().map(LabelDefinition::driver).toList());
            Label unknownOnly = labels.create(ADMIN, withDefinitions("unknown", definition("nowhere/x", "{\"a\":1}")));
            assertEquals("nowhere/x", unknownOnly.definitions().get(0).driver());
        }
    }
}
