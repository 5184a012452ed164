package io.aquarium.fish.api;

import io.aquarium.fish.core.config.DriverConfig;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.tls.NodeCertificates;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A real node in this JVM on 127.0.0.1 with a free port and its data in a temporary directory. */
final class TestNode implements AutoCloseable {
    final NodeRunner runner;
    final String adminPassword;
    final ApiClient client;

    TestNode(Path dir) throws Exception {
        this(config(dir));
    }

    /** What {@link #TestNode(Path)} runs: the test driver, every other key at its default. */
    static FishConfig config(Path dir) {
        return FishConfig.builder().nodeName("test-node").apiAddress("127.0.0.1:0").directory(dir.resolve("fish_data"))
                .drivers(List.of(new DriverConfig("test", Map.of("workspace_path", dir.resolve("ws").toString()))))
                .build();
    }

    TestNode(FishConfig config) throws Exception {
        this(config, Clock.systemUTC());
    }

    TestNode(FishConfig config, Clock clock) throws Exception {
        AtomicReference<String> password = new AtomicReference<>();
        this.runner = new NodeRunner(config, clock, password::set);
        runner.start();
        this.adminPassword = password.get();
        this.client = new ApiClient(NodeCertificates.clientContextTrusting(runner.node().tls().caCertificate()),
                runner.port());
    }

    @Override
    public void close() {
        runner.stop();
    }
}
