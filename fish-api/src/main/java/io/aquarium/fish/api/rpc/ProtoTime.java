package io.aquarium.fish.api.rpc;

import com.google.protobuf.Timestamp;
import io.aquarium.fish.core.error.FishException;

import java.time.Instant;

/** {@link Instant} as a protobuf {@link Timestamp} and back (protobuf-java-util is not worth a dependency for this). */
final class ProtoTime {
    /** Timestamp's documented range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    private ProtoTime() {
    }

    static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** A client's timestamp; one outside Timestamp's own range is the client's error, not ours. */
    static Instant instant(Timestamp timestamp) {
        if (timestamp.getSeconds() < MIN_SECONDS || timestamp.getSeconds() > MAX_SECONDS
                || timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw FishException.badRequest("Invalid timestamp: seconds " + timestamp.getSeconds() + ", nanos "
                    + timestamp.getNanos());
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
