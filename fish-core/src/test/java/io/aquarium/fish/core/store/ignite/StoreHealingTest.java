package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.model.User;
import org.apache.ignite.failure.FailureContext;
import org.apache.ignite.failure.FailureType;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store whose Ignite node Ignite itself stopped (a critical failure, like a segmentation) starts a
 * new one in-process and serves again, also when the stopped node's discovery port is still taken.
 */
class StoreHealingTest {
    private static final long HEAL_WITHIN_S = 60;

    @Test
    void aStoreHealsAfterIgniteStoppedItsNodeEvenWhenTheDiscoveryPortStaysTaken(@TempDir Path dir) throws Exception {
        int port = IgniteTestNodes.freePort();
        try (IgniteStore store = IgniteStore.start(IgniteTestNodes.config(dir, "fish-heal", false, port,
                List.of(port)))) {
            IgniteEx before = (IgniteEx) store.ignite();
            before.context().failure().process(new FailureContext(FailureType.CRITICAL_ERROR,
                    new IllegalStateException("test: a critical failure")));
            awaitStopped(before);

            // What was seen in CI: the stopped node's discovery port stayed bound. Hold it the whole time
            // (as soon as the stopping node lets go of it: the store waits a heal interval before restarting).
            try (ServerSocket squatter = squat(port)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HEAL_WITHIN_S);
                while (store.membership().state() == MembershipState.MEMBER && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertNotEquals(MembershipState.MEMBER, store.membership().state(), "the store noticed the loss");
                while (store.membership().state() != MembershipState.MEMBER && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(MembershipState.MEMBER, store.membership().state(), "healed within " + HEAL_WITHIN_S + " s");
                assertNotEquals(before, store.ignite(), "a new Ignite node");
                int boundPort = discoveryPortOf(store);
                assertTrue(boundPort > port && boundPort < port + 10, "bound to a neighbouring port: " + boundPort);
                assertTrue(store.createUser(new User("after-heal", Instant.now(), Instant.now(), null)));
                assertTrue(store.user("after-heal").isPresent(), "writes and reads work again");
            }
        }
    }

    /** The port held by this test, or null when the stopped node itself still holds it (the case seen in CI). */
    private static ServerSocket squat(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
                return socket;
            } catch (java.net.BindException stillStopping) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    return null;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The port the node's discovery listens on (the one it is bound to, not the one configured). */
    private static int discoveryPortOf(IgniteStore store) {
        return ((TcpDiscoverySpi) store.ignite().configuration().getDiscoverySpi()).getLocalPort();
    }

    private static void awaitStopped(IgniteEx ignite) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ignite.context().isStopping() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(ignite.context().isStopping(), "Ignite stops the node on a critical failure");
    }
}
