package io.aquarium.fish.api.rest.wire;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** RFC 3339 timestamps with a zone offset, as the original (Go's time.Time) writes them. */
final class Times {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    private Times() {
    }

    static String format(Instant instant) {
        return instant == null ? "0001-01-01T00:00:00Z" : RFC3339.format(instant.atOffset(ZoneOffset.UTC));
    }
}
