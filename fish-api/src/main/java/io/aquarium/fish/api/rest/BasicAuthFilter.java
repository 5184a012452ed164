package io.aquarium.fish.api.rest;

import io.aquarium.fish.api.rest.wire.ErrorWire;
import io.aquarium.fish.core.auth.Authenticator;
import io.aquarium.fish.core.model.User;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic on everything under {@code /api/} except the API document itself. Runs before route
 * matching so an unauthenticated unknown route is 401, not 404 (as the original).
 *
 * <p>The {@link Authenticator} throttles failed logins by the client's address: the socket's,
 * never a forwarded header, which any client could write.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BasicAuthFilter implements ContainerRequestFilter {
    static final String REALM = "Basic realm=\"Aquarium Fish\"";
    private static final int MAX_NAME = 256;
    private static final int MAX_PASSWORD = 1024;

    private final Authenticator authenticator;
    // A per-request proxy: this filter is one instance for all requests.
    @Context
    private HttpServletRequest servletRequest;

    public BasicAuthFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        if (!needsAuth(path)) {
            return;
        }
        Optional<User> user = credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .flatMap(c -> authenticator.authenticate(c[0], c[1], servletRequest.getRemoteAddr()));
        if (user.isEmpty()) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, REALM)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorWire("Unauthorized"))
                    .build());
            return;
        }
        request.setSecurityContext(new FishPrincipal.Context(new FishPrincipal(user.get())));
    }

    static boolean needsAuth(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (!p.startsWith("api")) {
            return false;
        }
        // The OpenAPI document is public so API tools can load it.
        return !(p.equals("api") || p.equals("api/") || p.startsWith("api/openapi."));
    }

    private static Optional<String[]> credentials(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon > MAX_NAME || decoded.length() - colon - 1 > MAX_PASSWORD) {
            return Optional.empty();
        }
        return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }
}
