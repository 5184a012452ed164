package io.aquarium.fish.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private ListAppender<ILoggingEvent> logs;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("config-test");
        logs = new ListAppender<>();
        logs.setContext(context);
        logs.start();
        logger.addAppender(logs);
        loader = new ConfigLoader(logger, () -> "test-host");
    }

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("fish.yml");
        Files.writeString(file, text);
        return file;
    }

    private List<ILoggingEvent> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    @Test
    void readsEveryKey() throws IOException {
        Path file = yaml("""
                node_name: node-1
                node_location: us-west
                node_address: 10.0.0.5:8001
                node_identifiers: [FishName:node-1, "OS:linux"]
                api_address: 127.0.0.1:0
                directory: data/../fish_store
                default_resource_lifetime: 1h30m
                allocation_retry: 5
                drivers:
                  - name: test
                    cfg:
                      cpu_limit: 4
                      is_remote: true
                      workspace_path: ws
                      nested: {list: [1, 2.5, x, ~], when: 2024-01-02}
                  - name: test/dev
                tls_ca_crt: ca.crt
                tls_key: node.key
                tls_crt: node.crt
                election_interval: 500ms
                cluster_address: "[::1]:9001"
                cluster_join: [fish-2:9001, 10.0.0.3:9001]
                cluster_quorum: 2
                meta_networks: [10.0.0.0/8]
                trusted_proxies: [127.0.0.1, "::1", 192.168.0.0/16]
                user_per_resource: true
                label_remove_at_min: 1m
                label_remove_at_max: 24h
                streams_limit: -1
                history_retention: 36h
                log_format: json
                access_log: true
                metrics_auth: true
                """);

        FishConfig c = loader.load(file, Map.of());

        assertEquals("node-1", c.nodeName());
        assertEquals("us-west", c.nodeLocation());
        assertEquals("10.0.0.5:8001", c.nodeAddress());
        assertEquals(List.of("FishName:node-1", "OS:linux"), c.nodeIdentifiers());
        assertEquals("127.0.0.1:0", c.apiAddress());
        assertEquals(new HostPort("127.0.0.1", 0), c.apiHostPort());
        assertEquals(Path.of("fish_store").toAbsolutePath(), c.directory());
        assertEquals(Duration.ofMinutes(90), c.defaultResourceLifetime());
        assertEquals(5, c.allocationRetry());
        assertEquals(2, c.drivers().size());
        DriverConfig test = c.drivers().get(0);
        assertEquals("test", test.name());
        assertEquals(4, test.cfg().get("cpu_limit"));
        assertEquals(true, test.cfg().get("is_remote"));
        assertEquals("ws", test.cfg().get("workspace_path"));
        Map<?, ?> nested = (Map<?, ?>) test.cfg().get("nested");
        assertEquals(java.util.Arrays.asList(1, 2.5, "x", null), nested.get("list"));
        assertEquals("2024-01-02", nested.get("when"));
        assertEquals(new DriverConfig("test/dev", Map.of()), c.drivers().get(1));
        assertEquals("test", c.drivers().get(1).driver());
        assertEquals("dev", c.drivers().get(1).instance());
        assertEquals("ca.crt", c.tlsCaCrt());
        assertEquals("node.key", c.tlsKey());
        assertEquals("node.crt", c.tlsCrt());
        assertEquals(Duration.ofMillis(500), c.electionInterval());
        assertEquals("[::1]:9001", c.clusterAddress());
        assertEquals(new HostPort("::1", 9001), c.clusterHostPort());
        assertEquals(List.of("fish-2:9001", "10.0.0.3:9001"), c.clusterJoin());
        assertEquals(2, c.clusterQuorum());
        assertEquals(List.of("10.0.0.0/8"), c.metaNetworks());
        assertEquals(List.of("127.0.0.1", "::1", "192.168.0.0/16"), c.trustedProxies());
        assertTrue(c.userPerResource());
        assertEquals(Duration.ofMinutes(1), c.labelRemoveAtMin());
        assertEquals(Duration.ofHours(24), c.labelRemoveAtMax());
        assertEquals(-1, c.streamsLimit());
        assertEquals(Duration.ofHours(36), c.historyRetention());
        assertEquals("json", c.logFormat());
        assertTrue(c.accessLog());
        assertTrue(c.metricsAuth());
        assertTrue(warnings().isEmpty(), () -> "unexpected warnings: " + warnings());
    }

    @Test
    void defaultsWithoutFile() {
        FishConfig c = loader.defaults();
        assertDefaults(c);
        assertEquals(c, loader.load(null, Map.of()));
        assertEquals(c, loader.load(null, null));
    }

    @Test
    void emptyAndCommentOnlyFilesMeanDefaults() throws IOException {
        assertDefaults(loader.load(yaml(""), Map.of()));
        assertDefaults(loader.load(yaml("# nothing here\n---\n"), Map.of()));
    }

    @Test
    void nullValuesMeanDefaults() throws IOException {
        FishConfig c = loader.load(yaml("""
                node_name:
                api_address: ~
                allocation_retry:
                drivers:
                default_resource_lifetime: ""
                """), Map.of());
        assertDefaults(c);
    }

    @Test
    void historyRetentionZeroKeepsForever() throws IOException {
        assertEquals(Duration.ZERO, loader.load(yaml("history_retention: 0\n"), Map.of()).historyRetention());
        assertEquals(Duration.ZERO, loader.load(yaml("history_retention: 0s\n"), Map.of()).historyRetention());
    }

    private static void assertDefaults(FishConfig c) {
        assertEquals("test-host", c.nodeName());
        assertEquals("", c.nodeLocation());
        assertEquals("", c.nodeAddress());
        assertEquals(List.of(), c.nodeIdentifiers());
        assertEquals("0.0.0.0:8001", c.apiAddress());
        assertEquals(Path.of("fish_data").toAbsolutePath().normalize(), c.directory());
        assertTrue(c.directory().isAbsolute());
        assertNull(c.defaultResourceLifetime());
        assertEquals(3, c.allocationRetry());
        assertEquals(List.of(), c.drivers());
        assertNull(c.tlsCaCrt());
        assertNull(c.tlsKey());
        assertNull(c.tlsCrt());
        assertEquals(Duration.ofSeconds(5), c.electionInterval());
        assertEquals(Duration.ofSeconds(30), c.labelRemoveAtMin());
        assertEquals(Duration.ofHours(72), c.labelRemoveAtMax());
        assertEquals(1, c.streamsLimit());
        assertEquals(Duration.ofDays(7), c.historyRetention());
        assertEquals("text", c.logFormat());
        assertFalse(c.accessLog());
        assertFalse(c.metricsAuth());
        assertNull(c.clusterAddress());
        assertNull(c.clusterHostPort());
        assertEquals(List.of(), c.clusterJoin());
        assertNull(c.clusterQuorum());
        assertEquals(List.of(), c.metaNetworks());
        assertEquals(List.of(), c.trustedProxies());
        assertFalse(c.userPerResource());
    }

    @Test
    void overridesWinOverTheFile() throws IOException {
        Path file = yaml("""
                node_name: from-file
                api_address: 0.0.0.0:9000
                directory: file_dir
                allocation_retry: 7
                """);
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("node_name", "from-cli");
        overrides.put("api_address", "127.0.0.1:0");
        overrides.put("directory", dir.resolve("cli_dir").toString());
        overrides.put("node_location", null); // a flag that was not given

        FishConfig c = loader.load(file, overrides);

        assertEquals("from-cli", c.nodeName());
        assertEquals("127.0.0.1:0", c.apiAddress());
        assertEquals(dir.resolve("cli_dir").toAbsolutePath().normalize(), c.directory());
        assertEquals(7, c.allocationRetry());
        assertEquals("", c.nodeLocation());
    }

    @Test
    void overridesAcceptTypedAndStringValues() {
        FishConfig c = loader.load(null, Map.of(
                "directory", dir,
                "allocation_retry", "4",
                "user_per_resource", "true",
                "election_interval", Duration.ofSeconds(2),
                "default_resource_lifetime", "1d",
                "drivers", List.of(new DriverConfig("test"))));
        assertEquals(dir.toAbsolutePath().normalize(), c.directory());
        assertEquals(4, c.allocationRetry());
        assertTrue(c.userPerResource());
        assertEquals(Duration.ofSeconds(2), c.electionInterval());
        assertEquals(Duration.ofDays(1), c.defaultResourceLifetime());
        assertEquals(List.of(new DriverConfig("test")), c.drivers());
    }

    @Test
    void unknownOverrideKeyIsAProgrammingError() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(null, Map.of("api", "x:1")));
        assertTrue(e.getMessage().contains("'api'"), e.getMessage());
    }

    /**
     * Issue 11: a near miss of a known key is an error with a suggestion (the meant value would not
     * apply); CONTRACT.md: a key unlike every known one warns and is ignored; the original's keys warn.
     */
    @Test
    void nearMissesAreErrorsOtherUnknownKeysAndTheOriginalsKeysWarnings() throws IOException {
        Path file = yaml("""
                api_addres: 127.0.0.1:0
                db_address: 127.0.0.1:9001
                proxy_socks_address: 0.0.0.0:1080
                drivers:
                  - name: test
                    cfgg: {}
                """);
        ConfigReport report = loader.check(file, Map.of());

        assertNull(report.config());
        List<String> errors = report.errors().stream().map(ConfigProblem::format).toList();
        assertEquals(List.of(
                file + ":1: error: unknown key 'api_addres' (did you mean 'api_address'?)",
                file + ":6: error: unknown key in drivers entry 0 'cfgg' (did you mean 'cfg'?)"), errors);
        assertEquals(List.of(
                file + ":2: warning: unknown key 'db_address' is ignored (known: " + String.join(", ",
                        ConfigKeys.ALL.stream().sorted().toList()) + ")",
                file + ":3: warning: key 'proxy_socks_address' of the original Fish is not supported"
                + " by this node and is ignored"), report.warnings().stream().map(ConfigProblem::format).toList());

        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, Map.of()));
        assertEquals("api_addres", e.key());
        assertEquals(2, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aKeyUnlikeEveryKnownOneOnlyWarnsAndTheNodeStarts() throws IOException {
        FishConfig c = loader.load(yaml("""
                api_address: 127.0.0.1:0
                some_future_setting: 42
                """), Map.of());
        assertEquals("127.0.0.1:0", c.apiAddress());
    }

    @Test
    void theOriginalsKeysOnlyWarn() throws IOException {
        FishConfig c = loader.load(yaml("""
                api_address: 127.0.0.1:0
                proxy_ssh_address: 0.0.0.0:1022
                mem_target: 1GB
                """), Map.of());
        assertEquals("127.0.0.1:0", c.apiAddress());
        List<String> messages = warnings().stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, messages.size(), messages::toString);
        assertTrue(messages.get(0).contains("'proxy_ssh_address' of the original Fish"), messages.get(0));
        assertTrue(messages.get(1).contains("'mem_target' of the original Fish"), messages.get(1));
    }

    @Test
    void everyProblemIsReportedInOneRunWithItsLine() throws IOException {
        Path file = yaml("""
                node_name: n1
                allocation_retry: 0
                election_interval: soon
                default_resource_lifetime: 2 hours
                streams_limit: -5
                drivers:
                  - name: test
                  - cfg: {}
                """);
        ConfigReport report = loader.check(file, Map.of("api_address", "nope"));

        assertFalse(report.ok());
        List<String> found = report.errors().stream().map(p -> p.line() + " " + p.key()).toList();
        assertEquals(List.of("2 allocation_retry", "3 election_interval", "4 default_resource_lifetime",
                "5 streams_limit", "8 drivers[1]", "0 api_address"), found);
        assertTrue(report.errors().get(1).message().startsWith("invalid value for 'election_interval': "),
                report.errors().get(1).message());
        assertEquals(List.of("test"), report.drivers().stream().map(DriverConfig::name).toList());
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("allocation_retry: 0", "allocation_retry", "must be at least 1 (got 0)"),
                Arguments.of("allocation_retry: -2", "allocation_retry", "must be at least 1 (got -2)"),
                Arguments.of("allocation_retry: three", "allocation_retry", "expected an integer (got 'three')"),
                Arguments.of("allocation_retry: 1.5", "allocation_retry", "expected an integer (got 1.5)"),
                Arguments.of("api_address: localhost", "api_address", "missing port"),
                Arguments.of("api_address: 0.0.0.0:70000", "api_address", "port must be a number"),
                Arguments.of("api_address: [a, b]", "api_address", "expected a string (got a list)"),
                Arguments.of("node_name: ''", "node_name", "must not be empty"),
                Arguments.of("node_name: {a: 1}", "node_name", "expected a string (got a mapping)"),
                Arguments.of("node_location: [x]", "node_location", "expected a string"),
                Arguments.of("node_identifiers: FishName:x", "node_identifiers", "expected a list of strings"),
                Arguments.of("node_identifiers: ['']", "node_identifiers", "item 0 must not be empty"),
                Arguments.of("node_identifiers: [a, {b: c}]", "node_identifiers", "item 1 is not a string"),
                Arguments.of("directory: ''", "directory", "must not be empty"),
                Arguments.of("directory: \"a\\0b\"", "directory", "not a valid path"),
                Arguments.of("default_resource_lifetime: soon", "default_resource_lifetime", "invalid duration 'soon'"),
                Arguments.of("default_resource_lifetime: 10", "default_resource_lifetime", "expected a duration"),
                Arguments.of("election_interval: 0s", "election_interval", "must be greater than 0 (got '0s')"),
                Arguments.of("election_interval: -5s", "election_interval", "must be greater than 0"),
                Arguments.of("election_interval: 5", "election_interval", "expected a duration"),
                Arguments.of("election_interval: 5 s", "election_interval", "invalid duration"),
                Arguments.of("label_remove_at_min: -1s", "label_remove_at_min", "must be 0 or more"),
                Arguments.of("history_retention: -1h", "history_retention",
                        "must be 0 (keep forever) or more (got '-1h0m0s')"),
                Arguments.of("history_retention: weekly", "history_retention", "invalid duration"),
                Arguments.of("history_retention: 7", "history_retention", "expected a duration"),
                Arguments.of("streams_limit: 0", "streams_limit", "must be at least 1, or -1 for unlimited"),
                Arguments.of("streams_limit: many", "streams_limit", "integer"),
                Arguments.of("log_format: xml", "log_format", "must be one of text, json (got 'xml')"),
                Arguments.of("log_format: [json]", "log_format", "string"),
                Arguments.of("access_log: maybe", "access_log", "expected true or false"),
                Arguments.of("metrics_auth: maybe", "metrics_auth", "expected true or false"),
                Arguments.of("label_remove_at_min: soon", "label_remove_at_min", "invalid duration"),
                Arguments.of("label_remove_at_max: 10s", "label_remove_at_max",
                        "must be at least label_remove_at_min (30s) (got '10s')"),
                Arguments.of("drivers: test", "drivers", "expected a list"),
                Arguments.of("drivers: [test]", "drivers", "entry 0 must be a mapping"),
                Arguments.of("drivers: [{cfg: {}}]", "drivers", "entry 0 has no 'name'"),
                Arguments.of("drivers: [{name: test}, {name: [x]}]", "drivers", "entry 1 'name' must be a string"),
                Arguments.of("drivers: [{name: 'a/b/c'}]", "drivers", "driver name must look like"),
                Arguments.of("drivers: [{name: test, cfg: 5}]", "drivers", "'cfg' must be a mapping"),
                Arguments.of("drivers: [{name: test, cfg: {1: x}}]", "drivers", "is not a string"),
                Arguments.of("drivers: [{name: test/dev}, {name: test}, {name: test/dev}]", "drivers",
                        "duplicate driver name 'test/dev'"),
                Arguments.of("cluster_address: fish-1", "cluster_address", "missing port"),
                Arguments.of("cluster_join: [fish-2:9001, fish-3]", "cluster_join", "'fish-3'"),
                Arguments.of("cluster_join: fish-2:9001", "cluster_join", "expected a list"),
                Arguments.of("cluster_quorum: 0", "cluster_quorum", "must be at least 1 (got 0)"),
                Arguments.of("meta_networks: [' ']", "meta_networks", "must not be empty"),
                Arguments.of("meta_networks: [10.0.0.0/8, lan]", "meta_networks",
                        "not an IP address or CIDR network (got 'lan')"),
                Arguments.of("trusted_proxies: [proxy.example.com]", "trusted_proxies",
                        "not an IP address or CIDR network (got 'proxy.example.com')"),
                Arguments.of("trusted_proxies: [10.0.0.0/33]", "trusted_proxies", "prefix"),
                Arguments.of("trusted_proxies: [256.1.1.1]", "trusted_proxies", "not an IP address"),
                Arguments.of("user_per_resource: maybe", "user_per_resource", "expected true or false (got 'maybe')"),
                Arguments.of("tls_key: {path: x}", "tls_key", "expected a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void invalidValueNamesTheKey(String yamlText, String key, String reason) throws IOException {
        Path file = yaml(yamlText + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, Map.of()));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith("invalid value for '" + key + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void exactMessageForAllocationRetry() throws IOException {
        Path file = yaml("allocation_retry: 0\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, Map.of()));
        assertEquals("invalid value for 'allocation_retry': must be at least 1 (got 0)", e.getMessage());
    }

    @Test
    void invalidOverrideNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(null, Map.of("api_address", "nope")));
        assertEquals("api_address", e.key());
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = dir.resolve("nope.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(missing, Map.of()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertNull(e.key());
    }

    @Test
    void directoryInsteadOfFileIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir, Map.of()));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void brokenYamlNamesTheFile() throws IOException {
        Path file = yaml("api_address: [unclosed\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, Map.of()));
        assertTrue(e.getMessage().startsWith("invalid YAML in config file " + file), e.getMessage());
    }

    @Test
    void rejectsNonMappingDocumentsDuplicateKeysAndNonUtf8() throws IOException {
        assertThrows(ConfigException.class, () -> loader.load(yaml("- a\n- b\n"), Map.of()));
        assertThrows(ConfigException.class, () -> loader.load(yaml("just text\n"), Map.of()));
        assertThrows(ConfigException.class, () -> loader.load(yaml("node_name: a\nnode_name: b\n"), Map.of()));
        assertThrows(ConfigException.class, () -> loader.load(yaml("1: a\n"), Map.of()));
        assertThrows(ConfigException.class, () -> loader.load(yaml("a: 1\n---\nb: 2\n"), Map.of()));
        Path latin1 = dir.resolve("latin1.yml");
        Files.write(latin1, new byte[] {'n', ':', ' ', (byte) 0xE9, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(latin1, Map.of()));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void refusesUnsafeTagsAndAliasBombs() throws IOException {
        assertThrows(ConfigException.class,
                () -> loader.load(yaml("node_name: !!javax.script.ScriptEngineManager [x]\n"), Map.of()));
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 8; level++) {
            bomb.append((char) ('a' + level)).append(": &").append((char) ('a' + level)).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append((char) ('a' + level - 1));
            }
            bomb.append("]\n");
        }
        assertThrows(ConfigException.class, () -> loader.load(yaml(bomb.toString()), Map.of()));
    }

    @Test
    void numericAndBooleanScalarsAreTakenAsStrings() throws IOException {
        FishConfig c = loader.load(yaml("node_name: 42\nnode_location: true\n"), Map.of());
        assertEquals("42", c.nodeName());
        assertEquals("true", c.nodeLocation());
    }

    @Test
    void exampleConfigFileIsValidAndShowsTheDefaults() {
        Path example = Path.of("..", "config", "fish.yml");
        assertTrue(Files.isRegularFile(example), "config/fish.yml missing at " + example.toAbsolutePath());

        FishConfig c = loader.load(example, Map.of());

        assertTrue(warnings().isEmpty(), () -> "unexpected warnings: " + warnings());
        assertEquals(loader.defaults(), c.toBuilder().drivers(List.of()).build());
        assertEquals(List.of("test", "test/dev"), c.drivers().stream().map(DriverConfig::name).toList());
        assertEquals(Map.of("cpu_limit", 0, "ram_limit", 0, "cpu_overbook", 0, "ram_overbook", 0,
                "is_remote", false, "workspace_path", "fish_test_workspace"), c.drivers().get(0).cfg());
    }
}
