/**
 * The {@code test} driver: pretends to provide resources (marker files in a workspace) with
 * configurable limits, delays and random failures, so the allocator can be exercised end to end
 * without any real engine.
 */
package io.aquarium.fish.drivers.test;
