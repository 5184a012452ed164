package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.driver.DriverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
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
                               Path workspacePath, int failConfigApply, int failConfigValidate, int failStatus,
                               int failSnapshot, int failDeallocate) {
    public static final String DEFAULT_WORKSPACE = "fish_test_workspace";

    private static final Logger LOG = LoggerFactory.getLogger(TestDriverConfig.class);
    private static final Set<String> KEYS = Set.of("cpu_limit", "ram_limit", "cpu_overbook", "ram_overbook",
            "is_remote", "workspace_path", "fail_config_apply", "fail_config_validate", "fail_status",
            "fail_snapshot", "fail_deallocate");
    private static final int MAX_ECHO = 60;

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
        Map<String, Object> c = cfg == null ? Map.of() : cfg;
        for (String key : c.keySet()) {
            if (!KEYS.contains(key)) {
                LOG.warn("test driver: unknown config key '{}' ignored", echo(key, MAX_ECHO));
            }
        }
        return new TestDriverConfig(
                count(c, "cpu_limit"), count(c, "ram_limit"), count(c, "cpu_overbook"), count(c, "ram_overbook"),
                bool(c, "is_remote"), workspace(c.get("workspace_path"), workDirectory),
                knob(c, "fail_config_apply"), knob(c, "fail_config_validate"), knob(c, "fail_status"),
                knob(c, "fail_snapshot"), knob(c, "fail_deallocate"));
    }

    /** True when neither CPU nor RAM is limited. */
    public boolean unlimited() {
        return cpuLimit == 0 && ramLimit == 0;
    }

    private static int count(Map<String, Object> c, String key) {
        return integer(c, key, Integer.MAX_VALUE, "expected a non-negative integer");
    }

    private static int knob(Map<String, Object> c, String key) {
        return integer(c, key, FailureDice.ALWAYS, "expected an integer from 0 (never fail) to 255 (always fail)");
    }

    private static int integer(Map<String, Object> c, String key, int max, String expected) {
        Object value = c.get(key);
        if (value == null) {
            return 0;
        }
        long n;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            n = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() < 63) {
            n = big.longValue();
        } else {
            throw invalid(key, expected, value);
        }
        if (n < 0 || n > max) {
            throw invalid(key, expected, value);
        }
        return (int) n;
    }

    private static boolean bool(Map<String, Object> c, String key) {
        Object value = c.get(key);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw invalid(key, "expected true or false", value);
    }

    private static Path workspace(Object value, Path workDirectory) {
        String text;
        if (value == null) {
            text = DEFAULT_WORKSPACE;
        } else if (value instanceof String s && !s.isBlank()) {
            text = s;
        } else {
            throw invalid("workspace_path", "expected a directory path", value);
        }
        Path base = workDirectory == null ? Path.of("") : workDirectory;
        try {
            return base.toAbsolutePath().resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw invalid("workspace_path", "not a valid path", value);
        }
    }

    private static DriverException invalid(String key, String expected, Object got) {
        return new DriverException("test driver config '" + key + "': " + expected + " (got " + describe(got) + ")");
    }

    private static String describe(Object value) {
        if (value instanceof CharSequence s) {
            return "'" + echo(s.toString(), MAX_ECHO) + "'";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof Iterable<?>) {
            return "a list";
        }
        return echo(String.valueOf(value), MAX_ECHO);
    }

    private static String echo(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }
}
