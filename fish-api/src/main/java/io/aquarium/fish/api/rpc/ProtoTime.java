package io.aquarium.fish.api.rpc;

import com.google.protobuf.Timestamp;

import java.time.Instant;

/** {@link Instant} as a protobuf {@link Timestamp} (protobuf-java-util is not worth a dependency for this). */
final class ProtoTime {
    private ProtoTime() {
    }

    static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
