package io.aquarium.fish.drivers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Makes {@code docker} driver instances; listed for {@link java.util.ServiceLoader}. */
public final class DockerDriverFactory implements DriverFactory {
    public static final String NAME = "docker";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);
    private static final long GB = 1024L * 1024 * 1024;

    private final Map<String, String> nodeEnv;

    /** What ServiceLoader uses: {@code DOCKER_HOST} comes from this process's environment. */
    public DockerDriverFactory() {
        this(System.getenv());
    }

    DockerDriverFactory(Map<String, String> nodeEnv) {
        this.nodeEnv = Map.copyOf(nodeEnv);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @throws DriverException on a bad config, or when no engine answers at the configured address */
    @Override
    public DockerDriver create(String instanceName, Map<String, Object> config, DriverContext context) {
        DockerDriverConfig cfg = DockerDriverConfig.parse(config, nodeEnv);
        String host = cfg.dockerHost().toString();
        if ("unix".equals(cfg.dockerHost().getScheme()) && !Files.exists(Path.of(cfg.dockerHost().getPath()))) {
            throw new DriverException("docker driver: no Docker engine socket at " + host);
        }
        DockerClient client;
        try {
            client = client(cfg);
        } catch (LinkageError e) {
            // A packaging fault must cost this driver only, not the node.
            throw new DriverException("docker driver: the Docker client library is incomplete: " + e, e);
        }
        Info info;
        try {
            client.pingCmd().exec();
            info = client.infoCmd().exec();
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw new DriverException("docker driver: the Docker engine at " + host + " does not answer: "
                    + e.getMessage(), e);
        }
        int cpus = info.getNCPU() == null ? 0 : info.getNCPU();
        int ramGb = info.getMemTotal() == null ? 0 : (int) (info.getMemTotal() / GB);
        String nodeName = context == null ? "" : context.nodeName();
        Clock clock = context == null ? Clock.systemUTC() : context.clock();
        return new DockerDriver(instanceName, nodeName, client, cfg.capacity().forHost(cpus, ramGb), cfg.images(),
                clock, new SecureRandom());
    }

    /** The cfg's values; a unix socket that is not there is a warning (the driver would be unavailable). */
    @Override
    public void check(String instanceName, Map<String, Object> config, DriverContext context, ConfigProblems problems) {
        DockerDriverConfig cfg;
        try {
            cfg = DockerDriverConfig.parse(config, nodeEnv, problems);
        } catch (DriverException e) {
            problems.error(null, e.getMessage());
            return;
        }
        if ("unix".equals(cfg.dockerHost().getScheme()) && !Files.exists(Path.of(cfg.dockerHost().getPath()))) {
            problems.warning("docker_host", "docker driver " + instanceName + ": no Docker engine socket at "
                    + cfg.dockerHost() + "; the driver will be unavailable until an engine listens there");
        }
    }

    private static DockerClient client(DockerDriverConfig cfg) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(cfg.dockerHost().toString())
                .withDockerTlsVerify(false)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .maxConnections(64)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing more to do for a client that never worked
        }
    }
}
