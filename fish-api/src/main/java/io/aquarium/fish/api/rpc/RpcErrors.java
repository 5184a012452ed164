package io.aquarium.fish.api.rpc;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Domain failures as gRPC statuses (direct calls) and as the lowercase Connect code names the tunnel
 * puts into {@code StreamError.code}. Permission failures are {@code permission_denied}, as the
 * original answers them; internal details never reach the client.
 */
final class RpcErrors {
    private static final Logger LOG = LoggerFactory.getLogger(RpcErrors.class);

    private RpcErrors() {
    }

    static Status status(Throwable error) {
        if (error instanceof StatusRuntimeException sre) {
            return sre.getStatus();
        }
        if (error instanceof FishException fe) {
            return code(fe.kind()).withDescription(fe.getMessage());
        }
        if (error instanceof StoreException se) {
            // The store's messages name the operation only, never stored values.
            LOG.warn("Store unavailable while serving an RPC: {}", se.getMessage());
            return Status.UNAVAILABLE.withDescription("The store is temporarily unavailable, try again: "
                    + se.getMessage());
        }
        LOG.error("Unexpected error while serving an RPC", error);
        return Status.INTERNAL.withDescription("Internal server error");
    }

    /** {@code PERMISSION_DENIED} → {@code permission_denied}: the names connect-go uses on the wire. */
    static String connectCode(Status status) {
        return status.getCode() == Status.Code.CANCELLED ? "canceled" : status.getCode().name().toLowerCase(Locale.ROOT);
    }

    private static Status code(FishException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> Status.INVALID_ARGUMENT;
            case UNAUTHORIZED -> Status.UNAUTHENTICATED;
            case FORBIDDEN -> Status.PERMISSION_DENIED;
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.ALREADY_EXISTS;
            case TOO_LARGE -> Status.OUT_OF_RANGE;
            case TOO_MANY_REQUESTS -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
        };
    }
}
