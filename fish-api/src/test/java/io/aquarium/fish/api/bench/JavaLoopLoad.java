package io.aquarium.fish.api.bench;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** The fallback load: one thread per connection, each sending its next request as soon as the last one is answered. */
final class JavaLoopLoad implements RequestRateLoad {
    private final BenchClient client;

    JavaLoopLoad(BenchClient client) {
        this.client = client;
    }

    @Override
    public String tool() {
        return "Java loop (java.net.http, HTTP/1.1)";
    }

    @Override
    public Result run(String path, boolean authenticated, int connections, Duration warmUp, Duration window)
            throws InterruptedException {
        HttpRequest request = client.request(path, authenticated).GET().build();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        int status = client.sendDiscarding(request);
                        (status / 100 == 2 ? ok : failed).increment();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failed.increment();
                    }
                }
            }, "bench-load-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        try {
            Thread.sleep(warmUp.toMillis());
            long okBefore = ok.sum();
            long failedBefore = failed.sum();
            long start = System.nanoTime();
            Thread.sleep(window.toMillis());
            long okCount = ok.sum() - okBefore;
            long failedCount = failed.sum() - failedBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(okCount / seconds, okCount + failedCount, failedCount);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(35_000); // a request in flight ends within its 30 s timeout
            }
        }
    }
}
