package io.aquarium.fish.api.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.aquarium.fish.api.it.Configs.TEST_DRIVER;
import static io.aquarium.fish.api.it.Configs.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One user abusing logins and password changes (issue 10, items 5, 6 and 10) leaves the node
 * serving everybody else. Timings are printed, never asserted: the machine may be busy.
 */
class LoginAbuseIT {
    private static final int ATTACKERS = 20;

    @RegisterExtension
    final FishNodes nodes = new FishNodes();

    @Test
    void concurrentPasswordChangesAnswer200Or503AndNeverExhaustMemory(@TempDir Path dir) throws Exception {
        // A quarter of 256 MiB holds one 64 MiB Argon2 computation: twenty at once would need 1.25 GiB.
        FishProcess node = nodes.create("node-1", dir, node("node-1", TEST_DRIVER)).maxHeap("256m").start();
        FishApi admin = node.api();
        admin.post("/api/v1/user/", "{\"name\":\"bob\",\"password\":\"bob-secret\"}").ok();
        FishApi bob = admin.as("bob", "bob-secret");
        bob.get("/api/v1/user/me/").ok();

        // Each change sets the same password again (a fresh salt): every request stays authenticated.
        List<FishApi.Reply> replies = concurrently(ATTACKERS,
                () -> bob.tryPost("/api/v1/user/", "{\"name\":\"bob\",\"password\":\"bob-secret\"}"));

        Map<Integer, Integer> statuses = countStatuses(replies);
        System.out.println("| " + ATTACKERS + " concurrent password changes, -Xmx256m | statuses " + statuses + " |");
        for (FishApi.Reply reply : replies) {
            assertTrue(reply.status() == 200 || reply.status() == 503, reply.status() + ": " + reply.body());
            if (reply.status() == 503) {
                assertTrue(reply.header("Retry-After").isPresent(), reply::toString);
                assertTrue(reply.json().path("message").isTextual(), reply.body());
            }
        }
        assertTrue(statuses.getOrDefault(200, 0) > 0, statuses::toString);
        assertFalse(node.printed("OutOfMemoryError"), "the node ran out of memory");
        bob.get("/api/v1/user/me/").ok();
        admin.get("/api/v1/user/me/").ok();
    }

    @Test
    void wrongPasswordFloodIsThrottledAndIdleUsersStillLogIn(@TempDir Path dir) throws Exception {
        FishApi admin = nodes.start("node-1", dir, node("node-1", TEST_DRIVER)).api();
        admin.post("/api/v1/user/", "{\"name\":\"bob\",\"password\":\"bob-secret\"}").ok();
        int idleUsers = 8;
        for (int i = 0; i < 3 * idleUsers; i++) {
            admin.post("/api/v1/user/", "{\"name\":\"idle-" + i + "\",\"password\":\"idle-secret\"}").ok();
        }
        List<Double> quiet = firstLogins(admin, 0, idleUsers);

        Flood wrongPasswords = new Flood(thread -> admin.as("bob", "wrong-" + thread));
        List<Double> underWrongPasswords = wrongPasswords.measure(() -> {
            // Measured once the flood runs into the throttle, as it would after its first seconds.
            Poll.until("the flood to be throttled", Duration.ofSeconds(30), wrongPasswords.throttled::size, n -> n > 0);
            return firstLogins(admin, idleUsers, 2 * idleUsers);
        });
        // For comparison: as many loops of requests with a valid, cached credential (no Argon2 at all).
        Flood validRequests = new Flood(thread -> admin);
        List<Double> underValidRequests = validRequests.measure(() -> firstLogins(admin, 2 * idleUsers, 3 * idleUsers));

        System.out.printf("| idle user's first login (median / max) | alone: %.0f / %.0f ms | under %d wrong-password "
                        + "loops: %.0f / %.0f ms (replies %s) | under %d loops of valid requests: %.0f / %.0f ms |%n",
                median(quiet), Collections.max(quiet), ATTACKERS, median(underWrongPasswords),
                Collections.max(underWrongPasswords), new TreeMap<>(wrongPasswords.statuses), ATTACKERS,
                median(underValidRequests), Collections.max(underValidRequests));
        assertFalse(wrongPasswords.throttled.isEmpty(), "the wrong-password flood was never throttled: "
                + wrongPasswords.statuses);
        for (FishApi.Reply reply : wrongPasswords.throttled) {
            assertTrue(reply.header("Retry-After").isPresent(), reply::toString);
            assertTrue(reply.json().path("message").isTextual(), reply.body());
        }
        admin.get("/api/v1/user/me/").ok();
    }

    /** {@link #ATTACKERS} threads sending {@code GET /api/v1/user/me/} in a loop, each as its client. */
    private static final class Flood {
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final List<FishApi.Reply> throttled = Collections.synchronizedList(new ArrayList<>());
        private final java.util.function.IntFunction<FishApi> clients;

        Flood(java.util.function.IntFunction<FishApi> clients) {
            this.clients = clients;
        }

        /** Runs {@code during} while the flood goes on. */
        <T> T measure(Callable<T> during) throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(ATTACKERS);
            try {
                for (int t = 0; t < ATTACKERS; t++) {
                    FishApi client = clients.apply(t);
                    pool.submit(() -> {
                        while (!stop.get()) {
                            FishApi.Reply reply = client.tryGet("/api/v1/user/me/");
                            statuses.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
                            if (reply.status() == 429 && throttled.size() < 5) {
                                throttled.add(reply);
                            }
                        }
                    });
                }
                return during.call();
            } finally {
                stop.set(true);
                pool.shutdown();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the flood did not stop");
            }
        }
    }

    @Test
    void unknownAndKnownUsersAreRefusedAfterTheSameWork(@TempDir Path dir) {
        FishApi admin = nodes.start("node-1", dir, node("node-1", TEST_DRIVER)).api();
        int samples = 8;
        for (int i = 0; i < samples; i++) {
            admin.post("/api/v1/user/", "{\"name\":\"known-" + i + "\",\"password\":\"right\"}").ok();
        }
        List<Double> known = new ArrayList<>();
        List<Double> unknown = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            known.add(timedStatus(admin.as("known-" + i, "wrong"), 401));
            unknown.add(timedStatus(admin.as("unknown-" + i, "wrong"), 401));
        }
        System.out.printf("| wrong password | known user: median %.0f ms | unknown user: median %.0f ms |%n",
                median(known), median(unknown));
    }

    /** The first logins of users idle-{from}..idle-{to - 1}, one after another, in milliseconds. */
    private static List<Double> firstLogins(FishApi admin, int from, int to) {
        List<Double> millis = new ArrayList<>();
        for (int i = from; i < to; i++) {
            millis.add(timedStatus(admin.as("idle-" + i, "idle-secret"), 200));
        }
        return millis;
    }

    private static double timedStatus(FishApi api, int expected) {
        long start = System.nanoTime();
        FishApi.Reply reply = api.tryGet("/api/v1/user/me/");
        double millis = (System.nanoTime() - start) / 1e6;
        assertEquals(expected, reply.status(), reply.body());
        return millis;
    }

    private static List<FishApi.Reply> concurrently(int threads, java.util.function.Supplier<FishApi.Reply> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<FishApi.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.get();
                }));
            }
            start.countDown();
            List<FishApi.Reply> replies = new ArrayList<>();
            for (Future<FishApi.Reply> future : futures) {
                replies.add(future.get(120, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<Integer, Integer> countStatuses(List<FishApi.Reply> replies) {
        Map<Integer, Integer> counts = new TreeMap<>();
        replies.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
