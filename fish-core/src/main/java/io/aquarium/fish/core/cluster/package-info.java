/**
 * Cluster membership decisions, free of Ignite and I/O: the quorum rule, the fence between a claim
 * and its driver call, how the baseline grows, and what a node cut off from the majority does when
 * the network comes back. The Ignite store ({@code store.ignite}) takes snapshots of its topology,
 * asks these classes, and applies the answer.
 */
package io.aquarium.fish.core.cluster;
