/** What the drivers share: host capacity arithmetic, the workload environment and random names. */
package io.aquarium.fish.drivers.common;
