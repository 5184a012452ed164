package io.aquarium.fish.api.rpc;

import io.grpc.stub.ServerCallStreamObserver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The server side of one gRPC stream, recording what the node sends; the test decides readiness. */
final class FakeServerObserver<T> extends ServerCallStreamObserver<T> {
    final List<T> sent = new CopyOnWriteArrayList<>();
    volatile boolean ready = true;
    Throwable error;
    Runnable onReady;
    Runnable onCancel;

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
        onCancel = handler;
    }

    @Override
    public void setCompression(String compression) {
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
        onReady = handler;
    }

    @Override
    public void disableAutoInboundFlowControl() {
    }

    @Override
    public void request(int count) {
    }

    @Override
    public void setMessageCompression(boolean enable) {
    }

    @Override
    public void onNext(T value) {
        sent.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onCompleted() {
    }
}
