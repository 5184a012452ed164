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
 * Reads the node's YAML config, lays command-line overrides on top and validates the result.
 * Unknown keys only warn, so a config written for a newer (or the original Go) node still starts.
 */
public final class ConfigLoader {
    /** Far above any real config; stops a wrong path (a disk image, say) from being slurped. */
    static final long MAX_FILE_BYTES = 1L << 20;
    private static final Set<String> DRIVER_ENTRY_KEYS = Set.of("name", "cfg");

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
     * @param yamlFileOrNull the config file, or null for none
     * @param overrides      values by YAML key that win over the file (null values are ignored)
     * @throws ConfigException naming the file or key that is wrong
     */
    public FishConfig load(Path yamlFileOrNull, Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (yamlFileOrNull != null) {
            for (Map.Entry<String, Object> entry : readYaml(yamlFileOrNull).entrySet()) {
                if (ConfigKeys.ALL.contains(entry.getKey())) {
                    values.put(entry.getKey(), entry.getValue());
                } else {
                    log.warn("Unknown config key '{}' in {} ignored", entry.getKey(), yamlFileOrNull);
                }
            }
        }
        if (overrides != null) {
            for (Map.Entry<String, Object> entry : overrides.entrySet()) {
                if (!ConfigKeys.ALL.contains(entry.getKey())) {
                    throw new ConfigException(entry.getKey(), "unknown config key '" + entry.getKey()
                            + "' in overrides", null);
                }
                if (entry.getValue() != null) {
                    values.put(entry.getKey(), entry.getValue());
                }
            }
        }
        values.values().removeIf(v -> v == null);
        return build(values);
    }

    private FishConfig build(Map<String, Object> v) {
        FishConfig.Builder b = FishConfig.builder();
        b.nodeName(v.containsKey(ConfigKeys.NODE_NAME)
                ? ConfigValues.string(ConfigKeys.NODE_NAME, v.get(ConfigKeys.NODE_NAME)) : hostname.get());
        if (v.containsKey(ConfigKeys.NODE_LOCATION)) {
            b.nodeLocation(ConfigValues.string(ConfigKeys.NODE_LOCATION, v.get(ConfigKeys.NODE_LOCATION)));
        }
        if (v.containsKey(ConfigKeys.NODE_ADDRESS)) {
            b.nodeAddress(ConfigValues.string(ConfigKeys.NODE_ADDRESS, v.get(ConfigKeys.NODE_ADDRESS)));
        }
        if (v.containsKey(ConfigKeys.NODE_IDENTIFIERS)) {
            b.nodeIdentifiers(ConfigValues.stringList(ConfigKeys.NODE_IDENTIFIERS, v.get(ConfigKeys.NODE_IDENTIFIERS)));
        }
        if (v.containsKey(ConfigKeys.API_ADDRESS)) {
            b.apiAddress(ConfigValues.string(ConfigKeys.API_ADDRESS, v.get(ConfigKeys.API_ADDRESS)));
        }
        if (v.containsKey(ConfigKeys.API_ALLOW_H2C)) {
            b.apiAllowH2c(ConfigValues.bool(ConfigKeys.API_ALLOW_H2C, v.get(ConfigKeys.API_ALLOW_H2C)));
        }
        if (v.containsKey(ConfigKeys.DIRECTORY)) {
            b.directory(ConfigValues.path(ConfigKeys.DIRECTORY, v.get(ConfigKeys.DIRECTORY)));
        }
        if (v.containsKey(ConfigKeys.DEFAULT_RESOURCE_LIFETIME)) {
            Object lifetime = v.get(ConfigKeys.DEFAULT_RESOURCE_LIFETIME);
            // "" is how the original wrote "no default lifetime".
            if (!(lifetime instanceof String s && s.isBlank())) {
                b.defaultResourceLifetime(ConfigValues.duration(ConfigKeys.DEFAULT_RESOURCE_LIFETIME, lifetime));
            }
        }
        if (v.containsKey(ConfigKeys.ALLOCATION_RETRY)) {
            b.allocationRetry(ConfigValues.integer(ConfigKeys.ALLOCATION_RETRY, v.get(ConfigKeys.ALLOCATION_RETRY)));
        }
        if (v.containsKey(ConfigKeys.DRIVERS)) {
            b.drivers(drivers(v.get(ConfigKeys.DRIVERS)));
        }
        if (v.containsKey(ConfigKeys.TLS_CA_CRT)) {
            b.tlsCaCrt(ConfigValues.string(ConfigKeys.TLS_CA_CRT, v.get(ConfigKeys.TLS_CA_CRT)));
        }
        if (v.containsKey(ConfigKeys.TLS_KEY)) {
            b.tlsKey(ConfigValues.string(ConfigKeys.TLS_KEY, v.get(ConfigKeys.TLS_KEY)));
        }
        if (v.containsKey(ConfigKeys.TLS_CRT)) {
            b.tlsCrt(ConfigValues.string(ConfigKeys.TLS_CRT, v.get(ConfigKeys.TLS_CRT)));
        }
        if (v.containsKey(ConfigKeys.ELECTION_INTERVAL)) {
            b.electionInterval(ConfigValues.duration(ConfigKeys.ELECTION_INTERVAL, v.get(ConfigKeys.ELECTION_INTERVAL)));
        }
        if (v.containsKey(ConfigKeys.CLUSTER_ADDRESS)) {
            b.clusterAddress(ConfigValues.string(ConfigKeys.CLUSTER_ADDRESS, v.get(ConfigKeys.CLUSTER_ADDRESS)));
        }
        if (v.containsKey(ConfigKeys.CLUSTER_JOIN)) {
            b.clusterJoin(ConfigValues.stringList(ConfigKeys.CLUSTER_JOIN, v.get(ConfigKeys.CLUSTER_JOIN)));
        }
        if (v.containsKey(ConfigKeys.CLUSTER_QUORUM)) {
            b.clusterQuorum(ConfigValues.integer(ConfigKeys.CLUSTER_QUORUM, v.get(ConfigKeys.CLUSTER_QUORUM)));
        }
        if (v.containsKey(ConfigKeys.META_NETWORKS)) {
            b.metaNetworks(ConfigValues.stringList(ConfigKeys.META_NETWORKS, v.get(ConfigKeys.META_NETWORKS)));
        }
        if (v.containsKey(ConfigKeys.TRUSTED_PROXIES)) {
            b.trustedProxies(ConfigValues.stringList(ConfigKeys.TRUSTED_PROXIES, v.get(ConfigKeys.TRUSTED_PROXIES)));
        }
        if (v.containsKey(ConfigKeys.USER_PER_RESOURCE)) {
            b.userPerResource(ConfigValues.bool(ConfigKeys.USER_PER_RESOURCE, v.get(ConfigKeys.USER_PER_RESOURCE)));
        }
        if (v.containsKey(ConfigKeys.LABEL_REMOVE_AT_MIN)) {
            b.labelRemoveAtMin(ConfigValues.duration(ConfigKeys.LABEL_REMOVE_AT_MIN,
                    v.get(ConfigKeys.LABEL_REMOVE_AT_MIN)));
        }
        if (v.containsKey(ConfigKeys.LABEL_REMOVE_AT_MAX)) {
            b.labelRemoveAtMax(ConfigValues.duration(ConfigKeys.LABEL_REMOVE_AT_MAX,
                    v.get(ConfigKeys.LABEL_REMOVE_AT_MAX)));
        }
        if (v.containsKey(ConfigKeys.STREAMS_LIMIT)) {
            b.streamsLimit(ConfigValues.integer(ConfigKeys.STREAMS_LIMIT, v.get(ConfigKeys.STREAMS_LIMIT)));
        }
        if (v.containsKey(ConfigKeys.HISTORY_RETENTION)) {
            b.historyRetention(ConfigValues.duration(ConfigKeys.HISTORY_RETENTION,
                    v.get(ConfigKeys.HISTORY_RETENTION)));
        }
        return b.build();
    }

    private List<DriverConfig> drivers(Object value) {
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
            if (entry instanceof DriverConfig driver) {
                drivers.add(driver);
                continue;
            }
            if (!(entry instanceof Map<?, ?> map)) {
                throw ConfigException.invalid(key, "entry " + i + " must be a mapping with 'name' and 'cfg'", entry);
            }
            Object name = map.get("name");
            if (name == null) {
                throw ConfigException.invalid(key, "entry " + i + " has no 'name'");
            }
            if (!(name instanceof String)) {
                throw ConfigException.invalid(key, "entry " + i + " 'name' must be a string", name);
            }
            Object cfg = map.get("cfg");
            if (cfg != null && !(cfg instanceof Map<?, ?>)) {
                throw ConfigException.invalid(key, "entry " + i + " ('" + name + "') 'cfg' must be a mapping", cfg);
            }
            for (Object entryKey : map.keySet()) {
                if (!DRIVER_ENTRY_KEYS.contains(entryKey)) {
                    log.warn("Unknown key '{}' in config drivers entry '{}' ignored", entryKey, name);
                }
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> cfgMap = (Map<String, Object>) cfg;
                drivers.add(new DriverConfig((String) name, cfgMap));
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalid(key, "entry " + i + ": " + e.getMessage());
            }
        }
        return drivers;
    }

    private static Map<String, Object> readYaml(Path file) {
        String text;
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
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(null, "config file is not valid UTF-8: " + file, e);
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read config file " + file + ": " + e.getMessage(), e);
        }
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
