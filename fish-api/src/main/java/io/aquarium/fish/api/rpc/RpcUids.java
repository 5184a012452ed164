package io.aquarium.fish.api.rpc;

import io.aquarium.fish.core.error.FishException;

import java.util.UUID;

/** v2 carries UIDs as strings; a malformed one is the client's mistake ({@code invalid_argument}). */
final class RpcUids {
    private RpcUids() {
    }

    static UUID parse(String text, String field) {
        if (text == null || text.isEmpty()) {
            throw FishException.badRequest(field + " is required");
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw FishException.badRequest(field + " is not a UID: " + text);
        }
    }
}
