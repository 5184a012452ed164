package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;

import java.util.Collection;

/**
 * The one rule for counting an application's allocation attempts: every ELECTED state in its history
 * is one claim, so one attempt. The election rotates the preferred definition by it; the allocator
 * gives up (ERROR) once it reaches the retry limit.
 */
public final class FailedAttempts {
    private FailedAttempts() {
    }

    /** How many times the application was claimed so far (attempts made, the current one included if ELECTED). */
    public static int count(Collection<ApplicationState> history) {
        return (int) history.stream().filter(s -> s.status() == ApplicationStatus.ELECTED).count();
    }
}
