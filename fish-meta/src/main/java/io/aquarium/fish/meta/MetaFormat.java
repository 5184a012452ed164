package io.aquarium.fish.meta;

import io.aquarium.fish.core.error.FishException;

/** The {@code format=} of a Meta API response and its content type. */
public enum MetaFormat {
    JSON("application/json"),
    YAML("application/yaml"),
    /** {@code KEY=value} lines, shell-quoted where needed: for {@code . file} or {@code set -a}. */
    ENV("text/plain; charset=utf-8"),
    /** {@code export KEY=value} lines, for {@code eval}. */
    EXPORT("text/plain; charset=utf-8"),
    /** {@code $KEY='value'} lines for PowerShell. */
    PS1("text/plain; charset=utf-8");

    private static final int MAX_ECHO = 32;
    private final String contentType;

    MetaFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** Absent or empty = JSON; case does not matter; anything else is a BAD_REQUEST. */
    public static MetaFormat parse(String name) {
        if (name == null || name.isEmpty()) {
            return JSON;
        }
        for (MetaFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        String shown = name.length() > MAX_ECHO ? name.substring(0, MAX_ECHO) + "..." : name;
        throw FishException.badRequest("Unknown format '" + shown + "': use json, yaml, env, export or ps1");
    }
}
