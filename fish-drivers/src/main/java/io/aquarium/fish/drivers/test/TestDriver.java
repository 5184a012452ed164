package io.aquarium.fish.drivers.test;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pretends to provide resources: each one is a marker file {@code test-XXXXXX} in the workspace,
 * so resources survive a node restart like real ones. Limits, delays and random failures come from
 * the instance config and the definition options.
 */
public final class TestDriver implements Driver {
    /** What "unlimited" capacity is reported as. */
    public static final int UNLIMITED = 1_000_000;
    public static final String SNAPSHOT_TASK = "snapshot";

    private static final Logger LOG = LoggerFactory.getLogger(TestDriver.class);
    private static final Pattern IDENTIFIER = Pattern.compile("test-[A-Za-z0-9]{6}");
    private static final String IP_ADDR = "127.0.0.1";
    // 62^6 names: a handful of collisions is already unlikely, this many means something else is wrong.
    private static final int MAX_NAME_ATTEMPTS = 100;

    private final String name;
    private final TestDriverConfig config;
    private final FailureDice dice;
    private final Sleeper sleeper;

    TestDriver(String name, TestDriverConfig config, FailureDice dice, Sleeper sleeper) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.dice = Objects.requireNonNull(dice, "dice");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRemote() {
        return config.isRemote();
    }

    public TestDriverConfig config() {
        return config;
    }

    @Override
    public void validate(LabelDefinition definition) {
        TestDriverOptions options = TestDriverOptions.parse(definition.options());
        dice.roll("options apply", options.failOptionsApply());
        dice.roll("options validate", options.failOptionsValidate());
    }

    /** The limits set ({@code cpu_limit}, {@code ram_limit}); 0 means unlimited, so absent. */
    @Override
    public Map<String, Integer> totals() {
        Map<String, Integer> totals = new LinkedHashMap<>();
        if (config.cpuLimit() > 0) {
            totals.put("cpu", config.cpuLimit());
        }
        if (config.ramLimit() > 0) {
            totals.put("ram", config.ramLimit());
        }
        return totals;
    }

    @Override
    public int availableCapacity(Usage usage, LabelDefinition definition) {
        TestDriverOptions options = TestDriverOptions.parse(definition.options());
        dice.roll("available capacity", options.failAvailableCapacity());
        pause(options.delayAvailableCapacity());
        return capacity(config, usage == null ? Usage.NONE : usage, definition.resources());
    }

    /**
     * How many more of {@code wanted} fit into the limits (plus overbook, when both the usage and
     * the request allow it) minus the usage. A limit of 0 leaves that dimension unlimited; a request
     * bigger than the limit itself never fits, since overbooking only lets resources share.
     * Multitenancy is not required for overbooking.
     */
    static int capacity(TestDriverConfig config, Usage usage, Resources wanted) {
        if (config.unlimited()) {
            return UNLIMITED;
        }
        boolean cpuOverbook = wanted.cpuOverbook() && (usage.isEmpty() || usage.cpuOverbook());
        boolean ramOverbook = wanted.ramOverbook() && (usage.isEmpty() || usage.ramOverbook());
        long fit = Math.min(
                fits(config.cpuLimit(), cpuOverbook ? config.cpuOverbook() : 0, usage.cpu(), wanted.cpu()),
                fits(config.ramLimit(), ramOverbook ? config.ramOverbook() : 0, usage.ram(), wanted.ram()));
        return (int) Math.min(fit, UNLIMITED);
    }

    private static long fits(long limit, long overbook, long used, long need) {
        if (limit == 0 || need <= 0) {
            return UNLIMITED;
        }
        if (need > limit) {
            return 0;
        }
        return Math.max(0, (limit + overbook - used) / need);
    }

    @Override
    public AllocatedResource allocate(AllocationRequest request) {
        LabelDefinition definition = request.definition();
        RawJson metadata = request.metadata();
        TestDriverOptions options = TestDriverOptions.parse(definition.options());
        dice.roll("allocate", options.failAllocate());
        pause(options.delayAllocate());

        byte[] marker = ResourceMarker.encode(definition, metadata).getBytes(StandardCharsets.UTF_8);
        Path workspace = config.workspacePath();
        try {
            Files.createDirectories(workspace);
            for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
                String identifier = "test-" + dice.randomAlphanumeric(6);
                try {
                    // CREATE_NEW makes the name check and the creation one step, so two workers never share a name.
                    Files.write(workspace.resolve(identifier), marker, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                LOG.debug("test driver {}: allocated {}", name, identifier);
                return new AllocatedResource(identifier, IP_ADDR, "", definition.authentication());
            }
        } catch (IOException e) {
            throw new DriverException("test driver: unable to create a resource file in " + workspace + ": "
                    + e.getMessage(), e);
        }
        throw new DriverException("test driver: no free resource name found in " + workspace);
    }

    @Override
    public Optional<DriverTask> task(String taskName) {
        return SNAPSHOT_TASK.equals(taskName) ? Optional.of(this::snapshot) : Optional.empty();
    }

    private RawJson snapshot(String identifier, RawJson options, ApplicationStatus applicationStatus) {
        Objects.requireNonNull(applicationStatus, "applicationStatus");
        Path file = markerFile(identifier);
        dice.roll("snapshot " + identifier, config.failSnapshot());
        if (!Files.exists(file)) {
            throw new DriverException("test driver: unable to snapshot unavailable resource '" + identifier + "'");
        }
        return new RawJson("{\"snapshots\":[\"test-snapshot\"],\"when\":\"" + applicationStatus.name() + "\"}");
    }

    /**
     * Removes marker files no resource row records (a crash between creating a marker and recording
     * it). Only this node's workspace is looked at: nodes must not share a {@code workspace_path}.
     */
    @Override
    public void reconcile(Set<String> identifiersInUse) {
        Path workspace = config.workspacePath();
        if (!Files.isDirectory(workspace)) {
            return;
        }
        try (var files = Files.list(workspace)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (IDENTIFIER.matcher(name).matches() && !identifiersInUse.contains(name)) {
                    Files.deleteIfExists(file);
                    LOG.info("test driver {}: removed leftover resource {}", this.name, name);
                }
            }
        } catch (IOException e) {
            throw new DriverException("test driver: unable to clean up " + workspace + ": " + e.getMessage());
        }
    }

    @Override
    public void deallocate(String identifier) {
        Path file = markerFile(identifier);
        dice.roll("deallocate " + identifier, config.failDeallocate());
        TestDriverOptions options = storedOptions(file);
        dice.roll("deallocate " + identifier, options.failDeallocate());
        pause(options.delayDeallocate());
        try {
            if (Files.deleteIfExists(file)) {
                LOG.debug("test driver {}: deallocated {}", name, identifier);
            }
        } catch (IOException e) {
            throw new DriverException("test driver: unable to deallocate resource '" + identifier + "': "
                    + e.getMessage(), e);
        }
    }

    /** The options the resource was allocated with; defaults when it is gone or its marker is unreadable. */
    private TestDriverOptions storedOptions(Path file) {
        String marker;
        try {
            marker = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return TestDriverOptions.DEFAULTS;
        } catch (IOException e) {
            LOG.warn("test driver {}: unable to read {}: {}", name, file, e.getMessage());
            return TestDriverOptions.DEFAULTS;
        }
        try {
            return ResourceMarker.options(marker).map(TestDriverOptions::parse).orElse(TestDriverOptions.DEFAULTS);
        } catch (DriverException e) {
            LOG.warn("test driver {}: ignoring the stored options of {}: {}", name, file.getFileName(),
                    e.getMessage());
            return TestDriverOptions.DEFAULTS;
        }
    }

    /** The marker of {@code identifier}; only names this driver can make are accepted, so no path escapes. */
    private Path markerFile(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new DriverException("test driver: invalid resource identifier");
        }
        return config.workspacePath().resolve(identifier);
    }

    private void pause(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("test driver: interrupted while waiting", e);
        }
    }
}
