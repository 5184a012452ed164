package io.aquarium.fish.core.driver;

/** A driver could not do what was asked; the message is safe to show (no secrets). */
public class DriverException extends RuntimeException {
    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
