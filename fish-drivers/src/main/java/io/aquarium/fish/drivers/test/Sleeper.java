package io.aquarium.fish.drivers.test;

import java.time.Duration;

/** Waits for the test driver's configured delays; tests pass one that only records them. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
