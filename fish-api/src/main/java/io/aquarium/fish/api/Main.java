package io.aquarium.fish.api;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aquarium.fish.api.logging.LogFormat;
import io.aquarium.fish.core.config.ConfigKeys;
import io.aquarium.fish.core.config.ConfigLoader;
import io.aquarium.fish.core.config.ConfigProblem;
import io.aquarium.fish.core.config.ConfigReport;
import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.driver.DriverFactory;
import io.aquarium.fish.core.runtime.ConfigValidation;
import io.aquarium.fish.core.node.NodeNameTakenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * {@code java -jar aquarium-fish.jar -c config.yml -v debug}: runs one node until SIGINT/SIGTERM, after
 * checking its config; {@code validate -c config.yml} only checks it. A config with errors: every
 * problem on stderr, exit code 2, nothing written.
 */
@Command(name = "aquarium-fish", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        subcommands = Main.Validate.class,
        description = "Aquarium Fish node: a voting resource allocator for CI, REST v1 compatible.")
public final class Main implements Callable<Integer> {
    /** The exit code of a configuration the operator must fix (also picocli's for a bad option). */
    public static final int CONFIG_ERROR = 2;

    /** The levels {@code -v} accepts. */
    enum Verbosity { trace, debug, info, warn, error }

    /** What the node and {@code validate} read: the file and the command-line overrides. */
    static final class ConfigOptions {
        @Option(names = {"-c", "--cfg"}, description = "YAML configuration file")
        Path cfg;

        @Option(names = {"-a", "--api"}, description = "API address host:port (overrides api_address)")
        String api;

        @Option(names = {"-n", "--node"}, description = "node name (overrides node_name)")
        String node;

        @Option(names = {"-D", "--dir"}, description = "data directory (overrides directory)")
        Path dir;

        @Option(names = "--log-format", paramLabel = "FORMAT",
                description = "stdout log lines: text (default) or json (overrides log_format)")
        String logFormat;

        Map<String, Object> overrides() {
            Map<String, Object> overrides = new HashMap<>();
            overrides.put("api_address", api);
            overrides.put("node_name", node);
            overrides.put("directory", dir == null ? null : dir.toString());
            overrides.put(ConfigKeys.LOG_FORMAT, logFormat);
            return overrides;
        }

        /**
         * The log format and node name as far as they can be known before the config is checked (the
         * command line, else the file's keys read on their own, else null), so that the first lines are
         * already in the configured format. The check decides: a wrong value is reported there.
         */
        String[] early() {
            String format = logFormat;
            String name = node;
            if (cfg != null && (format == null || name == null)) {
                try {
                    Map<?, ?> values = new ObjectMapper(new YAMLFactory()).readValue(cfg.toFile(), Map.class);
                    if (values != null) {
                        format = format != null ? format : stringOrNull(values.get(ConfigKeys.LOG_FORMAT));
                        name = name != null ? name : stringOrNull(values.get(ConfigKeys.NODE_NAME));
                    }
                } catch (IOException | RuntimeException e) {
                    // The check reports what is wrong with the file.
                }
            }
            return new String[] {format, name};
        }

        private static String stringOrNull(Object value) {
            return value instanceof String s ? s : null;
        }

        /** The check a start runs before it writes anything. */
        ConfigReport check() {
            return ConfigValidation.validate(new ConfigLoader(LoggerFactory.getLogger(ConfigLoader.class)), cfg,
                    overrides(), ServiceLoader.load(DriverFactory.class), Clock.systemUTC());
        }
    }

    @Mixin
    private ConfigOptions config = new ConfigOptions();

    @Option(names = {"-v", "--verbosity"}, defaultValue = "info",
            description = "log level: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Verbosity verbosity;

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public Integer call() {
        setLogLevel(verbosity);
        // Before anything is logged: every line on stdout is in one format from the first one.
        String[] early = config.early();
        if (FishConfig.LOG_FORMAT_JSON.equals(early[0])) {
            LogFormat.apply(early[0], early[1]);
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        ConfigReport report = config.check();
        if (report.ok()) {
            LogFormat.apply(report.config().logFormat(), report.config().nodeName());
        }
        for (ConfigProblem warning : report.warnings()) {
            log.warn("{}", warning.format());
        }
        if (!report.ok()) {
            printErrors(report, System.err);
            return CONFIG_ERROR;
        }
        // The admin password is printed once, to stderr and not to the log: it is a secret. It stays this
        // plain line in the JSON log format too (the contract's line; stdout is the JSON log).
        NodeRunner runner = new NodeRunner(report.config(), Clock.systemUTC(),
                password -> System.err.println("Admin user pass: " + password));
        try {
            runner.start();
        } catch (NodeNameTakenException e) {
            // The operator must change the configuration: the same exit code as a configuration error.
            log.error("Unable to start the node: {}", e.getMessage());
            System.err.println(e.getMessage());
            runner.stop();
            return CONFIG_ERROR;
        } catch (Exception e) {
            log.error("Unable to start the node: {}", e.getMessage(), e);
            runner.stop();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stop, "fish-shutdown"));
        runner.awaitStop();
        return 0;
    }

    private static void printErrors(ConfigReport report, PrintStream out) {
        for (ConfigProblem error : report.errors()) {
            out.println(error.format());
        }
        out.println("Configuration error: " + count(report.errors().size(), "error") + ", the node does not start");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static void setLogLevel(Verbosity verbosity) {
        Level level = Level.toLevel(verbosity.name().toUpperCase(Locale.ROOT), Level.INFO);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }

    /** {@code validate -c fish.yml}: every problem a start would find, on stderr; exit 0 (warnings only) or 2. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a configuration as a start would, without starting or writing anything; "
                    + "exit 0 when it has no errors, 2 otherwise.")
    static final class Validate implements Callable<Integer> {
        @Mixin
        private ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() {
            // Drivers and the loader log at WARN what the report says better: keep the output to the report.
            setLogLevel(Verbosity.error);
            ConfigReport report = config.check();
            for (ConfigProblem problem : report.problems()) {
                System.err.println(problem.format());
            }
            String what = config.cfg == null ? "the default configuration" : config.cfg.toString();
            String summary = what + ": " + count(report.errors().size(), "error") + ", "
                    + count(report.warnings().size(), "warning");
            if (!report.ok()) {
                System.err.println(summary);
                return CONFIG_ERROR;
            }
            System.out.println(summary + ", OK");
            return 0;
        }
    }
}
