package io.aquarium.fish.api.rest;

import io.aquarium.fish.api.http.AccessLog;
import io.aquarium.fish.api.http.BasicCredentials;
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

import java.util.Optional;

/**
 * HTTP Basic on everything under {@code /api/} except the API document itself, and on {@code /metrics}
 * when {@code metrics_auth} is set. Runs before route
 * matching so an unauthenticated unknown route is 401, not 404 (as the original).
 *
 * <p>The {@link Authenticator} throttles failed logins by the client's address: the socket's,
 * never a forwarded header, which any client could write.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BasicAuthFilter implements ContainerRequestFilter {
    static final String REALM = "Basic realm=\"Aquarium Fish\"";

    private final Authenticator authenticator;
    private final boolean metricsAuth;
    // A per-request proxy: this filter is one instance for all requests.
    @Context
    private HttpServletRequest servletRequest;

    public BasicAuthFilter(Authenticator authenticator) {
        this(authenticator, false);
    }

    /** {@code metricsAuth}: {@code GET /metrics} needs credentials too ({@code metrics_auth: true}). */
    public BasicAuthFilter(Authenticator authenticator, boolean metricsAuth) {
        this.authenticator = authenticator;
        this.metricsAuth = metricsAuth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        if (!needsAuth(path) && !(metricsAuth && isMetrics(path))) {
            return;
        }
        Optional<User> user = BasicCredentials.parse(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .flatMap(c -> authenticator.authenticate(c.name(), c.password(), servletRequest.getRemoteAddr()));
        if (user.isEmpty()) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, REALM)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorWire("Unauthorized"))
                    .build());
            return;
        }
        request.setSecurityContext(new FishPrincipal.Context(new FishPrincipal(user.get())));
        // For the access log: the name only, and only once authenticated.
        servletRequest.setAttribute(AccessLog.USER_ATTRIBUTE, user.get().name());
    }

    static boolean isMetrics(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.equals("metrics") || p.startsWith("metrics/");
    }

    static boolean needsAuth(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (!p.startsWith("api")) {
            return false;
        }
        // The OpenAPI document is public so API tools can load it.
        return !(p.equals("api") || p.equals("api/") || p.startsWith("api/openapi."));
    }
}
