package io.aquarium.fish.drivers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverTask;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against a real Docker-compatible engine (see {@link TestEngine}). */
class DockerDriverTest {
    private static final String SLEEP = "{\"image\":\"" + TestEngine.IMAGE + "\",\"command\":[\"sleep\",\"600\"]}";
    private static DockerClient engine;

    private final String node = "docker-test-" + UUID.randomUUID();
    private final List<Runnable> cleanups = new ArrayList<>();

    @BeforeAll
    static void connect() {
        engine = TestEngine.connect();
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void cleanUp() {
        cleanups.forEach(c -> {
            try {
                c.run();
            } catch (RuntimeException ignored) {
                // best effort: the assertions say what went wrong
            }
        });
    }

    private DockerDriver driver(String nodeName) {
        DockerDriver d = new DockerDriverFactory(Map.of()).create("docker", Map.of("docker_host", TestEngine.host()),
                new DriverContext(Path.of("/tmp"), nodeName, Clock.systemUTC()));
        cleanups.add(d::close);
        return d;
    }

    private static LabelDefinition definition(String options, Resources resources) {
        return new LabelDefinition("docker", resources, new RawJson(options), null);
    }

    private static Resources resources(int cpu, int ram, String network, Map<String, ResourcesDisk> disks) {
        return new Resources(cpu, ram, disks, network, null, false, false, false, null);
    }

    private AllocatedResource allocate(DockerDriver d, UUID app, LabelDefinition def, String metadata) {
        AllocatedResource r = d.allocate(new AllocationRequest(app, def, new RawJson(metadata)));
        cleanups.add(0, () -> d.deallocate(r.identifier()));
        return r;
    }

    @Test
    void aContainerWithLimitsMetadataLabelsAndItsOwnNetwork() throws IOException {
        DockerDriver d = driver(node);
        UUID app = UUID.randomUUID();
        String marker = UUID.randomUUID().toString();
        String metadata = "{\"MARKER\":\"" + marker + "\",\"nested\":{\"k\":1},\"PATH\":\"/evil\","
                + "\"PERL5OPT\":\"/evil\",\"JAVA_TOOL_OPTIONS\":\"/evil\",\"GIT_SSH_COMMAND\":\"/evil\"}";
        AllocatedResource r = allocate(d, app, definition("{\"image\":\"" + TestEngine.IMAGE
                + "\",\"command\":[\"sleep\",\"600\"],\"env\":{\"FROM_LABEL\":\"l\"}}", resources(1, 1, "", Map.of())),
                metadata);

        assertTrue(DockerDriver.IDENTIFIER.matcher(r.identifier()).matches(), r.identifier());
        InspectContainerResponse c = engine.inspectContainerCmd(r.identifier()).exec();
        assertTrue(c.getState().getRunning());
        List<String> env = Arrays.asList(c.getConfig().getEnv());
        assertTrue(env.contains("MARKER=" + marker), env.toString());
        assertTrue(env.contains("nested_k=1"), env.toString());
        assertTrue(env.contains("FROM_LABEL=l"), env.toString());
        assertTrue(env.stream().noneMatch(e -> e.endsWith("=/evil")), env.toString());
        assertEquals(Map.of(DockerDriver.LABEL_NODE, node, DockerDriver.LABEL_DRIVER, "docker",
                        DockerDriver.LABEL_APPLICATION, app.toString(), DockerDriver.LABEL_RESOURCE, r.identifier()),
                filterFish(c.getConfig().getLabels()));
        assertEquals(1_000_000_000L, c.getHostConfig().getNanoCPUs());
        assertEquals(1024L * 1024 * 1024, c.getHostConfig().getMemory());
        String network = r.identifier() + "-net";
        assertTrue(engine.inspectNetworkCmd().withNetworkId(network).exec().getInternal());
        assertFalse(r.ipAddr().isEmpty());
        assertEquals(c.getNetworkSettings().getNetworks().get(network).getIpAddress(), r.ipAddr());
        assertEquals(metadata,
                new String(readFile(r.identifier(), DockerDriver.METADATA_FILE), StandardCharsets.UTF_8));

        d.deallocate(r.identifier());
        assertFalse(containerExists(r.identifier()));
        assertThrows(NotFoundException.class, () -> engine.inspectNetworkCmd().withNetworkId(network).exec());
        d.deallocate(r.identifier()); // already gone: still fine
    }

    @Test
    void natUsesTheEnginesBridgeAndNoLimitsMeansNone() {
        DockerDriver d = driver(node);
        AllocatedResource r = allocate(d, UUID.randomUUID(), definition(SLEEP, resources(0, 0, "nat", Map.of())), "{}");
        InspectContainerResponse c = engine.inspectContainerCmd(r.identifier()).exec();
        assertFalse(r.ipAddr().isEmpty());
        assertEquals(0L, c.getHostConfig().getNanoCPUs() == null ? 0L : c.getHostConfig().getNanoCPUs());
        assertThrows(NotFoundException.class,
                () -> engine.inspectNetworkCmd().withNetworkId(r.identifier() + "-net").exec());
    }

    @Test
    void disksAreNamedVolumesAndOnlySharedOnesOutliveTheResource() {
        DockerDriver d = driver(node);
        String shared = "shared" + UUID.randomUUID().toString().substring(0, 8);
        cleanups.add(() -> engine.removeVolumeCmd("fish-disk-" + shared).exec());
        Map<String, ResourcesDisk> disks = Map.of(
                "data", new ResourcesDisk("", "", 1, false, ""),
                "cache", new ResourcesDisk("", shared, 1, true, ""));
        AllocatedResource r = allocate(d, UUID.randomUUID(), definition(SLEEP, resources(0, 0, "", disks)), "{}");
        InspectContainerResponse c = engine.inspectContainerCmd(r.identifier()).exec();
        Set<String> mounts = c.getMounts().stream().map(m -> m.getName() + "@" + m.getDestination().getPath())
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(Set.of(r.identifier() + "-data@/mnt/data", "fish-disk-" + shared + "@/mnt/cache"), mounts);

        d.deallocate(r.identifier());
        assertThrows(NotFoundException.class, () -> engine.inspectVolumeCmd(r.identifier() + "-data").exec());
        assertEquals("fish-disk-" + shared, engine.inspectVolumeCmd("fish-disk-" + shared).exec().getName());
    }

    @Test
    void snapshotCommitsToTheImageTaggedWithTheApplication() {
        DockerDriver d = driver(node);
        UUID app = UUID.randomUUID();
        AllocatedResource r = allocate(d, app, definition(SLEEP, resources(0, 0, "nat", Map.of())), "{}");
        String snapshot = "localhost/fish-test-busybox:" + app;
        cleanups.add(() -> engine.removeImageCmd(snapshot).withForce(true).exec());

        DriverTask task = d.task("snapshot").orElseThrow();
        RawJson result = task.run(r.identifier(), RawJson.EMPTY_OBJECT, ApplicationStatus.ALLOCATED);
        assertEquals("{\"snapshots\":[\"" + snapshot + "\"],\"when\":\"ALLOCATED\"}", result.json());
        assertEquals(app.toString(),
                engine.inspectImageCmd(snapshot).exec().getConfig().getLabels().get(DockerDriver.LABEL_APPLICATION));
    }

    @Test
    void theImageTaskCommitsIntoItsApplicationsNamespaceWhichALabelCanRun() {
        DockerDriver d = driver(node);
        UUID app = UUID.randomUUID();
        AllocatedResource r = allocate(d, app, definition(SLEEP, resources(0, 0, "nat", Map.of())), "{}");
        String latest = "fish-image/" + app + ":latest";
        String v1 = "fish-image/" + app + ":v1";
        cleanups.add(() -> engine.removeImageCmd(latest).withForce(true).exec());
        cleanups.add(() -> engine.removeImageCmd(v1).withForce(true).exec());
        DriverTask task = d.task("image").orElseThrow();

        RawJson result = task.run(r.identifier(), RawJson.EMPTY_OBJECT, ApplicationStatus.DEALLOCATE);
        assertTrue(result.json().startsWith("{\"image\":\"" + latest + "\",\"id\":\""), result.json());
        result = task.run(r.identifier(), new RawJson("{\"name\":\"" + v1 + "\"}"), ApplicationStatus.DEALLOCATE);
        assertTrue(result.json().startsWith("{\"image\":\"" + v1 + "\",\"id\":\""), result.json());
        assertEquals(app.toString(),
                engine.inspectImageCmd(v1).exec().getConfig().getLabels().get(DockerDriver.LABEL_APPLICATION));

        AllocatedResource fromIt = allocate(d, UUID.randomUUID(), definition("{\"image\":\"" + v1
                + "\",\"command\":[\"sleep\",\"600\"]}", resources(0, 0, "nat", Map.of())), "{}");
        assertEquals(engine.inspectImageCmd(v1).exec().getId(),
                engine.inspectContainerCmd(fromIt.identifier()).exec().getImageId());
        assertTrue(d.task("unknown").isEmpty());
    }

    /** The audit: an owner's image task named another label's image, which everyone's allocations then ran. */
    @Test
    void anImageTaskCannotReplaceTheImageOfAnotherLabel() {
        DockerDriver d = driver(node);
        String original = engine.inspectImageCmd(TestEngine.IMAGE).exec().getId();
        // Should the tag move anyway, the next tests still get the real test image.
        cleanups.add(() -> engine.tagImageCmd(original, TestEngine.REPOSITORY, TestEngine.TAG).withForce().exec());
        AllocatedResource owners = allocate(d, UUID.randomUUID(), definition(SLEEP, resources(0, 0, "nat", Map.of())),
                "{}");
        cleanups.add(() -> engine.listImagesCmd().withLabelFilter(Map.of(DockerDriver.LABEL_NODE, node)).exec()
                .forEach(i -> engine.removeImageCmd(i.getId()).withForce(true).exec()));

        DriverException e = assertThrows(DriverException.class, () -> d.task("image").orElseThrow().run(
                owners.identifier(), new RawJson("{\"name\":\"" + TestEngine.IMAGE + "\"}"),
                ApplicationStatus.ALLOCATED));
        AllocatedResource others = allocate(d, UUID.randomUUID(), definition(SLEEP, resources(0, 0, "nat", Map.of())),
                "{}");

        assertEquals(original, engine.inspectContainerCmd(others.identifier()).exec().getImageId(),
                "another application of the label runs the label's image");
        assertTrue(e.getMessage().startsWith("docker driver: the image task commits only to fish-image/"),
                e.getMessage());
    }

    /** As an earlier version let a task leave it: a task's image under a name that is not its own. */
    @Test
    void aTagATaskTookOutsideItsNamespaceIsNotRun() {
        DockerDriver d = driver(node);
        UUID owner = UUID.randomUUID();
        AllocatedResource r = allocate(d, owner, definition(SLEEP, resources(0, 0, "nat", Map.of())), "{}");
        String taken = "localhost/fish-test-taken-" + UUID.randomUUID().toString().substring(0, 8) + ":v1";
        engine.commitCmd(r.identifier()).withRepository(DockerDriverOptions.repository(taken))
                .withTag(DockerDriverOptions.tag(taken))
                .withLabels(Map.of(DockerDriver.LABEL_NODE, node, DockerDriver.LABEL_APPLICATION, owner.toString()))
                .exec();
        cleanups.add(() -> engine.removeImageCmd(taken).withForce(true).exec());

        DriverException e = assertThrows(DriverException.class, () -> allocate(d, UUID.randomUUID(),
                definition("{\"image\":\"" + taken + "\",\"command\":[\"sleep\",\"600\"]}",
                        resources(0, 0, "nat", Map.of())), "{}"));
        assertTrue(e.getMessage().startsWith("docker driver: unable to pull image " + taken
                + " (the local one was committed by a task of application " + owner + ", which may not hold that name)"),
                e.getMessage());
    }

    @Test
    void aTaskOnAMissingContainerFails() {
        DockerDriver d = driver(node);
        DriverException e = assertThrows(DriverException.class, () -> d.task("snapshot").orElseThrow()
                .run("fish-000000000000", RawJson.EMPTY_OBJECT, ApplicationStatus.ALLOCATED));
        assertTrue(e.getMessage().contains("unavailable resource"), e.getMessage());
    }

    @Test
    void reconcileRemovesOnlyThisNodesUnrecordedContainers() {
        DockerDriver mine = driver(node);
        DockerDriver other = driver(node + "-other");
        AllocatedResource kept = allocate(mine, UUID.randomUUID(), definition(SLEEP, resources(0, 0, "", Map.of())),
                "{}");
        AllocatedResource leftover = allocate(mine, UUID.randomUUID(),
                definition(SLEEP, resources(0, 0, "", Map.of("d", new ResourcesDisk("", "", 1, false, "")))), "{}");
        AllocatedResource othersOwn = allocate(other, UUID.randomUUID(),
                definition(SLEEP, resources(0, 0, "nat", Map.of())), "{}");

        mine.reconcile(Set.of(kept.identifier()));
        assertTrue(containerExists(kept.identifier()));
        assertFalse(containerExists(leftover.identifier()));
        assertThrows(NotFoundException.class,
                () -> engine.inspectNetworkCmd().withNetworkId(leftover.identifier() + "-net").exec());
        assertThrows(NotFoundException.class, () -> engine.inspectVolumeCmd(leftover.identifier() + "-d").exec());
        assertTrue(containerExists(othersOwn.identifier()), "another node's container");
    }

    @Test
    void anImageThatCannotBePulledFailsTheAllocationAndLeavesNothing() {
        DockerDriver d = driver(node);
        DriverException e = assertThrows(DriverException.class, () -> allocate(d, UUID.randomUUID(),
                definition("{\"image\":\"localhost:1/fish-no-such-image:v0\"}", resources(0, 0, "", Map.of())), "{}"));
        assertTrue(e.getMessage().startsWith("docker driver: unable to pull image localhost:1/fish-no-such-image:v0"),
                e.getMessage());
        assertEquals(List.of(), engine.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerDriver.LABEL_NODE, node)).exec());
        assertTrue(engine.listNetworksCmd().withFilter("label", List.of(DockerDriver.LABEL_NODE + "=" + node)).exec()
                .isEmpty());
    }

    @Test
    void capacityComesFromTheEngineHost() {
        DockerDriver d = driver(node);
        int cpus = engine.infoCmd().exec().getNCPU();
        assertEquals(cpus, d.capacity().cpuTotal());
        assertEquals(cpus, d.availableCapacity(null, definition(SLEEP, resources(1, 0, "", Map.of()))));
        assertThrows(DriverException.class,
                () -> d.availableCapacity(null, definition(SLEEP, resources(1, 0, "vpn", Map.of()))));
    }

    @Test
    void theTestImageHoldsAWholeBusyboxThatRuns() throws Exception {
        long size = Files.size(TestEngine.BUSYBOX);
        long imageSize = engine.inspectImageCmd(TestEngine.IMAGE).exec().getSize();
        assertTrue(imageSize >= size, "image of " + imageSize + " bytes, busybox alone has " + size);
        String id = container("sh", "-c", "busybox wc -c < /bin/busybox");
        assertArrayEquals(Files.readAllBytes(TestEngine.BUSYBOX), readFile(id, "/bin/busybox"));

        engine.startContainerCmd(id).exec();
        int exit = engine.waitContainerCmd(id).start().awaitStatusCode(1, TimeUnit.MINUTES);
        assertEquals(0, exit);
        assertEquals(size + "\n", output(id));
    }

    @Test
    void anArchiveCopiedIntoAContainerComesBackWhole() throws IOException {
        byte[] random = new byte[1024 * 1024];
        new Random().nextBytes(random);
        String id = container("true");
        engine.copyArchiveToContainerCmd(id).withRemotePath("/tmp").withTarInputStream(new ByteArrayInputStream(
                new TarArchive(0).directory("fish", 0755).file("fish/random.bin", 0644, random).toBytes())).exec();
        assertArrayEquals(random, readFile(id, "/tmp/fish/random.bin"));
    }

    /** A created (not started) container of the test image, removed after the test. */
    private String container(String... command) {
        String id = engine.createContainerCmd(TestEngine.IMAGE).withCmd(command).exec().getId();
        cleanups.add(() -> engine.removeContainerCmd(id).withForce(true).exec());
        return id;
    }

    /** What a finished container wrote to its standard output. */
    private static String output(String container) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        boolean ended = engine.logContainerCmd(container).withStdOut(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(1, TimeUnit.MINUTES);
        assertTrue(ended, "the log of " + container + " did not end");
        return out.toString();
    }

    /** Asked of the engine itself, as the driver's own client would. */
    private static boolean containerExists(String id) {
        try {
            engine.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException gone) {
            return false;
        }
    }

    private static Map<String, String> filterFish(Map<String, String> labels) {
        Map<String, String> out = new java.util.HashMap<>(labels);
        out.keySet().removeIf(k -> !k.startsWith("io.aquarium.fish."));
        return out;
    }

    /** One file of a container, through the engine's archive download (a tar holding just that file). */
    private static byte[] readFile(String container, String path) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(
                engine.copyArchiveFromContainerCmd(container, path).exec())) {
            TarArchiveEntry entry = in.getNextEntry();
            assertNotNull(entry, "no " + path + " in " + container);
            return in.readAllBytes();
        }
    }
}
