/**
 * The {@code docker} driver: each resource is a container made through the Docker Engine API
 * (docker-java over the engine's unix socket; Podman's Docker-compatible service works too), with
 * CPU and memory limits, an isolated or NAT network, named volumes for disks, and the merged
 * metadata as environment variables and as {@value io.aquarium.fish.drivers.docker.DockerDriver#METADATA_FILE}.
 */
package io.aquarium.fish.drivers.docker;
