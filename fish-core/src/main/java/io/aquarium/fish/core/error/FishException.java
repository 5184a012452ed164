package io.aquarium.fish.core.error;

/**
 * A failure the caller can act on. The API maps {@link Kind} to an HTTP status; the message goes to
 * the client as {@code {"message": ...}}, so it must never contain secrets.
 */
public class FishException extends RuntimeException {
    public enum Kind { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, TOO_MANY_REQUESTS, UNAVAILABLE }

    private final Kind kind;

    public FishException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public FishException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static FishException badRequest(String message) {
        return new FishException(Kind.BAD_REQUEST, message);
    }

    public static FishException forbidden(String message) {
        return new FishException(Kind.FORBIDDEN, message);
    }

    public static FishException notFound(String message) {
        return new FishException(Kind.NOT_FOUND, message);
    }

    public static FishException conflict(String message) {
        return new FishException(Kind.CONFLICT, message);
    }
}
