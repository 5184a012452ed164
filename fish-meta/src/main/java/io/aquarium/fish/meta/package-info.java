/**
 * The Meta API: software inside an allocated resource fetches its metadata without credentials,
 * recognised by its address ({@link io.aquarium.fish.meta.CallerResolver}) and served in the format
 * it asks for ({@link io.aquarium.fish.meta.MetadataFormatter}).
 */
package io.aquarium.fish.meta;
