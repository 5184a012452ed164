package io.aquarium.fish.drivers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Docker-compatible engine the docker tests run against: {@code FISH_DOCKER_TEST_HOST}, by
 * default Podman's service on {@code unix:///tmp/podman.sock} (what {@code .ci/run} starts). Tests
 * are skipped without one, unless {@code FISH_DOCKER_TEST_REQUIRED=true} (set by CI) makes that a
 * failure. The test image is a busybox root file system imported from the host's static busybox,
 * since this machine cannot reach an image registry.
 */
final class TestEngine {
    static final String REPOSITORY = "localhost/fish-test-busybox";
    static final String TAG = "latest";
    static final String IMAGE = REPOSITORY + ":" + TAG;
    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> APPLETS = List.of("sh", "sleep", "cat", "env", "ls", "echo", "ip", "true");

    private TestEngine() {
    }

    static String host() {
        String host = System.getenv("FISH_DOCKER_TEST_HOST");
        return host == null || host.isBlank() ? "unix:///tmp/podman.sock" : host;
    }

    /** A client of the test engine, after making sure it answers and has the test image. */
    static DockerClient connect() {
        String host = host();
        boolean required = "true".equals(System.getenv("FISH_DOCKER_TEST_REQUIRED"));
        String why = null;
        if (host.startsWith("unix://") && !Files.exists(Path.of(host.substring("unix://".length())))) {
            why = "no engine socket at " + host;
        }
        DockerClient client = null;
        DockerHttpClient transport = null;
        if (why == null) {
            transport = transport(host);
            client = DockerClientImpl.getInstance(DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host).withDockerTlsVerify(false).build(), transport);
            try {
                client.pingCmd().exec();
            } catch (RuntimeException e) {
                why = "the engine at " + host + " does not answer: " + e.getMessage();
            }
        }
        if (why != null) {
            if (required) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        ensureImage(client, transport);
        return client;
    }

    /** docker-java's HTTP transport to an engine at {@code unix://} or {@code tcp://} host. */
    static DockerHttpClient transport(String host) {
        return new ApacheDockerHttpClient.Builder().dockerHost(URI.create(host))
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofMinutes(2)).build();
    }

    private static synchronized void ensureImage(DockerClient client, DockerHttpClient transport) {
        try {
            client.inspectImageCmd(IMAGE).exec();
            return;
        } catch (NotFoundException missing) {
            // import it below
        }
        if (!Files.isExecutable(BUSYBOX)) {
            fail("the docker tests need a static /bin/busybox (Debian package busybox-static) for their image");
        }
        TarArchive rootfs = new TarArchive(0).directory("bin", 0755).directory("tmp", 01777)
                .directory("etc", 0755);
        try {
            rootfs.file("bin/busybox", 0755, Files.readAllBytes(BUSYBOX));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String applet : APPLETS) {
            rootfs.symlink("bin/" + applet, "busybox");
        }
        EngineImages.importImage(transport, REPOSITORY, TAG, rootfs.toBytes());
    }
}
