package io.aquarium.fish.core.service;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.User;

/** The permission rules: admin may do everything; other users only touch what they own. */
final class Access {
    private Access() {
    }

    static void requireAdmin(User caller, String action) {
        if (!caller.isAdmin()) {
            throw FishException.forbidden("Only 'admin' user can " + action);
        }
    }

    static void requireOwner(User caller, String ownerName, String what) {
        if (!owns(caller, ownerName)) {
            throw FishException.forbidden("Permission denied: " + what + " is owned by another user");
        }
    }

    /** Whether {@code caller} may see what {@code ownerName} owns: its owner or an admin. */
    static boolean owns(User caller, String ownerName) {
        return caller.isAdmin() || caller.name().equals(ownerName);
    }
}
