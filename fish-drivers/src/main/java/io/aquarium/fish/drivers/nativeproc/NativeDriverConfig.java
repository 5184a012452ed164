package io.aquarium.fish.drivers.nativeproc;

import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.config.ConfigValues;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.drivers.common.CapacityConfig;
import io.aquarium.fish.drivers.common.HostCapacity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code cfg} of a native driver instance.
 *
 * @param workspacePath   directory of the resources' workspaces ({@code workspace_path}, default
 *                        {@value #DEFAULT_WORKSPACE} in the node's directory)
 * @param userPerResource run each workload as its own throw-away OS user (needs root)
 * @param termGrace       how long a workload may take to end after SIGTERM before it gets SIGKILL
 *                        ({@code term_grace}, seconds, default 5)
 * @param cgroupPath      the cgroup v2 directory under which each resource gets its own
 *                        ({@code cgroup_path}, default {@value #DEFAULT_CGROUP})
 * @param capacity        CPU/RAM this driver may hand out (see {@link HostCapacity} for the keys)
 */
public record NativeDriverConfig(Path workspacePath, boolean userPerResource, Duration termGrace, Path cgroupPath,
                                 HostCapacity capacity) {
    public static final String DEFAULT_WORKSPACE = "fish_native_workspace";
    public static final String DEFAULT_CGROUP = "/sys/fs/cgroup/aquarium-fish";
    private static final int MAX_GRACE_SECONDS = 600;
    /** The original Fish's native driver keys this driver does without: accepted, ignored, warned about. */
    static final Set<String> ORIGINAL_KEYS = Set.of("users", "su_path", "sudo_path", "sh_path", "tar_path",
            "mount_path", "chown_path", "chmod_path", "killall_path", "rm_path", "images_path", "dscl_path",
            "hdiutil_path", "mdutil_path", "createhomedir_path", "download_user", "download_password");

    public NativeDriverConfig {
        Objects.requireNonNull(workspacePath, "workspacePath");
        Objects.requireNonNull(termGrace, "termGrace");
        Objects.requireNonNull(cgroupPath, "cgroupPath");
        Objects.requireNonNull(capacity, "capacity");
        if (!workspacePath.isAbsolute() || !cgroupPath.isAbsolute()) {
            throw new IllegalArgumentException("native driver paths must be absolute");
        }
    }

    /**
     * Reads {@code cfg} (parsed YAML).
     *
     * @param workDirectory what a relative {@code workspace_path} is relative to
     * @param hostCpu       this host's vCPUs, the default CPU total
     * @param hostRamGb     this host's RAM in GB, the default RAM total
     * @throws io.aquarium.fish.core.driver.DriverException naming the key, for a wrong value
     */
    public static NativeDriverConfig parse(Map<String, Object> cfg, Path workDirectory, int hostCpu, int hostRamGb) {
        return parse(cfg, workDirectory, hostCpu, hostRamGb, null);
    }

    /** {@link #parse(Map, Path, int, int)} reporting every problem to {@code problems} (null: throw the first). */
    public static NativeDriverConfig parse(Map<String, Object> cfg, Path workDirectory, int hostCpu, int hostRamGb,
                                           ConfigProblems problems) {
        Set<String> keys = new HashSet<>(CapacityConfig.KEYS);
        keys.addAll(Set.of("workspace_path", "user_per_resource", "term_grace", "cgroup_path"));
        ConfigValues c = new ConfigValues("native driver", cfg, keys, ORIGINAL_KEYS, DriverException::new, problems);
        return new NativeDriverConfig(
                c.path("workspace_path", DEFAULT_WORKSPACE, workDirectory),
                c.bool("user_per_resource", false),
                Duration.ofSeconds(c.integer("term_grace", 5, 0, MAX_GRACE_SECONDS)),
                c.path("cgroup_path", DEFAULT_CGROUP, workDirectory),
                HostCapacity.from(c, hostCpu, hostRamGb));
    }
}
