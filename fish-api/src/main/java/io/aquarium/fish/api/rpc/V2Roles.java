package io.aquarium.fish.api.rpc;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.User;

import java.util.Collection;
import java.util.Set;

/**
 * How v2's roles map onto our node's two kinds of user, which are its only permission rules:
 * <ul>
 *   <li>{@code Administrator}: the {@code admin} user, and only it (it may do everything);</li>
 *   <li>{@code User} and {@code Power}: every other user. Such a user provisions, lists the labels it
 *       may see, creates temporary (version 0) labels, runs tasks and deallocates on its own
 *       applications: v2's {@code User} plus {@code Power} permissions (the Jenkins plugin needs both)
 *       with none of the {@code *All} actions ({@code LabelService} applies what that leaves out).</li>
 * </ul>
 * Roles are not stored. A role a client creates is accepted when every permission it lists is one that
 * non-admin users hold here (so a user given it gets at least what it asked for, never less);
 * one that asks for more is refused, because only {@code admin} has more.
 */
final class V2Roles {
    static final String ADMINISTRATOR = "Administrator";

    /** v2's default {@code User} and {@code Power} permissions ({@code Resource.Action}), as the original generates them. */
    private static final Set<String> NON_ADMIN = Set.of(
            "ApplicationService.Create", "ApplicationService.Deallocate", "ApplicationService.Get",
            "ApplicationService.GetResource", "ApplicationService.GetState", "ApplicationService.List",
            "ApplicationService.ListResource", "ApplicationService.ListState",
            "ApplicationService.CreateTask", "ApplicationService.GetTask", "ApplicationService.ListTask",
            "LabelService.Create", "LabelService.Get", "LabelService.List", "LabelService.Remove",
            "LabelService.Update", "StreamingService.Connect", "StreamingService.Subscribe",
            "GateProxySSHService.GetResourceAccess", "UserService.GetMe");

    private V2Roles() {
    }

    /** Whether a non-admin user of this node holds {@code resource.action}. */
    static boolean nonAdminHolds(String resource, String action) {
        return NON_ADMIN.contains(resource + "." + action);
    }

    /** Roles given to a new user: {@code Administrator} belongs to {@code admin} alone. */
    static void checkAssignable(String userName, Collection<String> roles) {
        if (roles.contains(ADMINISTRATOR) && !User.ADMIN.equals(userName)) {
            throw FishException.badRequest("Role Administrator is the 'admin' user's alone on this node;"
                    + " other users hold the User and Power permissions");
        }
    }
}
