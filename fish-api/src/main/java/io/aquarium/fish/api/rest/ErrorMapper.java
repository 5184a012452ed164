package io.aquarium.fish.api.rest;

import io.aquarium.fish.api.rest.wire.ErrorWire;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.error.RetryLaterException;
import io.aquarium.fish.core.store.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes {@code {"message": ...}} with a 4xx/5xx. Permission failures are 400, as the
 * original sends them (clients may depend on it). Unexpected errors are logged, never echoed.
 */
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof RetryLaterException rle) {
            // Whole seconds, rounded up: Retry-After carries no fractions.
            long seconds = Math.max(1, (rle.retryAfter().toMillis() + 999) / 1000);
            return Response.fromResponse(json(status(rle.kind()), rle.getMessage()))
                    .header(HttpHeaders.RETRY_AFTER, seconds).build();
        }
        if (error instanceof FishException fe) {
            return json(status(fe.kind()), fe.getMessage());
        }
        if (error instanceof StoreException se) {
            // The store's messages name the operation only, never stored values.
            LOG.warn("Store unavailable while serving a request: {}", se.getMessage());
            return json(503, "The store is temporarily unavailable, try again: " + se.getMessage());
        }
        if (error instanceof WebApplicationException wae) {
            Response original = wae.getResponse();
            int status = original.getStatus();
            String reason = Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
            Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorWire(reason));
            if (status == 401) {
                builder.header(HttpHeaders.WWW_AUTHENTICATE, BasicAuthFilter.REALM);
            }
            if (original.getHeaderString(HttpHeaders.ALLOW) != null) {
                builder.header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW));
            }
            return builder.build();
        }
        LOG.error("Unexpected error while serving a request", error);
        return json(500, "Internal server error");
    }

    static int status(FishException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST, FORBIDDEN, CONFLICT -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND -> 404;
            case TOO_LARGE -> 413;
            case TOO_MANY_REQUESTS -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    private static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorWire(message)).build();
    }
}
