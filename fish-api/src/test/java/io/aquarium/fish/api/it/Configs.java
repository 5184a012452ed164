package io.aquarium.fish.api.it;

/** Node configs and labels of the scenarios, as an operator or a client would write them. */
final class Configs {
    static final String TEST_DRIVER = "drivers:\n  - name: test\n";
    static final String DEFAULT_WORKSPACE = "fish_test_workspace";

    private Configs() {
    }

    /** A node on a free local port; {@code extra} is more YAML (drivers, limits, timings). */
    static String node(String nodeName, String extra) {
        return node(nodeName, "127.0.0.1:0", extra);
    }

    /** A node whose API listens on {@code apiAddress} (host:port). */
    static String node(String nodeName, String apiAddress, String extra) {
        return "---\nnode_name: " + nodeName + "\nnode_location: test_loc\napi_address: " + apiAddress + "\n" + extra;
    }

    /** The test driver with CPU and RAM limits. */
    static String testDriver(int cpuLimit, int ramLimit) {
        return "drivers:\n  - name: test\n    cfg:\n      cpu_limit: " + cpuLimit + "\n      ram_limit: " + ramLimit + "\n";
    }

    /** A label (version 1) with the given definitions, each a JSON object. */
    static String label(String name, String... definitions) {
        return "{\"name\":\"" + name + "\",\"version\":1,\"definitions\":[" + String.join(",", definitions) + "]}";
    }

    /** A test driver definition needing {@code cpu} vCPUs and {@code ram} GB. */
    static String testDefinition(int cpu, int ram) {
        return "{\"driver\":\"test\",\"resources\":{\"cpu\":" + cpu + ",\"ram\":" + ram + "}}";
    }
}
