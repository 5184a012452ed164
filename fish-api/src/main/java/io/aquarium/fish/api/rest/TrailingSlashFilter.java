package io.aquarium.fish.api.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

import java.net.URI;

/**
 * Collection paths end with '/' in the original ({@code /api/v1/label/}), item paths don't; clients
 * use both. Routes are declared without the slash and this filter drops it before matching.
 */
@PreMatching
@Priority(100)
public final class TrailingSlashFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path != null && path.length() > 1 && path.endsWith("/")) {
            String trimmed = path.replaceAll("/+$", "");
            String rebuilt = (trimmed.isEmpty() ? "/" : trimmed) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            request.setRequestUri(request.getUriInfo().getBaseUri(), uri.resolve(rebuilt));
        }
    }
}
