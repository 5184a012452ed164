package io.aquarium.fish.drivers.docker;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Volume;
import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverTask;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import io.aquarium.fish.drivers.common.HostCapacity;
import io.aquarium.fish.drivers.common.RandomNames;
import io.aquarium.fish.drivers.common.WorkloadEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

/**
 * Each resource is a container named after its identifier ({@code fish-} and 12 characters),
 * labelled with the node, the driver instance, the application and itself, so a restarted node can
 * tell its own leftovers apart. Network {@code ""} puts the container alone on its own internal
 * network {@code <identifier>-net} (no way out, but an address the node can see); {@code nat} uses
 * the engine's default bridge. Disks are named volumes mounted at {@code /mnt/<disk>}: per resource,
 * or shared across resources ({@code reuse}) under {@code fish-disk-<label or disk name>}.
 */
public final class DockerDriver implements Driver {
    public static final String METADATA_FILE = "/fish/metadata.json";
    public static final String SNAPSHOT_TASK = "snapshot";
    public static final String IMAGE_TASK = "image";
    static final String LABEL_NODE = "io.aquarium.fish.node";
    static final String LABEL_DRIVER = "io.aquarium.fish.driver";
    static final String LABEL_APPLICATION = "io.aquarium.fish.application";
    static final String LABEL_RESOURCE = "io.aquarium.fish.resource";
    static final Pattern IDENTIFIER = Pattern.compile("fish-[a-z0-9]{12}");
    static final String NAT = "nat";

    private static final Logger LOG = LoggerFactory.getLogger(DockerDriver.class);
    private static final Pattern DISK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final long GB = 1024L * 1024 * 1024;
    private static final long NANO_CPUS = 1_000_000_000L;
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(30);
    private static final JsonMapper JSON = new JsonMapper();

    private final String name;
    private final String nodeName;
    private final DockerClient client;
    private final HostCapacity capacity;
    private final ImageNamespace images;
    private final Clock clock;
    private final RandomGenerator random;

    DockerDriver(String name, String nodeName, DockerClient client, HostCapacity capacity, ImageNamespace images,
                 Clock clock, RandomGenerator random) {
        this.name = Objects.requireNonNull(name, "name");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.client = Objects.requireNonNull(client, "client");
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        this.images = Objects.requireNonNull(images, "images");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    public HostCapacity capacity() {
        return capacity;
    }

    @Override
    public Map<String, Integer> totals() {
        return capacity.totals();
    }

    @Override
    public void validate(LabelDefinition definition) {
        DockerDriverOptions.parse(definition.options());
        checkResources(definition.resources());
    }

    @Override
    public int availableCapacity(Usage usage, LabelDefinition definition) {
        validate(definition);
        return capacity.available(usage, definition.resources());
    }

    private static void checkResources(Resources r) {
        if (!r.network().isEmpty() && !NAT.equals(r.network())) {
            throw new DriverException("docker driver: network must be \"\" (isolated) or \"nat\"");
        }
        for (Map.Entry<String, ResourcesDisk> disk : r.disks().entrySet()) {
            if (!DISK_NAME.matcher(disk.getKey()).matches()) {
                throw new DriverException("docker driver: disk names may use letters, digits, '_', '.' and '-'");
            }
            if (!disk.getValue().cloneOf().isEmpty()) {
                throw new DriverException("docker driver: disk '" + disk.getKey() + "': clone is not supported");
            }
            if (!disk.getValue().label().isEmpty() && !DISK_NAME.matcher(disk.getValue().label()).matches()) {
                throw new DriverException("docker driver: disk '" + disk.getKey() + "': labels may use letters, "
                        + "digits, '_', '.' and '-'");
            }
        }
    }

    @Override
    public AllocatedResource allocate(AllocationRequest request) {
        LabelDefinition definition = request.definition();
        DockerDriverOptions options = DockerDriverOptions.parse(definition.options());
        Resources resources = definition.resources();
        checkResources(resources);
        String identifier = "fish-" + RandomNames.draw(random, RandomNames.LOWER_ALPHANUMERIC, 12);
        Map<String, String> labels = labels(identifier, request.applicationUid().toString());
        try {
            ensureImage(options.image());
            String network = NAT.equals(resources.network()) ? "bridge" : isolatedNetwork(identifier, labels);
            HostConfig host = HostConfig.newHostConfig().withNetworkMode(network)
                    .withBinds(volumes(identifier, resources.disks(), labels));
            if (resources.cpu() > 0) {
                host.withNanoCPUs(resources.cpu() * NANO_CPUS);
            }
            if (resources.ram() > 0) {
                host.withMemory(resources.ram() * GB);
            }
            Map<String, String> env = WorkloadEnvironment.fromMetadata(request);
            env.putAll(options.env());
            CreateContainerCmd create = client.createContainerCmd(options.image()).withName(identifier)
                    .withLabels(labels).withHostConfig(host)
                    .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            if (!options.command().isEmpty()) {
                create.withCmd(options.command());
            }
            create.exec();
            byte[] metadata = request.metadata().json().getBytes(StandardCharsets.UTF_8);
            client.copyArchiveToContainerCmd(identifier).withRemotePath("/")
                    .withTarInputStream(new ByteArrayInputStream(new TarArchive(clock.instant().getEpochSecond())
                            .directory("fish", 0755).file("fish/metadata.json", 0644, metadata).toBytes()))
                    .exec();
            client.startContainerCmd(identifier).exec();
            ContainerNetwork net = address(identifier, network);
            LOG.info("docker driver {}: allocated {} ({}) for application {}", name, identifier, options.image(),
                    request.applicationUid());
            return new AllocatedResource(identifier, net == null ? "" : net.getIpAddress(),
                    net == null ? "" : net.getMacAddress(), definition.authentication());
        } catch (RuntimeException e) {
            removeQuietly(identifier);
            if (e instanceof DriverException d) {
                throw d;
            }
            throw new DriverException("docker driver: unable to allocate a container of " + options.image() + ": "
                    + e.getMessage(), e);
        }
    }

    private Map<String, String> labels(String identifier, String application) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NODE, nodeName);
        labels.put(LABEL_DRIVER, name);
        labels.put(LABEL_APPLICATION, application);
        labels.put(LABEL_RESOURCE, identifier);
        return labels;
    }

    /**
     * Makes {@code image} local: pulled when missing, and pulled again when the local one is a task's
     * image under a name outside its namespace, so a label never runs what an application's owner
     * committed under that label's image name.
     */
    private void ensureImage(String image) {
        String why;
        try {
            InspectImageResponse local = client.inspectImageCmd(image).exec();
            Map<String, String> labels = local.getConfig() == null ? null : local.getConfig().getLabels();
            if (images.mayUse(image, labels)) {
                return;
            }
            why = " (the local one was committed by a task of application " + labels.get(LABEL_APPLICATION)
                    + ", which may not hold that name)";
            LOG.warn("docker driver {}: pulling image {} again{}", name, image, why);
        } catch (NotFoundException missing) {
            why = "";
            LOG.info("docker driver {}: pulling image {}", name, image);
        }
        pull(image, why);
    }

    private void pull(String image, String why) {
        try {
            boolean done = image.contains("@")
                    ? client.pullImageCmd(image).exec(new PullImageResultCallback())
                    .awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    : client.pullImageCmd(DockerDriverOptions.repository(image)).withTag(DockerDriverOptions.tag(image))
                    .exec(new PullImageResultCallback()).awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                throw new DriverException("docker driver: pulling image " + image + " took longer than " + PULL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("docker driver: interrupted while pulling image " + image, e);
        } catch (RuntimeException e) {
            throw new DriverException("docker driver: unable to pull image " + image + why + ": " + e.getMessage(), e);
        }
    }

    private String isolatedNetwork(String identifier, Map<String, String> labels) {
        String network = identifier + "-net";
        client.createNetworkCmd().withName(network).withInternal(true).withCheckDuplicate(true).withLabels(labels)
                .exec();
        return network;
    }

    private List<Bind> volumes(String identifier, Map<String, ResourcesDisk> disks, Map<String, String> labels) {
        List<Bind> binds = new ArrayList<>();
        for (Map.Entry<String, ResourcesDisk> e : disks.entrySet()) {
            ResourcesDisk disk = e.getValue();
            String volume;
            if (disk.reuse()) {
                volume = "fish-disk-" + (disk.label().isEmpty() ? e.getKey() : disk.label());
                Map<String, String> shared = new LinkedHashMap<>(labels);
                // A shared volume outlives this resource, so it is not labelled as part of it.
                shared.remove(LABEL_RESOURCE);
                shared.remove(LABEL_APPLICATION);
                createVolumeIfMissing(volume, shared);
            } else {
                volume = identifier + "-" + e.getKey();
                createVolumeIfMissing(volume, labels);
            }
            binds.add(new Bind(volume, new Volume("/mnt/" + e.getKey())));
        }
        return binds;
    }

    private void createVolumeIfMissing(String volume, Map<String, String> labels) {
        try {
            client.inspectVolumeCmd(volume).exec();
        } catch (NotFoundException missing) {
            client.createVolumeCmd().withName(volume).withLabels(labels).exec();
        }
    }

    /** The container's attachment to {@code network} (or its first one), once it runs. */
    private ContainerNetwork address(String identifier, String network) {
        InspectContainerResponse c = client.inspectContainerCmd(identifier).exec();
        if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
            return null;
        }
        Map<String, ContainerNetwork> networks = c.getNetworkSettings().getNetworks();
        ContainerNetwork net = networks.get(network);
        if (net == null || net.getIpAddress() == null || net.getIpAddress().isEmpty()) {
            net = networks.values().stream().filter(n -> n.getIpAddress() != null && !n.getIpAddress().isEmpty())
                    .findFirst().orElse(net);
        }
        return net;
    }

    @Override
    public Optional<DriverTask> task(String taskName) {
        return switch (taskName) {
            case SNAPSHOT_TASK -> Optional.of(this::snapshot);
            case IMAGE_TASK -> Optional.of(this::image);
            default -> Optional.empty();
        };
    }

    /** Commits the container to its image's repository, tagged with the application UID. */
    private RawJson snapshot(String identifier, RawJson options, ApplicationStatus when) {
        InspectContainerResponse c = inspectForTask(identifier, SNAPSHOT_TASK);
        String application = c.getConfig().getLabels().getOrDefault(LABEL_APPLICATION, identifier);
        String repository = DockerDriverOptions.repository(c.getConfig().getImage());
        commit(identifier, repository, application, application);
        ObjectNode result = JSON.createObjectNode();
        result.putArray("snapshots").add(repository + ":" + application);
        result.put("when", when.name());
        return new RawJson(result.toString());
    }

    /**
     * Commits the container to {@code <image_prefix>/<application UID>:latest}; the task options may
     * choose the tag by naming that image ({@code {"name":"fish-image/<application UID>:v2"}}), and
     * no other: the owner of an application must not replace an image that labels use.
     */
    private RawJson image(String identifier, RawJson options, ApplicationStatus when) {
        InspectContainerResponse c = inspectForTask(identifier, IMAGE_TASK);
        String application = c.getConfig().getLabels().getOrDefault(LABEL_APPLICATION, identifier);
        String requested = null;
        try {
            var node = JSON.readTree(options == null ? "{}" : options.json());
            if (node != null && node.hasNonNull("name")) {
                requested = node.get("name").asText();
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new DriverException("docker driver: the image task options are not JSON");
        }
        String image = images.imageTaskTarget(application, requested);
        String id = commit(identifier, DockerDriverOptions.repository(image), DockerDriverOptions.tag(image),
                application);
        ObjectNode result = JSON.createObjectNode();
        result.put("image", image);
        result.put("id", id);
        result.put("when", when.name());
        return new RawJson(result.toString());
    }

    private InspectContainerResponse inspectForTask(String identifier, String task) {
        check(identifier);
        try {
            return client.inspectContainerCmd(identifier).exec();
        } catch (NotFoundException gone) {
            throw new DriverException("docker driver: unable to " + task + " unavailable resource '" + identifier
                    + "'");
        }
    }

    private String commit(String identifier, String repository, String tag, String application) {
        try {
            String id = client.commitCmd(identifier).withRepository(repository).withTag(tag)
                    .withLabels(Map.of(LABEL_NODE, nodeName, LABEL_APPLICATION, application)).exec();
            LOG.info("docker driver {}: committed {} to {}:{}", name, identifier, repository, tag);
            return id;
        } catch (DockerException e) {
            throw new DriverException("docker driver: unable to commit " + identifier + ": " + e.getMessage(), e);
        }
    }

    /** Removes the container, its isolated network and its own volumes; shared volumes stay. */
    @Override
    public void deallocate(String identifier) {
        check(identifier);
        try {
            remove(identifier);
        } catch (DockerException e) {
            throw new DriverException("docker driver: unable to remove " + identifier + ": " + e.getMessage(), e);
        }
        LOG.info("docker driver {}: deallocated {}", name, identifier);
    }

    private void remove(String identifier) {
        try {
            client.removeContainerCmd(identifier).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // Already removed (or never created).
        }
        try {
            client.removeNetworkCmd(identifier + "-net").exec();
        } catch (NotFoundException gone) {
            // nat, or already removed
        }
        List<InspectVolumeResponse> volumes = client.listVolumesCmd()
                .withFilter("label", List.of(LABEL_RESOURCE + "=" + identifier)).exec().getVolumes();
        for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            try {
                client.removeVolumeCmd(v.getName()).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
    }

    private void removeQuietly(String identifier) {
        try {
            remove(identifier);
        } catch (RuntimeException e) {
            LOG.warn("docker driver {}: unable to clean up the failed {}: {}", name, identifier, e.getMessage());
        }
    }

    /**
     * Removes the containers, networks and volumes this driver instance made for this node that
     * belong to no resource the node records.
     */
    @Override
    public void reconcile(Set<String> identifiersInUse) {
        List<String> mine = List.of(LABEL_NODE + "=" + nodeName, LABEL_DRIVER + "=" + name);
        Set<String> found = new LinkedHashSet<>();
        try {
            for (Container c : client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(LABEL_NODE, nodeName, LABEL_DRIVER, name)).exec()) {
                found.add(resourceOf(c.getLabels()));
            }
            for (Network n : client.listNetworksCmd().withFilter("label", mine).exec()) {
                found.add(resourceOf(n.getLabels()));
            }
            List<InspectVolumeResponse> volumes = client.listVolumesCmd().withFilter("label", mine).exec()
                    .getVolumes();
            for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
                found.add(resourceOf(v.getLabels()));
            }
        } catch (DockerException e) {
            throw new DriverException("docker driver: unable to list the engine's containers: " + e.getMessage(), e);
        }
        found.removeIf(id -> id == null || !IDENTIFIER.matcher(id).matches() || identifiersInUse.contains(id));
        for (String id : found) {
            LOG.info("docker driver {}: removing {}, which no resource of this node records", name, id);
            removeQuietly(id);
        }
    }

    private static String resourceOf(Map<String, String> labels) {
        return labels == null ? null : labels.get(LABEL_RESOURCE);
    }

    private static void check(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new DriverException("docker driver: invalid resource identifier");
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (java.io.IOException e) {
            LOG.debug("docker driver {}: closing the engine client failed", name, e);
        }
    }
}
