package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.store.StoreException;
import io.aquarium.fish.core.store.StoreTimeoutException;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Gives every store call an answer within a deadline (the caller's: writes and reads differ). An Ignite call waits as long as a node it needs
 * stays in the topology: in a partial network split (this node cannot reach one member while both
 * still see a third) a lock, or the rollback of a timed-out transaction, waits until discovery drops
 * a node, which takes Ignite 12–30 s. The caller gets a {@link StoreTimeoutException} (503 for the
 * API) at the deadline instead, and the call goes on in its own thread until Ignite ends it. It is
 * never cancelled: interrupting Ignite in the middle of file I/O closes its files.
 *
 * <p>A call started from a call thread runs inline: an Ignite transaction belongs to the thread that
 * started it, so everything inside one must stay on that thread.
 */
final class CallDeadline implements AutoCloseable {
    /** Calls left waiting on a cluster that does not answer, at most; more are refused at once. */
    static final int MAX_CALLS = 256;

    private final int maxCalls;
    private final ThreadPoolExecutor calls;

    CallDeadline() {
        this(MAX_CALLS);
    }

    CallDeadline(int maxCalls) {
        this.maxCalls = maxCalls;
        AtomicInteger count = new AtomicInteger();
        // No queue: a call gets a thread at once or is refused; idle threads go after a minute.
        this.calls = new ThreadPoolExecutor(0, maxCalls, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new CallThread(r, "fish-store-call-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Runs {@code work}, answering {@code within}; its own exceptions come through unchanged. */
    <T> T call(String operation, Duration within, Supplier<T> work) {
        if (Thread.currentThread() instanceof CallThread) {
            return work.get();
        }
        Future<T> future;
        try {
            future = calls.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw new StoreException("Ignite store: " + operation + " refused: " + maxCalls
                    + " store calls are already waiting for the cluster to answer");
        }
        try {
            return future.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StoreTimeoutException("Ignite store: " + operation + " got no answer from the cluster within "
                    + within.toMillis() + " ms (its outcome is unknown)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StoreException("Ignite store: " + operation + " failed (" + cause.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Ignite store: interrupted while waiting for " + operation);
        }
    }

    @Override
    public void close() {
        calls.shutdown();
    }

    /** Marks the threads that run store calls. */
    private static final class CallThread extends Thread {
        CallThread(Runnable r, String name) {
            super(r, name);
        }
    }
}
