package io.aquarium.fish.api;

import ch.qos.logback.classic.Level;
import io.aquarium.fish.core.config.ConfigException;
import io.aquarium.fish.core.config.ConfigLoader;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.node.NodeNameTakenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code java -jar aquarium-fish.jar -c config.yml -v debug}: runs one node until SIGINT/SIGTERM. */
@Command(name = "aquarium-fish", mixinStandardHelpOptions = true, version = "aquarium-fish 0.1.0",
        description = "Aquarium Fish node: a voting resource allocator for CI, REST v1 compatible.")
public final class Main implements Callable<Integer> {
    @Option(names = {"-c", "--cfg"}, description = "YAML configuration file")
    private Path cfg;

    @Option(names = {"-v", "--verbosity"}, defaultValue = "info",
            description = "log level: trace, debug, info, warn, error (default: ${DEFAULT-VALUE})")
    private String verbosity;

    @Option(names = {"-a", "--api"}, description = "API address host:port (overrides api_address)")
    private String api;

    @Option(names = {"-n", "--node"}, description = "node name (overrides node_name)")
    private String node;

    @Option(names = {"-D", "--dir"}, description = "data directory (overrides directory)")
    private Path dir;

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        setLogLevel(verbosity);
        Logger log = LoggerFactory.getLogger(Main.class);
        FishConfig config;
        try {
            Map<String, Object> overrides = new HashMap<>();
            overrides.put("api_address", api);
            overrides.put("node_name", node);
            overrides.put("directory", dir == null ? null : dir.toString());
            config = new ConfigLoader(LoggerFactory.getLogger(ConfigLoader.class)).load(cfg, overrides);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            return 2;
        }
        // The admin password is printed once, to stderr and not to the log: it is a secret.
        NodeRunner runner = new NodeRunner(config, Clock.systemUTC(),
                password -> System.err.println("Admin user pass: " + password));
        try {
            runner.start();
        } catch (NodeNameTakenException e) {
            // The operator must change the configuration: the same exit code as a configuration error.
            log.error("Unable to start the node: {}", e.getMessage());
            System.err.println(e.getMessage());
            runner.stop();
            return 2;
        } catch (Exception e) {
            log.error("Unable to start the node: {}", e.getMessage(), e);
            runner.stop();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stop, "fish-shutdown"));
        runner.awaitStop();
        return 0;
    }

    private static void setLogLevel(String verbosity) {
        Level level = Level.toLevel(verbosity.toUpperCase(Locale.ROOT), Level.INFO);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }
}
