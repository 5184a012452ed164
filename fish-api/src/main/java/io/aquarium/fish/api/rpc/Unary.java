package io.aquarium.fish.api.rpc;

import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/** Runs a unary call's body and answers with its result or its failure mapped by {@link RpcErrors}. */
final class Unary {
    private Unary() {
    }

    static <R> void answer(StreamObserver<R> response, Supplier<R> body) {
        R result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            response.onError(RpcErrors.status(e).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
