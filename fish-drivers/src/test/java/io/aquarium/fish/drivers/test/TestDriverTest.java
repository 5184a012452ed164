package io.aquarium.fish.drivers.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverTask;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestDriverTest {
    private static final long SEED = 20240601L;
    private static final RawJson METADATA = new RawJson("{\"JENKINS_URL\":\"http://ci\",\"n\":1}");

    @TempDir
    Path work;

    private final List<Duration> sleeps = new ArrayList<>();
    private final Sleeper recordingSleeper = sleeps::add;

    @Test
    void reconcileRemovesOnlyUnrecordedMarkers() throws IOException {
        TestDriver driver = driver(Map.of());
        AllocatedResource kept = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA));
        AllocatedResource lost = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA));
        Path workspace = work.resolve("fish_test_workspace");
        Files.writeString(workspace.resolve("notes.txt"), "not ours");

        driver.reconcile(java.util.Set.of(kept.identifier()));

        assertTrue(Files.exists(marker(kept.identifier())));
        assertFalse(Files.exists(marker(lost.identifier())));
        assertTrue(Files.exists(workspace.resolve("notes.txt")), "files that are not markers stay");
    }

    @Test
    void allocateDeallocateRoundTripWithMarkerFiles() throws IOException {
        TestDriver driver = driver(Map.of());
        Path workspace = work.resolve("fish_test_workspace");
        assertFalse(Files.exists(workspace), "created on first allocation, not before");

        AllocatedResource res = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{\"delay_allocate\":0}"), METADATA));
        assertTrue(res.identifier().matches("test-[A-Za-z0-9]{6}"), res.identifier());
        assertEquals("127.0.0.1", res.ipAddr());
        assertEquals("", res.hwAddr());
        assertNull(res.authentication());

        Path marker = workspace.resolve(res.identifier());
        assertTrue(Files.isRegularFile(marker));
        JsonNode content = new ObjectMapper().readTree(Files.readString(marker));
        assertEquals("test", content.path("definition").path("driver").asText());
        assertEquals(2, content.path("definition").path("resources").path("cpu").asInt());
        assertEquals(0, content.path("definition").path("options").path("delay_allocate").asInt());
        assertEquals("http://ci", content.path("metadata").path("JENKINS_URL").asText());

        driver.deallocate(res.identifier());
        assertFalse(Files.exists(marker));
        assertDoesNotThrow(() -> driver.deallocate(res.identifier()), "already gone is success");
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void resourcesSurviveANewDriverInstance() {
        AllocatedResource res = driver(Map.of()).allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA));
        TestDriver restarted = driver(Map.of());
        assertTrue(Files.exists(marker(res.identifier())));
        restarted.deallocate(res.identifier());
        assertFalse(Files.exists(marker(res.identifier())), "the new instance removed the old one's marker");
    }

    @Test
    void workspacePathIsConfigurableAndResolvedAgainstTheWorkDirectory() {
        TestDriver driver = driver(Map.of("workspace_path", "custom/ws"));
        AllocatedResource res = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), RawJson.EMPTY_OBJECT));
        assertTrue(Files.exists(work.resolve("custom/ws").resolve(res.identifier())));
    }

    @Test
    void manyAllocationsGetDistinctNames() {
        TestDriver driver = driver(Map.of());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA)).identifier());
        }
        assertEquals(50, ids.size());
        assertEquals(50, fileCount(work.resolve("fish_test_workspace")));
    }

    @Test
    void aTakenNameIsDrawnAgainAndTheExistingFileIsLeftAlone() throws IOException {
        String first = "test-" + new FailureDice(new Random(SEED)).randomAlphanumeric(6);
        Path workspace = Files.createDirectories(work.resolve("fish_test_workspace"));
        Files.writeString(workspace.resolve(first), "someone else's");

        AllocatedResource res = driver(Map.of()).allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA));
        assertNotEquals(first, res.identifier());
        assertEquals("someone else's", Files.readString(workspace.resolve(first)));
        assertTrue(Files.exists(workspace.resolve(res.identifier())));
    }

    @Test
    void authenticationOfTheDefinitionIsHandedOnButNotWrittenToTheMarker() throws IOException {
        Authentication auth = new Authentication("ci", "s3cr3t-pass", "", 22);
        LabelDefinition def = new LabelDefinition("test", resources(1, 1), RawJson.EMPTY_OBJECT, auth);
        AllocatedResource res = driver(Map.of()).allocate(new AllocationRequest(UUID.randomUUID(), def, METADATA));
        assertEquals(auth, res.authentication());
        String marker = Files.readString(work.resolve("fish_test_workspace").resolve(res.identifier()));
        assertFalse(marker.contains("s3cr3t-pass"), marker);
    }

    @Test
    void unparsableMetadataIsKeptAsText() throws IOException {
        AllocatedResource res = driver(Map.of()).allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), new RawJson("not json")));
        JsonNode content = new ObjectMapper().readTree(
                Files.readString(work.resolve("fish_test_workspace").resolve(res.identifier())));
        assertEquals("not json", content.path("metadata_text").asText());
    }

    @Test
    void remoteAndNameComeFromTheInstance() {
        TestDriver remote = new TestDriverFactory(new Random(SEED), recordingSleeper)
                .create("test/cloud", Map.of("is_remote", true), context());
        assertTrue(remote.isRemote());
        assertEquals("test/cloud", remote.name());
        assertFalse(driver(Map.of()).isRemote());
    }

    @Test
    void availableCapacityUsesTheConfiguredLimits() {
        TestDriver driver = driver(Map.of("cpu_limit", 4, "ram_limit", 8));
        LabelDefinition def = new LabelDefinition("test", resources(2, 4), RawJson.EMPTY_OBJECT, null);
        assertEquals(2, driver.availableCapacity(Usage.NONE, def));
        assertEquals(1, driver.availableCapacity(Usage.NONE.plus(def.resources()), def));
        assertEquals(TestDriver.UNLIMITED, driver(Map.of()).availableCapacity(null, def));
    }

    // --- fail knobs

    @Test
    void knobsAtZeroNeverFail() {
        TestDriver driver = driver(Map.of("fail_snapshot", 0, "fail_deallocate", 0));
        LabelDefinition def = definition("{\"fail_options_apply\":0,\"fail_available_capacity\":0,"
                + "\"fail_allocate\":0,\"fail_deallocate\":0}");
        for (int i = 0; i < 20; i++) {
            driver.validate(def);
            driver.availableCapacity(Usage.NONE, def);
            String id = driver.allocate(new AllocationRequest(UUID.randomUUID(), def, METADATA)).identifier();
            driver.task("snapshot").orElseThrow().run(id, RawJson.EMPTY_OBJECT, ApplicationStatus.ALLOCATED);
            driver.deallocate(id);
        }
        assertEquals(0, fileCount(work.resolve("fish_test_workspace")));
    }

    @Test
    void failConfigApplyMakesCreateFail() {
        TestDriverFactory factory = new TestDriverFactory(new Random(SEED), recordingSleeper);
        DriverException e = assertThrows(DriverException.class,
                () -> factory.create("test", Map.of("fail_config_apply", 255), context()));
        assertEquals("test driver: config apply failed (255)", e.getMessage());
        assertThrows(DriverException.class,
                () -> factory.create("test", Map.of("fail_config_validate", 255), context()));
        assertThrows(DriverException.class, () -> factory.create("test", Map.of("cpu_limit", "x"), context()));
    }

    @Test
    void failOptionsApplyMakesValidateFail() {
        TestDriver driver = driver(Map.of());
        assertDoesNotThrow(() -> driver.validate(definition("{\"fail_allocate\":255}")));
        assertThrows(DriverException.class, () -> driver.validate(definition("{\"fail_options_apply\":255}")));
        assertThrows(DriverException.class, () -> driver.validate(definition("{\"fail_options_validate\":255}")));
        DriverException e = assertThrows(DriverException.class, () -> driver.validate(definition("{oops")));
        assertTrue(e.getMessage().startsWith("test driver: unable to parse the definition options"), e.getMessage());
        assertThrows(DriverException.class, () -> driver.validate(definition("{\"delay_allocate\":\"soon\"}")));
    }

    @Test
    void failAvailableCapacityAndFailAllocate() {
        TestDriver driver = driver(Map.of());
        assertThrows(DriverException.class,
                () -> driver.availableCapacity(Usage.NONE, definition("{\"fail_available_capacity\":255}")));
        DriverException e = assertThrows(DriverException.class,
                () -> driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{\"fail_allocate\":255,\"delay_allocate\":5}"), METADATA)));
        assertEquals("test driver: allocate failed (255)", e.getMessage());
        assertFalse(Files.exists(work.resolve("fish_test_workspace")), "a failed allocation leaves nothing");
        assertTrue(sleeps.isEmpty(), "failing happens before the delay");
    }

    @Test
    void failSnapshot() {
        TestDriver driver = driver(Map.of("fail_snapshot", 255));
        String id = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA)).identifier();
        DriverTask snapshot = driver.task("snapshot").orElseThrow();
        assertThrows(DriverException.class, () -> snapshot.run(id, RawJson.EMPTY_OBJECT, ApplicationStatus.ALLOCATED));
    }

    @Test
    void failDeallocateFromConfigOrFromTheAllocatedDefinitionKeepsTheResource() {
        TestDriver failing = driver(Map.of("fail_deallocate", 255));
        String id = failing.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA)).identifier();
        assertThrows(DriverException.class, () -> failing.deallocate(id));
        assertTrue(Files.exists(marker(id)));

        TestDriver driver = driver(Map.of());
        String id2 = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{\"fail_deallocate\":255}"), METADATA)).identifier();
        assertThrows(DriverException.class, () -> driver.deallocate(id2));
        assertTrue(Files.exists(marker(id2)));
        driver.deallocate(id);
        assertFalse(Files.exists(marker(id)));
    }

    @Test
    void seededChanceIsReproducibleAndRoughlyThatChance() {
        LabelDefinition half = definition("{\"fail_allocate\":127}");
        List<Boolean> first = allocationOutcomes(half, 200);
        List<Boolean> second = allocationOutcomes(half, 200);
        assertEquals(first, second, "the same seed fails the same calls");
        long failures = first.stream().filter(failed -> failed).count();
        assertTrue(failures > 60 && failures < 140, "about half of 200 should fail, got " + failures);
    }

    @Test
    void unreadableStoredOptionsDoNotBlockDeallocation() throws IOException {
        TestDriver driver = driver(Map.of());
        String id = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA)).identifier();
        Path marker = work.resolve("fish_test_workspace").resolve(id);
        Files.writeString(marker, "garbage");
        driver.deallocate(id);
        assertFalse(Files.exists(marker));
    }

    // --- delays

    @Test
    void delaysGoThroughTheSleeper() {
        TestDriver driver = driver(Map.of());
        LabelDefinition def = definition("{\"delay_available_capacity\":0.25,\"delay_allocate\":1.5,"
                + "\"delay_deallocate\":2}");
        driver.availableCapacity(Usage.NONE, def);
        String id = driver.allocate(new AllocationRequest(UUID.randomUUID(), def, METADATA)).identifier();
        driver.deallocate(id);
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(1500), Duration.ofSeconds(2)), sleeps);
    }

    @Test
    void interruptedDelayFailsTheCallAndKeepsTheInterrupt() {
        TestDriver driver = new TestDriverFactory(new Random(SEED), d -> {
            throw new InterruptedException();
        }).create("test", Map.of(), context());
        try {
            DriverException e = assertThrows(DriverException.class,
                    () -> driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{\"delay_allocate\":1}"), METADATA)));
            assertEquals("test driver: interrupted while waiting", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void realSleeperSleeps() throws InterruptedException {
        long start = System.nanoTime();
        Sleeper.REAL.sleep(Duration.ofMillis(20));
        assertTrue(System.nanoTime() - start >= 20_000_000L);
    }

    // --- tasks

    @Test
    void snapshotTaskReportsTheStatusItRanAt() {
        TestDriver driver = driver(Map.of());
        String id = driver.allocate(new AllocationRequest(UUID.randomUUID(), definition("{}"), METADATA)).identifier();
        DriverTask snapshot = driver.task("snapshot").orElseThrow();
        assertEquals("{\"snapshots\":[\"test-snapshot\"],\"when\":\"ALLOCATED\"}",
                snapshot.run(id, RawJson.EMPTY_OBJECT, ApplicationStatus.ALLOCATED).json());
        assertEquals("{\"snapshots\":[\"test-snapshot\"],\"when\":\"DEALLOCATE\"}",
                snapshot.run(id, new RawJson("{\"full\":true}"), ApplicationStatus.DEALLOCATE).json());
        driver.deallocate(id);
        assertThrows(DriverException.class, () -> snapshot.run(id, RawJson.EMPTY_OBJECT, ApplicationStatus.ALLOCATED),
                "nothing to snapshot once it is gone");
    }

    @Test
    void unknownTaskIsEmpty() {
        TestDriver driver = driver(Map.of());
        assertTrue(driver.task("image").isEmpty());
        assertTrue(driver.task("Snapshot").isEmpty());
        assertTrue(driver.task(null).isEmpty());
    }

    // --- identifiers

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "test-abc", "test-abcdefg", "test-ab/cde", "test-ab.cde", "../test-abcdef",
            "test-../..", "TEST-abcdef", "test-abcde\u00e9", "test-abcdef/", "x-abcdef"})
    void identifiersThisDriverCannotMakeAreRejected(String identifier) throws IOException {
        TestDriver driver = driver(Map.of());
        Path outside = Files.writeString(work.resolve("test-abcdef"), "outside the workspace");
        assertThrows(DriverException.class, () -> driver.deallocate(identifier));
        assertThrows(DriverException.class, () -> driver.task("snapshot").orElseThrow()
                .run(identifier, RawJson.EMPTY_OBJECT, ApplicationStatus.ALLOCATED));
        assertTrue(Files.exists(outside));
    }

    private List<Boolean> allocationOutcomes(LabelDefinition def, int calls) {
        TestDriver driver = new TestDriverFactory(new Random(SEED), recordingSleeper)
                .create("test", Map.of("workspace_path", "ws-" + System.nanoTime()), context());
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            try {
                driver.allocate(new AllocationRequest(UUID.randomUUID(), def, METADATA));
                outcomes.add(false);
            } catch (DriverException e) {
                outcomes.add(true);
            }
        }
        return outcomes;
    }

    private TestDriver driver(Map<String, Object> cfg) {
        return new TestDriverFactory(new Random(SEED), recordingSleeper).create("test", cfg, context());
    }

    private Path marker(String identifier) {
        return work.resolve("fish_test_workspace").resolve(identifier);
    }

    private DriverContext context() {
        return new DriverContext(work, "node-1", Clock.systemUTC());
    }

    private static LabelDefinition definition(String options) {
        return new LabelDefinition("test", resources(2, 4), new RawJson(options), null);
    }

    private static Resources resources(int cpu, int ram) {
        return new Resources(cpu, ram, null, null, null, false, false, false, "");
    }

    private static long fileCount(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
