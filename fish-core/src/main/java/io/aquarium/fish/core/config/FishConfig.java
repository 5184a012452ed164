package io.aquarium.fish.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node's validated configuration. Every instance is valid: the constructor checks what the YAML
 * loader checks, naming the YAML key in the {@link ConfigException}, so code that builds one by hand
 * (tests, embedding) cannot sneak in a bad value. Build with {@link #builder()} to get the defaults.
 *
 * @param nodeName                node name, default the local host name
 * @param nodeLocation            node location, default ""
 * @param nodeAddress             address other nodes and clients reach this node at; "" = derived by the runtime
 * @param nodeIdentifiers         identifiers for {@code node_filter}; empty = the runtime's defaults
 * @param apiAddress              HTTPS listen {@code host:port}; port 0 = any free port
 * @param directory               data directory, absolute and normalized
 * @param defaultResourceLifetime lifetime for resources whose label sets none; null = until deallocated
 * @param allocationRetry         elections an application gets before ERROR, at least 1
 * @param drivers                 configured drivers; empty = every driver with its defaults
 * @param tlsCaCrt                CA certificate PEM path, null = generated
 * @param tlsKey                  node private key PEM path, null = generated
 * @param tlsCrt                  node certificate PEM path, null = generated
 * @param electionInterval        how often elections run, positive
 * @param clusterAddress          {@code host:port} for cluster traffic, null = single node
 * @param clusterJoin             {@code host:port}s of nodes to join
 * @param clusterQuorum           nodes needed for quorum, null = the runtime decides
 * @param metaNetworks            networks whose clients the meta API matches by MAC
 * @param trustedProxies          IPs/CIDRs whose forwarded headers the meta API trusts
 * @param userPerResource         create a dedicated user per allocated resource
 * @param apiAllowH2c             also accept cleartext HTTP/2 (h2c, prior knowledge) on the API port, for
 *                                v2 RPC clients configured without a certificate; off = TLS only
 * @param labelRemoveAtMin        how soon a temporary label's remove_at may be, at least 0 (default 30s)
 * @param labelRemoveAtMax        how late a temporary label's remove_at may be, at least the minimum
 *                                (default 72h, Fish v0.10's 3 days)
 * @param streamsLimit            v2 RPC streams of each kind (Connect, Subscribe) one user may hold open;
 *                                a new one evicts the user's oldest; -1 = unlimited (default 1, as the original)
 * @param historyRetention        how long a finished application (DEALLOCATED, RECALLED, ERROR) and its
 *                                history stay in the store after it finished; 0 = forever (default 168h)
 * @param logFormat               what each log line on stdout is: {@code text} (default, the readable line)
 *                                or {@code json} (one JSON object per line)
 * @param accessLog               log one line per HTTP request (logger {@code fish.access}); default off
 * @param metricsAuth             whether {@code GET /metrics} needs HTTP Basic credentials (any user); off by default
 */
public record FishConfig(String nodeName, String nodeLocation, String nodeAddress, List<String> nodeIdentifiers,
                         String apiAddress, Path directory, Duration defaultResourceLifetime, int allocationRetry,
                         List<DriverConfig> drivers, String tlsCaCrt, String tlsKey, String tlsCrt,
                         Duration electionInterval, String clusterAddress, List<String> clusterJoin,
                         Integer clusterQuorum, List<String> metaNetworks, List<String> trustedProxies,
                         boolean userPerResource, boolean apiAllowH2c, Duration labelRemoveAtMin,
                         Duration labelRemoveAtMax, int streamsLimit, Duration historyRetention,
                         String logFormat, boolean accessLog, boolean metricsAuth) {
    public static final String DEFAULT_API_ADDRESS = "0.0.0.0:8001";
    public static final String DEFAULT_DIRECTORY = "fish_data";
    public static final int DEFAULT_ALLOCATION_RETRY = 3;
    public static final Duration DEFAULT_ELECTION_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LABEL_REMOVE_AT_MIN = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LABEL_REMOVE_AT_MAX = Duration.ofHours(72);
    public static final int DEFAULT_STREAMS_LIMIT = 1;
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(7);
    public static final String LOG_FORMAT_TEXT = "text";
    public static final String LOG_FORMAT_JSON = "json";
    public static final List<String> LOG_FORMATS = List.of(LOG_FORMAT_TEXT, LOG_FORMAT_JSON);

    public FishConfig {
        if (nodeName == null || nodeName.isBlank()) {
            throw ConfigException.invalid(ConfigKeys.NODE_NAME, "must not be empty");
        }
        nodeLocation = nodeLocation == null ? "" : nodeLocation;
        nodeAddress = nodeAddress == null ? "" : nodeAddress;
        nodeIdentifiers = nonBlankItems(ConfigKeys.NODE_IDENTIFIERS, nodeIdentifiers);
        if (apiAddress == null) {
            throw ConfigException.invalid(ConfigKeys.API_ADDRESS, "must not be empty");
        }
        hostPort(ConfigKeys.API_ADDRESS, apiAddress);
        if (directory == null) {
            throw ConfigException.invalid(ConfigKeys.DIRECTORY, "must not be empty");
        }
        directory = directory.toAbsolutePath().normalize();
        if (allocationRetry < 1) {
            throw ConfigException.invalid(ConfigKeys.ALLOCATION_RETRY, "must be at least 1", allocationRetry);
        }
        drivers = drivers == null ? List.of() : List.copyOf(drivers);
        Set<String> driverNames = new HashSet<>();
        for (DriverConfig driver : drivers) {
            if (!driverNames.add(driver.name())) {
                throw ConfigException.invalid(ConfigKeys.DRIVERS, "duplicate driver name '" + driver.name() + "'");
            }
        }
        tlsCaCrt = blankToNull(tlsCaCrt);
        tlsKey = blankToNull(tlsKey);
        tlsCrt = blankToNull(tlsCrt);
        if (electionInterval == null || electionInterval.isNegative() || electionInterval.isZero()) {
            throw ConfigException.invalid(ConfigKeys.ELECTION_INTERVAL, "must be greater than 0",
                    electionInterval == null ? null : GoDuration.format(electionInterval));
        }
        clusterAddress = blankToNull(clusterAddress);
        if (clusterAddress != null) {
            hostPort(ConfigKeys.CLUSTER_ADDRESS, clusterAddress);
        }
        clusterJoin = nonBlankItems(ConfigKeys.CLUSTER_JOIN, clusterJoin);
        for (int i = 0; i < clusterJoin.size(); i++) {
            hostPort(ConfigKeys.CLUSTER_JOIN, clusterJoin.get(i));
        }
        if (clusterQuorum != null && clusterQuorum < 1) {
            throw ConfigException.invalid(ConfigKeys.CLUSTER_QUORUM, "must be at least 1", clusterQuorum);
        }
        metaNetworks = nonBlankItems(ConfigKeys.META_NETWORKS, metaNetworks);
        for (String network : metaNetworks) {
            String problem = IpSpec.problem(network);
            if (problem != null) {
                throw ConfigException.invalid(ConfigKeys.META_NETWORKS, problem, network);
            }
        }
        trustedProxies = nonBlankItems(ConfigKeys.TRUSTED_PROXIES, trustedProxies);
        for (String proxy : trustedProxies) {
            String problem = IpSpec.problem(proxy);
            if (problem != null) {
                throw ConfigException.invalid(ConfigKeys.TRUSTED_PROXIES, problem, proxy);
            }
        }
        if (labelRemoveAtMin == null || labelRemoveAtMin.isNegative()) {
            throw ConfigException.invalid(ConfigKeys.LABEL_REMOVE_AT_MIN, "must be 0 or more",
                    labelRemoveAtMin == null ? null : GoDuration.format(labelRemoveAtMin));
        }
        if (labelRemoveAtMax == null || labelRemoveAtMax.compareTo(labelRemoveAtMin) < 0) {
            throw ConfigException.invalid(ConfigKeys.LABEL_REMOVE_AT_MAX, "must be at least "
                    + ConfigKeys.LABEL_REMOVE_AT_MIN + " (" + GoDuration.format(labelRemoveAtMin) + ")",
                    labelRemoveAtMax == null ? null : GoDuration.format(labelRemoveAtMax));
        }
        if (streamsLimit < 1 && streamsLimit != -1) {
            throw ConfigException.invalid(ConfigKeys.STREAMS_LIMIT, "must be at least 1, or -1 for unlimited",
                    Integer.toString(streamsLimit));
        }
        if (historyRetention == null || historyRetention.isNegative()) {
            throw ConfigException.invalid(ConfigKeys.HISTORY_RETENTION, "must be 0 (keep forever) or more",
                    historyRetention == null ? null : GoDuration.format(historyRetention));
        }
        logFormat = logFormat == null || logFormat.isBlank() ? LOG_FORMAT_TEXT : logFormat;
        if (!LOG_FORMATS.contains(logFormat)) {
            throw ConfigException.invalid(ConfigKeys.LOG_FORMAT, "must be one of " + String.join(", ", LOG_FORMATS),
                    logFormat);
        }
    }

    /** A builder preset with every default (node name = the local host name). */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #apiAddress} parsed. */
    public HostPort apiHostPort() {
        return HostPort.parse(apiAddress);
    }

    /** {@link #clusterAddress} parsed, or null when not clustered. */
    public HostPort clusterHostPort() {
        return clusterAddress == null ? null : HostPort.parse(clusterAddress);
    }

    private static void hostPort(String key, String value) {
        try {
            HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(key, e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static List<String> nonBlankItems(String key, List<String> values) {
        if (values == null) {
            return List.of();
        }
        List<String> copy = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isBlank()) {
                throw ConfigException.invalid(key, "item " + i + " must not be empty");
            }
            copy.add(value);
        }
        return List.copyOf(copy);
    }

    /** Mutable staging area for a {@link FishConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String nodeName;
        private String nodeLocation = "";
        private String nodeAddress = "";
        private List<String> nodeIdentifiers = List.of();
        private String apiAddress = DEFAULT_API_ADDRESS;
        private Path directory = Path.of(DEFAULT_DIRECTORY);
        private Duration defaultResourceLifetime;
        private int allocationRetry = DEFAULT_ALLOCATION_RETRY;
        private List<DriverConfig> drivers = List.of();
        private String tlsCaCrt;
        private String tlsKey;
        private String tlsCrt;
        private Duration electionInterval = DEFAULT_ELECTION_INTERVAL;
        private String clusterAddress;
        private List<String> clusterJoin = List.of();
        private Integer clusterQuorum;
        private List<String> metaNetworks = List.of();
        private List<String> trustedProxies = List.of();
        private boolean userPerResource;
        private boolean apiAllowH2c;
        private Duration labelRemoveAtMin = DEFAULT_LABEL_REMOVE_AT_MIN;
        private Duration labelRemoveAtMax = DEFAULT_LABEL_REMOVE_AT_MAX;
        private int streamsLimit = DEFAULT_STREAMS_LIMIT;
        private Duration historyRetention = DEFAULT_HISTORY_RETENTION;
        private String logFormat = LOG_FORMAT_TEXT;
        private boolean accessLog;
        private boolean metricsAuth;

        private Builder() {
        }

        private Builder(FishConfig c) {
            nodeName = c.nodeName;
            nodeLocation = c.nodeLocation;
            nodeAddress = c.nodeAddress;
            nodeIdentifiers = c.nodeIdentifiers;
            apiAddress = c.apiAddress;
            directory = c.directory;
            defaultResourceLifetime = c.defaultResourceLifetime;
            allocationRetry = c.allocationRetry;
            drivers = c.drivers;
            tlsCaCrt = c.tlsCaCrt;
            tlsKey = c.tlsKey;
            tlsCrt = c.tlsCrt;
            electionInterval = c.electionInterval;
            clusterAddress = c.clusterAddress;
            clusterJoin = c.clusterJoin;
            clusterQuorum = c.clusterQuorum;
            metaNetworks = c.metaNetworks;
            trustedProxies = c.trustedProxies;
            userPerResource = c.userPerResource;
            apiAllowH2c = c.apiAllowH2c;
            labelRemoveAtMin = c.labelRemoveAtMin;
            labelRemoveAtMax = c.labelRemoveAtMax;
            streamsLimit = c.streamsLimit;
            historyRetention = c.historyRetention;
            logFormat = c.logFormat;
            accessLog = c.accessLog;
            metricsAuth = c.metricsAuth;
        }

        /** Null means the local host name. */
        public Builder nodeName(String v) {
            nodeName = v;
            return this;
        }

        public Builder nodeLocation(String v) {
            nodeLocation = v;
            return this;
        }

        public Builder nodeAddress(String v) {
            nodeAddress = v;
            return this;
        }

        public Builder nodeIdentifiers(List<String> v) {
            nodeIdentifiers = v;
            return this;
        }

        public Builder apiAddress(String v) {
            apiAddress = v;
            return this;
        }

        public Builder directory(Path v) {
            directory = v;
            return this;
        }

        public Builder defaultResourceLifetime(Duration v) {
            defaultResourceLifetime = v;
            return this;
        }

        public Builder allocationRetry(int v) {
            allocationRetry = v;
            return this;
        }

        public Builder drivers(List<DriverConfig> v) {
            drivers = v;
            return this;
        }

        public Builder tlsCaCrt(String v) {
            tlsCaCrt = v;
            return this;
        }

        public Builder tlsKey(String v) {
            tlsKey = v;
            return this;
        }

        public Builder tlsCrt(String v) {
            tlsCrt = v;
            return this;
        }

        public Builder electionInterval(Duration v) {
            electionInterval = v;
            return this;
        }

        public Builder clusterAddress(String v) {
            clusterAddress = v;
            return this;
        }

        public Builder clusterJoin(List<String> v) {
            clusterJoin = v;
            return this;
        }

        public Builder clusterQuorum(Integer v) {
            clusterQuorum = v;
            return this;
        }

        public Builder metaNetworks(List<String> v) {
            metaNetworks = v;
            return this;
        }

        public Builder trustedProxies(List<String> v) {
            trustedProxies = v;
            return this;
        }

        public Builder userPerResource(boolean v) {
            userPerResource = v;
            return this;
        }

        public Builder apiAllowH2c(boolean v) {
            apiAllowH2c = v;
            return this;
        }

        public Builder labelRemoveAtMin(Duration v) {
            labelRemoveAtMin = v;
            return this;
        }

        public Builder labelRemoveAtMax(Duration v) {
            labelRemoveAtMax = v;
            return this;
        }

        public Builder streamsLimit(int v) {
            streamsLimit = v;
            return this;
        }

        public Builder historyRetention(Duration v) {
            historyRetention = v;
            return this;
        }

        /** {@code text} or {@code json}; null or blank = {@code text}. */
        public Builder logFormat(String v) {
            logFormat = v;
            return this;
        }

        public Builder accessLog(boolean v) {
            accessLog = v;
            return this;
        }

        public Builder metricsAuth(boolean v) {
            metricsAuth = v;
            return this;
        }

        /** @throws ConfigException naming the first invalid key */
        public FishConfig build() {
            return new FishConfig(nodeName == null ? LocalHostname.get() : nodeName, nodeLocation, nodeAddress,
                    nodeIdentifiers, apiAddress, directory, defaultResourceLifetime, allocationRetry, drivers,
                    tlsCaCrt, tlsKey, tlsCrt, electionInterval, clusterAddress, clusterJoin, clusterQuorum,
                    metaNetworks, trustedProxies, userPerResource, apiAllowH2c, labelRemoveAtMin, labelRemoveAtMax,
                    streamsLimit, historyRetention, logFormat, accessLog, metricsAuth);
        }
    }
}
