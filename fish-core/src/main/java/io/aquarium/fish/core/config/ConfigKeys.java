package io.aquarium.fish.core.config;

import java.util.List;

/** The YAML keys of the node config; CLI overrides use the same names. */
public final class ConfigKeys {
    public static final String NODE_NAME = "node_name";
    public static final String NODE_LOCATION = "node_location";
    public static final String NODE_ADDRESS = "node_address";
    public static final String NODE_IDENTIFIERS = "node_identifiers";
    public static final String API_ADDRESS = "api_address";
    public static final String API_ALLOW_H2C = "api_allow_h2c";
    public static final String DIRECTORY = "directory";
    public static final String DEFAULT_RESOURCE_LIFETIME = "default_resource_lifetime";
    public static final String ALLOCATION_RETRY = "allocation_retry";
    public static final String DRIVERS = "drivers";
    public static final String TLS_CA_CRT = "tls_ca_crt";
    public static final String TLS_KEY = "tls_key";
    public static final String TLS_CRT = "tls_crt";
    public static final String ELECTION_INTERVAL = "election_interval";
    public static final String CLUSTER_ADDRESS = "cluster_address";
    public static final String CLUSTER_JOIN = "cluster_join";
    public static final String CLUSTER_QUORUM = "cluster_quorum";
    public static final String META_NETWORKS = "meta_networks";
    public static final String TRUSTED_PROXIES = "trusted_proxies";
    public static final String USER_PER_RESOURCE = "user_per_resource";
    public static final String LABEL_REMOVE_AT_MIN = "label_remove_at_min";
    public static final String LABEL_REMOVE_AT_MAX = "label_remove_at_max";
    public static final String STREAMS_LIMIT = "streams_limit";
    public static final String HISTORY_RETENTION = "history_retention";
    public static final String LOG_FORMAT = "log_format";
    public static final String ACCESS_LOG = "access_log";
    public static final String METRICS_AUTH = "metrics_auth";

    /** Every key, in documentation order. */
    public static final List<String> ALL = List.of(NODE_NAME, NODE_LOCATION, NODE_ADDRESS, NODE_IDENTIFIERS,
            API_ADDRESS, API_ALLOW_H2C, DIRECTORY, DEFAULT_RESOURCE_LIFETIME, ALLOCATION_RETRY, DRIVERS, TLS_CA_CRT, TLS_KEY,
            TLS_CRT, ELECTION_INTERVAL, CLUSTER_ADDRESS, CLUSTER_JOIN, CLUSTER_QUORUM, META_NETWORKS,
            TRUSTED_PROXIES, USER_PER_RESOURCE, LABEL_REMOVE_AT_MIN, LABEL_REMOVE_AT_MAX,
            STREAMS_LIMIT, HISTORY_RETENTION, LOG_FORMAT, ACCESS_LOG, METRICS_AUTH);

    private ConfigKeys() {
    }
}
