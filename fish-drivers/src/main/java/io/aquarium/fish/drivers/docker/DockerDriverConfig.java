package io.aquarium.fish.drivers.docker;

import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.config.ConfigValues;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.drivers.common.CapacityConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code cfg} of a docker driver instance.
 *
 * @param dockerHost where the engine listens ({@code docker_host}; default the node's
 *                   {@code DOCKER_HOST}, else {@value #DEFAULT_HOST}); {@code unix://} or {@code tcp://}
 * @param capacity   the capacity keys, applied to the engine host's CPUs and memory
 * @param images     where the images tasks make go ({@code image_prefix}, default
 *                   {@value ImageNamespace#DEFAULT_PREFIX})
 */
public record DockerDriverConfig(URI dockerHost, CapacityConfig capacity, ImageNamespace images) {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /** The original Fish's docker driver keys this driver does without: accepted, ignored, warned about. */
    static final Set<String> ORIGINAL_KEYS = Set.of("docker_path", "is_remote", "images_path", "workspace_path",
            "download_user", "download_password", "ignore_non_controlled");

    public DockerDriverConfig {
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(images, "images");
    }

    /**
     * @param nodeEnv the node's environment, for {@code DOCKER_HOST}
     * @throws DriverException naming the key, for a wrong value
     */
    public static DockerDriverConfig parse(Map<String, Object> cfg, Map<String, String> nodeEnv) {
        return parse(cfg, nodeEnv, null);
    }

    /**
     * {@link #parse(Map, Map)} reporting the problems of typed values and keys to {@code problems}
     * (null: throw the first); a value the driver checks itself still throws.
     */
    public static DockerDriverConfig parse(Map<String, Object> cfg, Map<String, String> nodeEnv,
                                           ConfigProblems problems) {
        Set<String> keys = new HashSet<>(CapacityConfig.KEYS);
        keys.add("docker_host");
        keys.add("image_prefix");
        ConfigValues c = new ConfigValues("docker driver", cfg, keys, ORIGINAL_KEYS, DriverException::new, problems);
        String fromEnv = nodeEnv.get("DOCKER_HOST");
        String host = c.string("docker_host", fromEnv == null || fromEnv.isBlank() ? DEFAULT_HOST : fromEnv);
        String prefix = c.string("image_prefix", ImageNamespace.DEFAULT_PREFIX);
        if (!ImageNamespace.PREFIX.matcher(prefix).matches()) {
            throw c.invalid("image_prefix", "expected a repository path like "
                    + ImageNamespace.DEFAULT_PREFIX + " or registry.example.com/ci/images", prefix);
        }
        return new DockerDriverConfig(hostUri(c, host), CapacityConfig.parse(c), new ImageNamespace(prefix));
    }

    private static URI hostUri(ConfigValues c, String host) {
        try {
            URI uri = new URI(host);
            if ("unix".equals(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty()) {
                return uri;
            }
            if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw c.invalid("docker_host", "expected unix:///path or tcp://host:port", host);
    }
}
