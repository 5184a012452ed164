/** The Meta API: resources fetch their metadata, matched by address. */
package io.aquarium.fish.meta;
