package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.model.PasswordHash;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real Argon2id with cheap parameters (64 KiB, 1 lane) that counts verifications and how many run
 * at once; with a gate set, each verification waits for it, holding its Argon2 slot.
 */
final class CountingHasher extends Argon2idHasher {
    final AtomicInteger verifications = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    /** The stored hashes verified against, in order. */
    final List<PasswordHash> checked = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate;

    CountingHasher() {
        super(new SecureRandom(), 64, 1, 1);
    }

    @Override
    public boolean verify(String password, PasswordHash stored) {
        verifications.incrementAndGet();
        checked.add(stored);
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            CountDownLatch waitFor = gate;
            if (waitFor != null && !waitFor.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("gate never opened");
            }
            return super.verify(password, stored);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
