package io.aquarium.fish.api.rest;

import io.aquarium.fish.core.error.FishException;

import java.util.UUID;
import java.util.regex.Pattern;

/** Path and query parameter parsing with the contract's error messages. */
public final class Params {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Params() {
    }

    public static UUID uuid(String name, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            String shown = value == null ? "" : value.length() > 64 ? value.substring(0, 64) + "..." : value;
            throw FishException.badRequest("Invalid format for parameter " + name + ": " + shown
                    + " is not a UUID");
        }
        return UUID.fromString(value);
    }

    public static Boolean bool(String name, String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "t", "yes" -> Boolean.TRUE;
            case "false", "0", "f", "no" -> Boolean.FALSE;
            case "" -> null;
            default -> throw FishException.badRequest("Invalid format for parameter " + name + ": " + value);
        };
    }
}
