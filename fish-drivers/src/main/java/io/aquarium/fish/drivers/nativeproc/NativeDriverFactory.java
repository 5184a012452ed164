package io.aquarium.fish.drivers.nativeproc;

import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** Makes {@code native} driver instances; listed for {@link java.util.ServiceLoader}. */
public final class NativeDriverFactory implements DriverFactory {
    public static final String NAME = "native";
    private static final Logger LOG = LoggerFactory.getLogger(NativeDriverFactory.class);
    private static final long GB = 1024L * 1024 * 1024;

    private final Map<String, String> nodeEnv;
    private final BiFunction<String, String, Optional<Path>> programs;

    /** What ServiceLoader uses: this process's environment (its PATH finds the helper programs). */
    public NativeDriverFactory() {
        this(System.getenv(), Commands::find);
    }

    /** @param programs finds a program by name on a PATH value (tests hide some) */
    NativeDriverFactory(Map<String, String> nodeEnv, BiFunction<String, String, Optional<Path>> programs) {
        this.nodeEnv = Map.copyOf(nodeEnv);
        this.programs = programs;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws DriverException on a bad config, when {@code setsid} is missing, or when
     *                         {@code user_per_resource} is asked for without root or without
     *                         useradd/userdel/setpriv
     */
    @Override
    public NativeDriver create(String instanceName, Map<String, Object> config, DriverContext context) {
        NativeDriverConfig cfg = NativeDriverConfig.parse(config, context == null ? null : context.workDirectory(),
                Runtime.getRuntime().availableProcessors(), hostRamGb());
        if (context != null && context.dataDirectory() != null) {
            requireOutside(cfg.workspacePath(), context.dataDirectory());
        }
        String path = nodeEnv.get("PATH");
        Path setsid = require("setsid", path, "to run workloads in their own session");
        Path sh = programs.apply("sh", path).orElse(null);
        NativeDriver.Tools tools;
        if (cfg.userPerResource()) {
            if (!OsUsers.isRoot()) {
                throw new DriverException("native driver: user_per_resource needs the node to run as root");
            }
            Commands commands = new Commands();
            tools = new NativeDriver.Tools(setsid, sh, require("setpriv", path, "for user_per_resource"),
                    new OsUsers(commands, require("useradd", path, "for user_per_resource"),
                            require("userdel", path, "for user_per_resource")));
        } else {
            tools = new NativeDriver.Tools(setsid, sh, null, null);
            LOG.warn("native driver {}: workloads run as this node's user and can read whatever the node can, its data "
                    + "directory (CA key, store) included; set user_per_resource: true unless every workload is trusted",
                    instanceName);
        }
        Clock clock = context == null ? Clock.systemUTC() : context.clock();
        return new NativeDriver(instanceName, cfg, tools, ProcessTree.system(), clock, new SecureRandom(), nodeEnv);
    }

    /**
     * The cfg's values and a workspace outside the data directory (errors); a missing {@code setsid},
     * or {@code user_per_resource} without root or its programs, only makes the driver unavailable here
     * (warnings).
     */
    @Override
    public void check(String instanceName, Map<String, Object> config, DriverContext context, ConfigProblems problems) {
        try {
            NativeDriverConfig cfg = NativeDriverConfig.parse(config, context == null ? null : context.workDirectory(),
                    Runtime.getRuntime().availableProcessors(), hostRamGb(), problems);
            if (context != null && context.dataDirectory() != null) {
                requireOutside(cfg.workspacePath(), context.dataDirectory());
            }
            String path = nodeEnv.get("PATH");
            List<String> needed = new ArrayList<>(List.of("setsid"));
            if (cfg.userPerResource()) {
                if (!OsUsers.isRoot()) {
                    problems.warning("user_per_resource", "native driver " + instanceName
                            + ": user_per_resource needs the node to run as root; the driver will be unavailable");
                }
                needed.addAll(List.of("setpriv", "useradd", "userdel"));
            }
            for (String program : needed) {
                if (programs.apply(program, path).isEmpty()) {
                    problems.warning(null, "native driver " + instanceName + ": program '" + program
                            + "' not found on PATH; the driver will be unavailable");
                }
            }
        } catch (DriverException | IllegalArgumentException e) {
            problems.error(null, e.getMessage());
        }
    }

    /**
     * A workload's working directory and HOME must not be in the node's data directory, whose 0700 would also
     * lock a workload's own user out of its home.
     */
    private static void requireOutside(Path workspace, Path dataDirectory) {
        Path data = dataDirectory.toAbsolutePath().normalize();
        Path real = data;
        try {
            real = data.toRealPath();
        } catch (IOException e) {
            // Not there yet: the normalised path is all there is to compare.
        }
        if (workspace.startsWith(data) || workspace.startsWith(real)) {
            throw new DriverException("native driver config 'workspace_path': " + workspace
                    + " is inside the node's data directory; workloads must not run there");
        }
    }

    private Path require(String program, String path, String why) {
        Optional<Path> found = programs.apply(program, path);
        return found.orElseThrow(() -> new DriverException("native driver: program '" + program
                + "' not found (needed " + why + ")"));
    }

    private static int hostRamGb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return (int) Math.max(1, os.getTotalMemorySize() / GB);
        }
        return 1;
    }
}
