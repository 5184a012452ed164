package io.aquarium.fish.api.rpc;

import aquarium.v2.UserOuterClass;
import io.aquarium.fish.core.model.User;

import java.util.List;

/**
 * Our users as v2 {@code User} messages. Never carries hash material or a password.
 *
 * <p>Roles: our node has two kinds of user, not v2's role sets. {@code admin} may do everything
 * (v2 {@code Administrator}); any other user may provision, use labels and run tasks on what it owns,
 * which is what v2 grants {@code User} plus {@code Power}.
 */
final class UserMessages {
    static final List<String> ADMIN_ROLES = List.of("Administrator");
    static final List<String> USER_ROLES = List.of("User", "Power");

    private UserMessages() {
    }

    static UserOuterClass.User of(User user) {
        return UserOuterClass.User.newBuilder()
                .setName(user.name())
                .setCreatedAt(ProtoTime.of(user.createdAt()))
                .setUpdatedAt(ProtoTime.of(user.updatedAt()))
                .addAllRoles(user.isAdmin() ? ADMIN_ROLES : USER_ROLES)
                .build();
    }
}
