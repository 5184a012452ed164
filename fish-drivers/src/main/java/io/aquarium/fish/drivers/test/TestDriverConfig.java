package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.config.ConfigValues;
import io.aquarium.fish.core.driver.DriverException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cfg} of a test driver instance.
 *
 * @param cpuLimit        vCPUs this instance may hand out, 0 = unlimited
 * @param ramLimit        RAM (GB) this instance may hand out, 0 = unlimited
 * @param cpuOverbook     extra vCPUs usable by resources that allow CPU overbooking
 * @param ramOverbook     extra RAM (GB) usable by resources that allow RAM overbooking
 * @param isRemote        pretend to be a cloud, whose usage does not count against the node
 * @param workspacePath   absolute directory of the marker files
 * @param failConfigApply fail knob (0-255) rolled when the instance is created; so is failConfigValidate
 */
public record TestDriverConfig(int cpuLimit, int ramLimit, int cpuOverbook, int ramOverbook, boolean isRemote,
                               Path workspacePath, int failConfigApply, int failConfigValidate, int failSnapshot,
                               int failDeallocate) {
    public static final String DEFAULT_WORKSPACE = "fish_test_workspace";

    private static final Set<String> KEYS = Set.of("cpu_limit", "ram_limit", "cpu_overbook", "ram_overbook",
            "is_remote", "workspace_path", "fail_config_apply", "fail_config_validate", "fail_snapshot",
            "fail_deallocate");
    /**
     * The original Fish's test driver keys this driver does without: accepted, ignored, warned about.
     * {@code fail_status} failed the status call, which the node never made.
     */
    static final Set<String> ORIGINAL_KEYS = Set.of("fail_status");

    public TestDriverConfig {
        if (workspacePath == null || !workspacePath.isAbsolute()) {
            throw new IllegalArgumentException("the test driver workspace must be an absolute path");
        }
    }

    /**
     * Reads {@code cfg} (parsed YAML; missing or null keys take their defaults; unknown keys are
     * logged and ignored, like unknown node config keys).
     *
     * @param workDirectory what a relative {@code workspace_path} is relative to
     * @throws DriverException naming the key, when a value has the wrong type or range
     */
    public static TestDriverConfig parse(Map<String, Object> cfg, Path workDirectory) {
        return parse(cfg, workDirectory, null);
    }

    /** {@link #parse(Map, Path)} reporting every problem to {@code problems} (null: throw the first). */
    public static TestDriverConfig parse(Map<String, Object> cfg, Path workDirectory, ConfigProblems problems) {
        ConfigValues c = new ConfigValues("test driver", cfg, KEYS, ORIGINAL_KEYS, DriverException::new, problems);
        return new TestDriverConfig(
                count(c, "cpu_limit"), count(c, "ram_limit"), count(c, "cpu_overbook"), count(c, "ram_overbook"),
                c.bool("is_remote", false), c.path("workspace_path", DEFAULT_WORKSPACE, workDirectory),
                knob(c, "fail_config_apply"), knob(c, "fail_config_validate"), knob(c, "fail_snapshot"),
                knob(c, "fail_deallocate"));
    }

    /** True when neither CPU nor RAM is limited. */
    public boolean unlimited() {
        return cpuLimit == 0 && ramLimit == 0;
    }

    private static int count(ConfigValues c, String key) {
        return c.integer(key, 0, 0, Integer.MAX_VALUE, "expected a non-negative integer");
    }

    private static int knob(ConfigValues c, String key) {
        return c.integer(key, 0, 0, FailureDice.ALWAYS, "expected an integer from 0 (never fail) to 255 (always fail)");
    }
}
