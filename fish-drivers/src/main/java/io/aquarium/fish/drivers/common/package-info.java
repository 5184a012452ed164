/** What the real drivers share: config value parsing and host capacity arithmetic. */
package io.aquarium.fish.drivers.common;
