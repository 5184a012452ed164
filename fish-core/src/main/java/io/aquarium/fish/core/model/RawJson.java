package io.aquarium.fish.core.model;

import java.util.Objects;

/**
 * A JSON document kept exactly as the user sent it (key order included), for fields the contract
 * echoes verbatim: metadata, driver options, task options and results.
 */
public record RawJson(String json) {
    public static final RawJson EMPTY_OBJECT = new RawJson("{}");

    public RawJson {
        Objects.requireNonNull(json, "json");
    }

    public static RawJson ofNullable(String json) {
        return json == null || json.isBlank() ? EMPTY_OBJECT : new RawJson(json);
    }

    public boolean isEmptyObject() {
        return json.replaceAll("\\s", "").equals("{}");
    }

    @Override
    public String toString() {
        return json;
    }
}
