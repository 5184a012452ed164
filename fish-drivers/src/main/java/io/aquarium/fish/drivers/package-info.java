/** Resource drivers, one sub-package per driver. */
package io.aquarium.fish.drivers;
