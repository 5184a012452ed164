package io.aquarium.fish.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads the node's YAML config, lays command-line overrides on top and validates the result, finding
 * every problem in one pass ({@link #check}). Unknown keys are errors with a suggestion; keys of the
 * original Fish's config that this node does without ({@link #IGNORED_KEYS}) are warnings.
 */
public final class ConfigLoader {
    /** Far above any real config; stops a wrong path (a disk image, say) from being slurped. */
    static final long MAX_FILE_BYTES = 1L << 20;
    private static final List<String> DRIVER_ENTRY_KEYS = List.of("name", "cfg");
    /** Keys of the original Fish's config (v0.7.7 to v0.10) that are accepted and ignored, with a warning. */
    public static final Set<String> IGNORED_KEYS = Set.of("proxy_socks_address", "proxy_ssh_address", "cpu_limit",
            "mem_target", "ssh_key", "node_slots_limit", "elected_rounds_to_wait", "db_cleanup_interval",
            "db_compact_interval", "disable_auth", "monitoring");
    /** Each semantic error found takes its key out and the config is built again, at most this often. */
    private static final int MAX_BUILD_ROUNDS = ConfigKeys.ALL.size() + 1;

    private final Logger log;
    private final Supplier<String> hostname;

    public ConfigLoader() {
        this(LoggerFactory.getLogger(ConfigLoader.class));
    }

    public ConfigLoader(Logger log) {
        this(log, LocalHostname::get);
    }

    /** @param hostname supplies the default node name */
    public ConfigLoader(Logger log, Supplier<String> hostname) {
        this.log = log;
        this.hostname = hostname;
    }

    /** The configuration with nothing set. */
    public FishConfig defaults() {
        return load(null, Map.of());
    }

    /**
     * {@link #check}, then the warnings are logged and any error is thrown.
     *
     * @param yamlFileOrNull the config file, or null for none
     * @param overrides      values by YAML key that win over the file (null values are ignored)
     * @throws ConfigException naming every error (one per line), its {@link ConfigException#key()} the first's key
     */
    public FishConfig load(Path yamlFileOrNull, Map<String, Object> overrides) {
        ConfigReport report = check(yamlFileOrNull, overrides);
        for (ConfigProblem warning : report.warnings()) {
            log.warn("{}", warning.format());
        }
        if (!report.ok()) {
            throw ConfigException.of(report.errors());
        }
        return report.config();
    }

    /** A further check run on what could be read, reporting to the same problems (the drivers' own). */
    @FunctionalInterface
    public interface DriversCheck {
        /**
         * @param drivers  the {@code drivers:} entries that could be read; empty when none are listed
         * @param explicit whether the config lists {@code drivers:}
         * @param config   the config, or null when it has errors already
         */
        void check(List<DriverConfig> drivers, boolean explicit, FishConfig config, ConfigProblems problems);
    }

    /**
     * Reads and checks the config, collecting every problem of the node's own keys and of the shape
     * of {@code drivers:} (each driver's {@code cfg} is its factory's business, see
     * {@code ConfigValidation}). Throws nothing for a bad config.
     */
    public ConfigReport check(Path yamlFileOrNull, Map<String, Object> overrides) {
        return check(yamlFileOrNull, overrides, (drivers, explicit, config, problems) -> { });
    }

    /** {@link #check(Path, Map)} and then {@code driversCheck}, unless {@code drivers:} could not be read at all. */
    public ConfigReport check(Path yamlFileOrNull, Map<String, Object> overrides, DriversCheck driversCheck) {
        String file = yamlFileOrNull == null ? null : yamlFileOrNull.toString();
        Map<String, Object> values = new LinkedHashMap<>();
        ConfigProblems problems;
        if (yamlFileOrNull != null) {
            String text;
            Map<String, Object> read;
            try {
                text = readText(yamlFileOrNull);
                read = parse(text, yamlFileOrNull);
            } catch (ConfigException e) {
                problems = new ConfigProblems(file, Map.of());
                problems.error(null, e.getMessage());
                return new ConfigReport(null, List.of(), problems.list());
            }
            problems = new ConfigProblems(file, YamlLines.of(newYaml(), text));
            for (Map.Entry<String, Object> entry : read.entrySet()) {
                String key = entry.getKey();
                if (ConfigKeys.ALL.contains(key)) {
                    values.put(key, entry.getValue());
                } else if (IGNORED_KEYS.contains(key)) {
                    problems.warning(key, "key '" + key + "' of the original Fish is not supported by this node"
                            + " and is ignored");
                } else {
                    Suggestions.reportUnknown(problems, key, "unknown key", key, ConfigKeys.ALL);
                }
            }
        } else {
            problems = new ConfigProblems(null, Map.of());
        }
        if (overrides != null) {
            for (Map.Entry<String, Object> entry : overrides.entrySet()) {
                if (!ConfigKeys.ALL.contains(entry.getKey())) {
                    problems.error(null, "unknown config key '" + entry.getKey() + "' in overrides");
                } else if (entry.getValue() != null) {
                    values.put(entry.getKey(), entry.getValue());
                }
            }
        }
        values.values().removeIf(v -> v == null);

        // Each key read on its own: a wrong value is reported and the key keeps its default.
        Map<String, Consumer<FishConfig.Builder>> setters = new LinkedHashMap<>();
        List<DriverConfig> drivers = List.of();
        boolean driversReadable = true;
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String key = entry.getKey();
            try {
                if (key.equals(ConfigKeys.DRIVERS)) {
                    List<DriverConfig> read = drivers(entry.getValue(), problems);
                    drivers = read;
                    setters.put(key, b -> b.drivers(read));
                } else {
                    setters.put(key, setter(key, entry.getValue()));
                }
            } catch (ConfigException e) {
                problems.error(e.key() == null ? key : e.key(), e.getMessage());
                driversReadable &= !key.equals(ConfigKeys.DRIVERS);
            }
        }
        // The rules between values (FishConfig's): each broken key is reported, reset and the rest built again.
        FishConfig config = null;
        for (int round = 0; round < MAX_BUILD_ROUNDS && config == null; round++) {
            FishConfig.Builder b = FishConfig.builder().nodeName(hostname.get());
            setters.values().forEach(s -> s.accept(b));
            try {
                config = b.build();
            } catch (ConfigException e) {
                problems.error(e.key(), e.getMessage());
                if (e.key() == null || setters.remove(e.key()) == null) {
                    break;
                }
            }
        }
        if (driversReadable) {
            driversCheck.check(drivers, values.containsKey(ConfigKeys.DRIVERS), problems.hasErrors() ? null : config,
                    problems);
        }
        return new ConfigReport(problems.hasErrors() ? null : config, drivers, problems.list());
    }

    /** Reads one node key's value; the returned setter puts it into a builder. */
    private static Consumer<FishConfig.Builder> setter(String key, Object value) {
        return switch (key) {
            case ConfigKeys.NODE_NAME -> set(ConfigValues.string(key, value), FishConfig.Builder::nodeName);
            case ConfigKeys.NODE_LOCATION -> set(ConfigValues.string(key, value), FishConfig.Builder::nodeLocation);
            case ConfigKeys.NODE_ADDRESS -> set(ConfigValues.string(key, value), FishConfig.Builder::nodeAddress);
            case ConfigKeys.NODE_IDENTIFIERS -> set(ConfigValues.stringList(key, value), FishConfig.Builder::nodeIdentifiers);
            case ConfigKeys.API_ADDRESS -> set(ConfigValues.string(key, value), FishConfig.Builder::apiAddress);
            case ConfigKeys.API_ALLOW_H2C -> set(ConfigValues.bool(key, value), FishConfig.Builder::apiAllowH2c);
            case ConfigKeys.DIRECTORY -> set(ConfigValues.path(key, value), FishConfig.Builder::directory);
            case ConfigKeys.ALLOCATION_RETRY -> set(ConfigValues.integer(key, value), FishConfig.Builder::allocationRetry);
            case ConfigKeys.TLS_CA_CRT -> set(ConfigValues.string(key, value), FishConfig.Builder::tlsCaCrt);
            case ConfigKeys.TLS_KEY -> set(ConfigValues.string(key, value), FishConfig.Builder::tlsKey);
            case ConfigKeys.TLS_CRT -> set(ConfigValues.string(key, value), FishConfig.Builder::tlsCrt);
            case ConfigKeys.ELECTION_INTERVAL -> set(ConfigValues.duration(key, value), FishConfig.Builder::electionInterval);
            case ConfigKeys.CLUSTER_ADDRESS -> set(ConfigValues.string(key, value), FishConfig.Builder::clusterAddress);
            case ConfigKeys.CLUSTER_JOIN -> set(ConfigValues.stringList(key, value), FishConfig.Builder::clusterJoin);
            case ConfigKeys.CLUSTER_QUORUM -> set(ConfigValues.integer(key, value), FishConfig.Builder::clusterQuorum);
            case ConfigKeys.META_NETWORKS -> set(ConfigValues.stringList(key, value), FishConfig.Builder::metaNetworks);
            case ConfigKeys.TRUSTED_PROXIES -> set(ConfigValues.stringList(key, value), FishConfig.Builder::trustedProxies);
            case ConfigKeys.USER_PER_RESOURCE -> set(ConfigValues.bool(key, value), FishConfig.Builder::userPerResource);
            case ConfigKeys.LABEL_REMOVE_AT_MIN -> set(ConfigValues.duration(key, value), FishConfig.Builder::labelRemoveAtMin);
            case ConfigKeys.LABEL_REMOVE_AT_MAX -> set(ConfigValues.duration(key, value), FishConfig.Builder::labelRemoveAtMax);
            case ConfigKeys.STREAMS_LIMIT -> set(ConfigValues.integer(key, value), FishConfig.Builder::streamsLimit);
            case ConfigKeys.HISTORY_RETENTION -> set(ConfigValues.duration(key, value), FishConfig.Builder::historyRetention);
            case ConfigKeys.LOG_FORMAT -> set(ConfigValues.string(key, value), FishConfig.Builder::logFormat);
            case ConfigKeys.ACCESS_LOG -> set(ConfigValues.bool(key, value), FishConfig.Builder::accessLog);
            case ConfigKeys.METRICS_AUTH -> set(ConfigValues.bool(key, value), FishConfig.Builder::metricsAuth);
            // "" is how the original wrote "no default lifetime".
            case ConfigKeys.DEFAULT_RESOURCE_LIFETIME -> value instanceof String s && s.isBlank() ? b -> { }
                    : set(ConfigValues.duration(key, value), FishConfig.Builder::defaultResourceLifetime);
            default -> throw new IllegalStateException("no reader for config key " + key);
        };
    }

    private static <T> Consumer<FishConfig.Builder> set(T value, BiConsumer<FishConfig.Builder, T> setter) {
        return b -> setter.accept(b, value);
    }

    /** The entries that could be read; each broken one is reported. */
    private List<DriverConfig> drivers(Object value, ConfigProblems problems) {
        String key = ConfigKeys.DRIVERS;
        if (value instanceof DriverConfig single) {
            return List.of(single);
        }
        if (!(value instanceof List<?> entries)) {
            throw ConfigException.invalid(key, "expected a list of {name: ..., cfg: {...}} entries", value);
        }
        List<DriverConfig> drivers = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i);
            String path = key + "[" + i + "]";
            if (entry instanceof DriverConfig driver) {
                drivers.add(driver);
                continue;
            }
            if (!(entry instanceof Map<?, ?> map)) {
                problems.error(path, ConfigException.invalid(key, "entry " + i + " must be a mapping with 'name' and 'cfg'",
                        entry).getMessage());
                continue;
            }
            for (Object entryKey : map.keySet()) {
                if (!DRIVER_ENTRY_KEYS.contains(entryKey)) {
                    Suggestions.reportUnknown(problems, path + "." + entryKey, "unknown key in drivers entry " + i,
                            String.valueOf(entryKey), DRIVER_ENTRY_KEYS);
                }
            }
            Object name = map.get("name");
            if (name == null) {
                problems.error(path, ConfigException.invalid(key, "entry " + i + " has no 'name'").getMessage());
                continue;
            }
            if (!(name instanceof String)) {
                problems.error(path + ".name", ConfigException.invalid(key, "entry " + i + " 'name' must be a string",
                        name).getMessage());
                continue;
            }
            Object cfg = map.get("cfg");
            if (cfg != null && !(cfg instanceof Map<?, ?>)) {
                problems.error(path + ".cfg", ConfigException.invalid(key, "entry " + i + " ('" + name
                        + "') 'cfg' must be a mapping", cfg).getMessage());
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> cfgMap = (Map<String, Object>) cfg;
                drivers.add(new DriverConfig((String) name, cfgMap));
            } catch (IllegalArgumentException e) {
                problems.error(path + ".name", ConfigException.invalid(key, "entry " + i + ": " + e.getMessage())
                        .getMessage());
            }
        }
        return drivers;
    }

    private static String readText(Path file) {
        try {
            if (!Files.exists(file)) {
                throw new ConfigException(null, "config file not found: " + file, null);
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(null, "config file is not a regular file: " + file, null);
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(null, "config file is larger than " + MAX_FILE_BYTES + " bytes: " + file,
                        null);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(null, "config file is not valid UTF-8: " + file, e);
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> parse(String text, Path file) {
        Object document;
        try {
            document = newYaml().load(text);
        } catch (YAMLException e) {
            throw new ConfigException(null, "invalid YAML in config file " + file + ": " + e.getMessage(), e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException(null, "config file " + file + " must hold a mapping of keys at the top level",
                    null);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new ConfigException(null, "config file " + file + " has a non-string key "
                        + ConfigValues.describe(entry.getKey()), null);
            }
            result.put(key, entry.getValue());
        }
        return result;
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit((int) MAX_FILE_BYTES);
        DumperOptions dumperOptions = new DumperOptions();
        return new Yaml(new PlainDataConstructor(options), new Representer(dumperOptions), dumperOptions, options);
    }

    /** SafeConstructor, but timestamps stay strings: a mutable Date has no place in the deep-immutable config. */
    private static final class PlainDataConstructor extends SafeConstructor {
        PlainDataConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }
}
