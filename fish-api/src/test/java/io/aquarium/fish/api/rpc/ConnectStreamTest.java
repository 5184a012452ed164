package io.aquarium.fish.api.rpc;

import aquarium.v2.Streaming.StreamingServiceConnectRequest;
import aquarium.v2.Streaming.StreamingServiceConnectResponse;
import aquarium.v2.UserOuterClass.UserServiceGetMeRequest;
import aquarium.v2.UserOuterClass.UserServiceGetMeResponse;
import com.google.protobuf.Any;
import io.aquarium.fish.core.model.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Connect stream's tunnelled requests: bounded per stream and by the call executor, each answered exactly once. */
class ConnectStreamTest {
    private static final User USER = new User("jenkins", Instant.EPOCH, Instant.EPOCH, null);
    private static final Duration NO_KEEP_ALIVE_DURING_TEST = Duration.ofHours(1);

    private final CountDownLatch release = new CountDownLatch(1);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private ExecutorService calls;

    /** GetMe answers only once the test releases it, so requests stay in flight. */
    private final Tunnel tunnel = Tunnel.builder().route(UserServiceGetMeRequest.class, (caller, request) -> {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return UserServiceGetMeResponse.newBuilder().setStatus(true).build();
    }).build();

    @AfterEach
    void stop() {
        release.countDown();
        timers.shutdownNow();
        calls.shutdownNow();
    }

    private static StreamingServiceConnectRequest getMe(int id) {
        return StreamingServiceConnectRequest.newBuilder().setRequestId("r" + id)
                .setRequestType("UserServiceGetMeRequest")
                .setRequestData(Any.pack(UserServiceGetMeRequest.getDefaultInstance())).build();
    }

    private static Map<String, StreamingServiceConnectResponse> answersById(
            FakeServerObserver<StreamingServiceConnectResponse> out) {
        return out.sent.stream().filter(r -> !r.getRequestId().equals(ConnectStream.KEEP_ALIVE_ID))
                .collect(Collectors.toMap(StreamingServiceConnectResponse::getRequestId, Function.identity()));
    }

    private static long busy(Map<String, StreamingServiceConnectResponse> answers) {
        return answers.values().stream().filter(r -> r.getError().getCode().equals("resource_exhausted")).count();
    }

    private static void awaitAnswers(FakeServerObserver<StreamingServiceConnectResponse> out, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (answersById(out).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void requestsBeyondTheStreamsLimitAreRefusedAtOnceAndTheOthersStillAnswered() throws Exception {
        calls = Executors.newFixedThreadPool(ConnectStream.IN_FLIGHT + 8);
        FakeServerObserver<StreamingServiceConnectResponse> out = new FakeServerObserver<>();
        ConnectStream stream = ConnectStream.open(USER, out, tunnel, calls, timers, NO_KEEP_ALIVE_DURING_TEST);
        int sent = ConnectStream.IN_FLIGHT + 5;
        for (int i = 0; i < sent; i++) {
            stream.onNext(getMe(i));
        }
        Map<String, StreamingServiceConnectResponse> early = answersById(out);
        assertEquals(5, early.size(), "the requests over the limit are answered before the slow ones finish");
        assertEquals(5, busy(early));

        release.countDown();
        awaitAnswers(out, sent);
        Map<String, StreamingServiceConnectResponse> answers = answersById(out);
        assertEquals(sent, answers.size(), "every request answered");
        assertEquals(sent, out.sent.size() - 1, "each exactly once (plus the greeting)");
        assertEquals(ConnectStream.IN_FLIGHT, answers.values().stream().filter(r -> !r.hasError()).count());

        stream.onNext(getMe(sent));
        awaitAnswers(out, sent + 1);
        assertTrue(answersById(out).get("r" + sent).hasResponseData(), "the limit frees up as answers go out");
    }

    @Test
    void aFullCallExecutorAnswersBusyInsteadOfQueueingWithoutBound() throws Exception {
        calls = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        FakeServerObserver<StreamingServiceConnectResponse> out = new FakeServerObserver<>();
        ConnectStream stream = ConnectStream.open(USER, out, tunnel, calls, timers, NO_KEEP_ALIVE_DURING_TEST);
        for (int i = 0; i < 4; i++) {
            stream.onNext(getMe(i));
        }
        assertEquals(List.of("r2", "r3"), answersById(out).keySet().stream().sorted().toList(),
                "one runs, one waits in the queue, the rest are refused");
        assertEquals(2, busy(answersById(out)));
        release.countDown();
        awaitAnswers(out, 4);
        assertEquals(2, answersById(out).values().stream().filter(StreamingServiceConnectResponse::hasResponseData)
                .count());
    }
}
