package io.aquarium.fish.api.rpc;

import aquarium.v2.Streaming.StreamError;
import aquarium.v2.Streaming.StreamingServiceConnectRequest;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.aquarium.fish.core.model.User;
import io.grpc.Status;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The calls a Connect stream carries: {@code request_type "<Service><Method>Request"} with its message
 * in an {@code Any}, answered by {@code "<Service><Method>Response"} with the same {@code request_id}.
 * Each route is the same function the direct gRPC method runs, so both paths see one domain.
 *
 * <p>Failures go into {@code error{code, message}} with no {@code response_data}; an unknown request
 * type is {@code permission_denied}, as the original answers both unknown and denied types.
 */
final class Tunnel {
    private final Map<String, Route<?>> routes;

    private Tunnel(Map<String, Route<?>> routes) {
        this.routes = Map.copyOf(routes);
    }

    static Builder builder() {
        return new Builder();
    }

    StreamingServiceConnectResponse answer(User caller, StreamingServiceConnectRequest request) {
        String type = request.getRequestType();
        StreamingServiceConnectResponse.Builder response = responseTo(request);
        Route<?> route = routes.get(type);
        if (route == null) {
            return response.setError(error("permission_denied", "Permission denied: unknown request type "
                    + type)).build();
        }
        try {
            return response.setResponseData(Any.pack(route.run(caller, request.getRequestData()))).build();
        } catch (InvalidProtocolBufferException e) {
            return response.setError(error("invalid_argument", "request_data is not a " + type)).build();
        } catch (RuntimeException e) {
            Status status = RpcErrors.status(e);
            return response.setError(error(RpcErrors.connectCode(status),
                    status.getDescription() == null ? "" : status.getDescription())).build();
        }
    }

    /** The answer to a request not run because too many are in flight: the client may send it again. */
    static StreamingServiceConnectResponse busy(StreamingServiceConnectRequest request, String why) {
        return responseTo(request).setError(error("resource_exhausted", why)).build();
    }

    private static StreamingServiceConnectResponse.Builder responseTo(StreamingServiceConnectRequest request) {
        return StreamingServiceConnectResponse.newBuilder()
                .setRequestId(request.getRequestId())
                .setResponseType(request.getRequestType().replaceFirst("Request", "Response"));
    }

    private static StreamError error(String code, String message) {
        return StreamError.newBuilder().setCode(code).setMessage(message).build();
    }

    private record Route<Q extends Message>(Class<Q> requestType, BiFunction<User, Q, ? extends Message> handler) {
        Message run(User caller, Any data) throws InvalidProtocolBufferException {
            if (!data.is(requestType)) {
                throw new InvalidProtocolBufferException("type mismatch");
            }
            return handler.apply(caller, data.unpack(requestType));
        }
    }

    static final class Builder {
        private final Map<String, Route<?>> routes = new HashMap<>();

        private Builder() {
        }

        /** Routes {@code <simple name of requestType>} (e.g. {@code UserServiceGetMeRequest}) to {@code handler}. */
        <Q extends Message> Builder route(Class<Q> requestType, BiFunction<User, Q, ? extends Message> handler) {
            routes.put(requestType.getSimpleName(), new Route<>(requestType, handler));
            return this;
        }

        Tunnel build() {
            return new Tunnel(routes);
        }
    }
}
