package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.PasswordHash;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.store.FishStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks HTTP Basic credentials against the users in the store.
 *
 * <p>Argon2id costs tens of milliseconds and 64 MiB per check, and every API call authenticates, so
 * a credential is verified once and repeats are served from a cache. The cache key is an HMAC (with
 * a random per-process key) of name and password, so the cache never holds the password or
 * anything that could be brute-forced offline without that key. An entry remembers the user's
 * hash at verification time and is honoured only while the store still holds that same hash, so a
 * password change or delete made on any node takes effect on the next request.
 *
 * <p>Cache hits take no lock. A semaphore bounds concurrent Argon2 computations so that a burst of
 * wrong passwords cannot exhaust the heap.
 */
public final class Authenticator {
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final String MAC_ALGORITHM = "HmacSHA256";

    private final FishStore store;
    private final Argon2idHasher hasher;
    private final Clock clock;
    private final int cacheSize;
    private final Duration cacheTtl;
    private final Semaphore hashPermits;
    private final SecretKeySpec cacheKeySecret;
    private final Map<String, CacheEntry> cache = new ConcurrentHashMap<>();
    // Recency order for LRU eviction; a counter rather than the clock, which may stand still.
    private final AtomicLong accessCounter = new AtomicLong();

    /**
     * @param cacheSize           most credentials remembered (0 disables the cache)
     * @param cacheTtl            how long a verified credential is trusted without a new Argon2 check
     * @param maxConcurrentHashes most Argon2 computations running at once
     */
    public Authenticator(FishStore store, Argon2idHasher hasher, Clock clock, int cacheSize, Duration cacheTtl,
                         int maxConcurrentHashes) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must be >= 0: " + cacheSize);
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative: " + cacheTtl);
        }
        if (maxConcurrentHashes < 1) {
            throw new IllegalArgumentException("maxConcurrentHashes must be >= 1: " + maxConcurrentHashes);
        }
        this.cacheSize = cacheSize;
        this.hashPermits = new Semaphore(maxConcurrentHashes, true);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.cacheKeySecret = new SecretKeySpec(secret, MAC_ALGORITHM);
    }

    /** The user if {@code password} is that user's password; empty for a wrong password or unknown user. */
    public Optional<User> authenticate(String name, String password) {
        if (name == null || password == null || name.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> found = store.user(name);
        if (found.isEmpty()) {
            // No Argon2 for unknown users: it would only hand an attacker a cheap way to burn CPU.
            return Optional.empty();
        }
        User user = found.get();
        String key = cacheKey(name, password);
        if (cachedAndValid(key, user)) {
            return found;
        }
        try {
            hashPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FishException(FishException.Kind.UNAVAILABLE, "Interrupted while checking credentials", e);
        }
        try {
            // Many requests with the same fresh credential queue up here; let only the first pay.
            if (cachedAndValid(key, user)) {
                return found;
            }
            if (!hasher.verify(password, user.hash())) {
                log.debug("Wrong password for user {}", name);
                return Optional.empty();
            }
            remember(key, new CacheEntry(name, user.hash(), clock.instant(), new AtomicLong(accessCounter.incrementAndGet())));
            return found;
        } finally {
            hashPermits.release();
        }
    }

    /** Forgets every cached credential of the user (e.g. right after a local password change). */
    public void invalidate(String name) {
        cache.values().removeIf(entry -> entry.userName().equals(name));
    }

    /** Number of credentials currently cached. */
    public int cachedCredentials() {
        return cache.size();
    }

    /** Threads waiting for a free Argon2 slot (for metrics and tests). */
    public int waitingForHash() {
        return hashPermits.getQueueLength();
    }

    private boolean cachedAndValid(String key, User user) {
        CacheEntry entry = cache.get(key);
        if (entry == null) {
            return false;
        }
        Instant now = clock.instant();
        boolean valid = entry.userName().equals(user.name())
                && entry.hash().equals(user.hash())
                // A clock stepping backwards also expires the entry: the safe side.
                && !now.isBefore(entry.verifiedAt())
                && now.isBefore(entry.verifiedAt().plus(cacheTtl));
        if (valid) {
            entry.lastAccess().set(accessCounter.incrementAndGet());
        } else {
            cache.remove(key, entry);
        }
        return valid;
    }

    private void remember(String key, CacheEntry entry) {
        if (cacheSize == 0) {
            return;
        }
        cache.put(key, entry);
        // Inserts only follow an Argon2 check, so a linear scan for the oldest entry costs little
        // next to it, and keeps hits free of any lock or shared ordering structure.
        while (cache.size() > cacheSize) {
            Map.Entry<String, CacheEntry> oldest = null;
            for (Map.Entry<String, CacheEntry> candidate : cache.entrySet()) {
                if (oldest == null
                        || candidate.getValue().lastAccess().get() < oldest.getValue().lastAccess().get()) {
                    oldest = candidate;
                }
            }
            if (oldest == null) {
                return;
            }
            cache.remove(oldest.getKey(), oldest.getValue());
        }
    }

    private String cacheKey(String name, String password) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(cacheKeySecret);
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java SE runtime.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** What a successful check proved: this user, holding exactly this hash, at that time. */
    private record CacheEntry(String userName, PasswordHash hash, Instant verifiedAt, AtomicLong lastAccess) {
    }
}
