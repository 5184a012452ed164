package io.aquarium.fish.api.rest;

import io.aquarium.fish.core.model.User;
import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;

/** The authenticated user of a request, carried in the JAX-RS SecurityContext. */
public record FishPrincipal(User user) implements Principal {
    @Override
    public String getName() {
        return user.name();
    }

    public static User of(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof FishPrincipal p) {
            return p.user();
        }
        throw new IllegalStateException("request reached a resource without authentication");
    }

    record Context(FishPrincipal principal) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
            return "admin".equals(role) && principal.user().isAdmin();
        }

        @Override
        public boolean isSecure() {
            return true;
        }

        @Override
        public String getAuthenticationScheme() {
            return BASIC_AUTH;
        }
    }
}
