package io.aquarium.fish.core.auth;

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
 * <p>Cache hits take no lock and are never throttled. Every Argon2 check holds {@link HashPermits}
 * (the bound password hashing shares), so a burst of logins cannot exhaust the heap, and passes the
 * {@link LoginThrottle} first, so a flood of wrong passwords is refused (429) before it costs Argon2.
 * An unknown user name is checked against a dummy hash made at start with the same parameters: the
 * same work as a wrong password, so neither the time nor the throttle tells which names exist.
 */
public final class Authenticator {
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final String MAC_ALGORITHM = "HmacSHA256";

    private final FishStore store;
    private final Argon2idHasher hasher;
    private final HashPermits hashPermits;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final int cacheSize;
    private final Duration cacheTtl;
    private final SecretKeySpec cacheKeySecret;
    private final PasswordHash dummyHash;
    private final Map<String, CacheEntry> cache = new ConcurrentHashMap<>();
    // Recency order for LRU eviction; a counter rather than the clock, which may stand still.
    private final AtomicLong accessCounter = new AtomicLong();

    /**
     * @param hashPermits the node's bound on Argon2 work, shared with password hashing
     * @param throttle    refuses logins after repeated failures
     * @param cacheSize   most credentials remembered (0 disables the cache)
     * @param cacheTtl    how long a verified credential is trusted without a new Argon2 check
     */
    public Authenticator(FishStore store, Argon2idHasher hasher, HashPermits hashPermits, LoginThrottle throttle,
                         Clock clock, int cacheSize, Duration cacheTtl) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.hashPermits = Objects.requireNonNull(hashPermits, "hashPermits");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must be >= 0: " + cacheSize);
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative: " + cacheTtl);
        }
        this.cacheSize = cacheSize;
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.cacheKeySecret = new SecretKeySpec(secret, MAC_ALGORITHM);
        byte[] unguessable = new byte[32];
        random.nextBytes(unguessable);
        this.dummyHash = hasher.hash(Base64.getEncoder().encodeToString(unguessable));
    }

    /**
     * The user if {@code password} is that user's password; empty for a wrong password or unknown user.
     *
     * @param sourceAddress the client's address, as the throttle counts failures by it
     * @throws io.aquarium.fish.core.error.RetryLaterException 429 while this user or address is throttled
     *                                                         after failures, 503 when no Argon2 slot came free
     */
    public Optional<User> authenticate(String name, String password, String sourceAddress) {
        if (name == null || password == null || name.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> found = store.user(name);
        User user = found.orElse(null);
        String key = cacheKey(name, password);
        if (user != null && cachedAndValid(key, user)) {
            return found;
        }
        try (LoginThrottle.Attempt attempt = throttle.admit(name, sourceAddress)) {
            // Many requests with the same fresh credential wait for the first one's check; only it pays.
            if (user != null && cachedAndValid(key, user)) {
                return found;
            }
            PasswordHash stored = user != null ? user.hash() : dummyHash;
            if (hashPermits.run(stored.memoryKiB(), () -> check(user, key, password, stored))) {
                attempt.succeeded();
                return found;
            }
            attempt.failed();
            log.debug("Failed login for user {}", name);
            return Optional.empty();
        }
    }

    /** The Argon2 check, run holding its permits; a right password is remembered. */
    private boolean check(User user, String key, String password, PasswordHash stored) {
        // For an unknown user this checks the dummy hash: the same work as a wrong password.
        boolean matches = hasher.verify(password, stored);
        if (user == null || !matches) {
            return false;
        }
        remember(key, new CacheEntry(user.name(), stored, clock.instant(), new AtomicLong(accessCounter.incrementAndGet())));
        return true;
    }

    /** Forgets every cached credential of the user (e.g. right after a local password change). */
    public void invalidate(String name) {
        cache.values().removeIf(entry -> entry.userName().equals(name));
    }

    /** Number of credentials currently cached. */
    public int cachedCredentials() {
        return cache.size();
    }

    /** Requests waiting to check a password: for Argon2 memory or for their user and address's running check. */
    public int waitingToCheck() {
        return hashPermits.waiting() + throttle.waiting();
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
