package io.aquarium.fish.core.driver;

import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.RawJson;

/** An action on a running resource (snapshot, image...). Returns the task's result object. */
@FunctionalInterface
public interface DriverTask {
    RawJson run(String identifier, RawJson options, ApplicationStatus applicationStatus);
}
