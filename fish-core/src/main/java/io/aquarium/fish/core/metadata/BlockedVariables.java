package io.aquarium.fish.core.metadata;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Tells the operator, once per application, which metadata keys {@link ProtectedVariables} kept out
 * of an environment (a workload's, or a Meta API text format a VM polls every second): names only,
 * never values, which may be secrets. Shared by the drivers and the Meta API, so an application is
 * reported once whichever meets it first.
 */
public final class BlockedVariables {
    private static final Logger LOG = LoggerFactory.getLogger(BlockedVariables.class);
    /** Applications already reported; the oldest are forgotten first (a repeat line is harmless, unbounded memory is not). */
    private static final int REMEMBERED = 10_000;
    private static final Set<UUID> REPORTED = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    private BlockedVariables() {
    }

    /** Logs {@code names} (WARN) unless empty or already reported for {@code application}. */
    public static void report(UUID application, Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        synchronized (REPORTED) {
            if (!REPORTED.add(application)) {
                return;
            }
        }
        LOG.warn("Application {}: metadata keys not passed as environment variables (they change how programs "
                + "are loaded or run; the label's definition env may set them): {}", application,
                String.join(", ", new java.util.TreeSet<>(names)));
    }
}
