/**
 * The {@code native} driver: runs a workload as a local process tree in its own session and
 * workspace, optionally as a throw-away OS user and inside a cgroup v2 with the resource's CPU and
 * memory limits. Workloads outlive a node restart; the workspace records how to find them again.
 * (The package is not called "native": that is a Java keyword.)
 */
package io.aquarium.fish.drivers.nativeproc;
