package io.aquarium.fish.core.auth;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.error.RetryLaterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Slows down password guessing. Failed logins are counted under three keys, each with its own
 * {@link Rule}: past its free failures a key is refused (429) for a time that doubles with each
 * further failure, up to the rule's maximum.
 * <ul>
 *   <li>{@link #PAIR} (user name and source address): 10 free failures, then 1 s, 2 s, 4 s ... up to
 *       5 min. One source guessing one password; nobody else is touched.</li>
 *   <li>{@link #NAME} (one user name, any source): 100 free failures, then 1 s doubling up to 1 min.
 *       Guesses at one user from many sources.</li>
 *   <li>{@link #ADDRESS} (one source, any user name): 200 free failures, then the same. One source
 *       trying many names.</li>
 * </ul>
 * Only failures count, and a credential the {@link Authenticator} already verified is served from
 * its cache without asking. A pair that has logged in successfully is exempt from the name and
 * address rules (the pair rule still holds), so an attacker can keep a user out only of addresses
 * the user never logged in from, and only while the attack goes on. A key is forgotten
 * {@link #FORGET_AFTER} after its last failure.
 *
 * <p>Concurrent guesses must not slip in together before the first failures are counted: a pair
 * has one check at a time (others wait for it, up to a bound, then get a 503), and once a name or
 * address is past its free failures, one attempt at a time goes through after each lock. A burst of
 * one fresh, right credential costs one check: the others find it cached when their turn comes.
 *
 * <p>State is bounded: per rule the {@link #MAX_KEYS} most recently failing keys, and as many
 * trusted pairs, least recently used dropped first. IPv6 sources count by their /64. Pure
 * bookkeeping over a clock, no I/O.
 */
public final class LoginThrottle {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    /** Failures allowed before the first lock, the first lock, and the longest. */
    public record Rule(int freeFailures, Duration firstLock, Duration maxLock) {
        public Rule {
            if (freeFailures < 1 || firstLock.isNegative() || firstLock.isZero() || maxLock.compareTo(firstLock) < 0) {
                throw new IllegalArgumentException("Invalid throttle rule: " + freeFailures + ", " + firstLock
                        + ", " + maxLock);
            }
        }

        /** The lock after the {@code failures}-th failure (at least {@link #freeFailures}). */
        Duration lockAfter(int failures) {
            int doublings = Math.min(failures - freeFailures, 30);
            Duration lock = firstLock.multipliedBy(1L << doublings);
            return lock.compareTo(maxLock) > 0 ? maxLock : lock;
        }
    }

    // Generous free failures: a person mistyping, or a client's test suite trying bad credentials on
    // purpose, sees 401 as before; a flood past them costs one Argon2 check per lock, not one per guess.
    public static final Rule PAIR = new Rule(10, Duration.ofSeconds(1), Duration.ofMinutes(5));
    public static final Rule NAME = new Rule(100, Duration.ofSeconds(1), Duration.ofMinutes(1));
    public static final Rule ADDRESS = new Rule(200, Duration.ofSeconds(1), Duration.ofMinutes(1));
    public static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    public static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final Duration maxWait;
    private final Rule pairRule;
    private final Rule nameRule;
    private final Rule addressRule;
    // All guarded by this object's monitor: a few map operations per login that missed the cache.
    private final Map<String, Counter> pairs;
    private final Map<String, Counter> names;
    private final Map<String, Counter> addresses;
    private final Map<String, Boolean> trusted;
    // Pairs with a check running; at most one per pair, so no larger than the number of web threads.
    private final Set<String> checking = new HashSet<>();
    private int waiting;

    /** @param maxWait how long an attempt waits for the running check of its pair before a 503 */
    public LoginThrottle(Clock clock, Duration maxWait) {
        this(clock, maxWait, PAIR, NAME, ADDRESS, MAX_KEYS);
    }

    LoginThrottle(Clock clock, Duration maxWait, Rule pairRule, Rule nameRule, Rule addressRule, int maxKeys) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.pairRule = pairRule;
        this.nameRule = nameRule;
        this.addressRule = addressRule;
        this.pairs = new LruMap<>(maxKeys);
        this.names = new LruMap<>(maxKeys);
        this.addresses = new LruMap<>(maxKeys);
        this.trusted = new LruMap<>(maxKeys);
    }

    /**
     * Lets one password check for {@code name} from {@code sourceAddress} go ahead once no other
     * check of that pair runs; the caller must report its outcome on the attempt (and close it).
     *
     * @throws RetryLaterException TOO_MANY_REQUESTS while a key of this attempt is locked; UNAVAILABLE
     *                             when the pair's running check did not end within the wait
     */
    public synchronized Attempt admit(String name, String sourceAddress) {
        String address = addressKey(sourceAddress);
        Keys keys = new Keys(name + '\0' + address, name, address);
        awaitTurn(keys.pair());
        Instant now = clock.instant();
        boolean exempt = trusted.containsKey(keys.pair());
        Duration wait = Duration.ZERO;
        List<Counter> probes = new ArrayList<>();
        for (Counted counted : counted(keys, exempt)) {
            Counter counter = current(counted.map(), counted.key(), now);
            if (counter == null || counter.failures < counted.rule().freeFailures()) {
                continue;
            }
            if (now.isBefore(counter.lockedUntil)) {
                // A clock stepped back must not stretch a lock past the rule's longest.
                Duration left = Duration.between(now, counter.lockedUntil);
                wait = max(wait, left.compareTo(counted.rule().maxLock()) > 0 ? counted.rule().maxLock() : left);
            } else if (counter.probing) {
                wait = max(wait, counted.rule().firstLock());
            } else {
                probes.add(counter);
            }
        }
        if (wait.compareTo(Duration.ZERO) > 0) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new RetryLaterException(FishException.Kind.TOO_MANY_REQUESTS,
                    "Too many failed logins, try again in " + seconds + " s", Duration.ofSeconds(seconds));
        }
        probes.forEach(counter -> counter.probing = true);
        checking.add(keys.pair());
        return new Attempt(keys, probes);
    }

    /** Attempts waiting for their pair's running check (for metrics and tests). */
    public synchronized int waiting() {
        return waiting;
    }

    private void awaitTurn(String pair) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        waiting++;
        try {
            while (checking.contains(pair)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw HashPermits.busy();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FishException(FishException.Kind.UNAVAILABLE, "Interrupted while checking credentials", e);
        } finally {
            waiting--;
        }
    }

    private synchronized void ended(Keys keys, List<Counter> probes) {
        probes.forEach(counter -> counter.probing = false);
        checking.remove(keys.pair());
        notifyAll();
    }

    /** The throttled keys of a source address: an IPv6 host usually holds a whole /64, so that counts as one. */
    static String addressKey(String sourceAddress) {
        if (sourceAddress == null || sourceAddress.isBlank()) {
            return "unknown";
        }
        String s = sourceAddress.trim();
        if (s.indexOf(':') < 0) {
            return s;
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        try {
            // Text with a colon is parsed as an IPv6 literal, never looked up in DNS.
            byte[] bytes = InetAddress.getByName(s).getAddress();
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes).getHostAddress(); // IPv4-mapped
            }
            return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        } catch (UnknownHostException e) {
            return s;
        }
    }

    private List<Counted> counted(Keys keys, boolean exempt) {
        List<Counted> counted = new ArrayList<>(3);
        counted.add(new Counted(pairs, keys.pair(), pairRule));
        if (!exempt) {
            counted.add(new Counted(names, keys.name(), nameRule));
            counted.add(new Counted(addresses, keys.address(), addressRule));
        }
        return counted;
    }

    /** The key's counter, or null when it has none or its last failure is long enough ago to forget. */
    private static Counter current(Map<String, Counter> map, String key, Instant now) {
        Counter counter = map.get(key);
        if (counter != null && !now.isBefore(counter.lastFailure.plus(FORGET_AFTER))) {
            map.remove(key);
            return null;
        }
        return counter;
    }

    private synchronized void failed(Keys keys, List<Counter> probes) {
        Instant now = clock.instant();
        ended(keys, probes);
        for (Counted counted : counted(keys, false)) {
            Counter counter = current(counted.map(), counted.key(), now);
            if (counter == null) {
                counter = new Counter();
                counted.map().put(counted.key(), counter);
            }
            counter.failures = Math.min(counter.failures + 1, Integer.MAX_VALUE - 1);
            counter.lastFailure = now;
            Rule rule = counted.rule();
            if (counter.failures >= rule.freeFailures()) {
                Duration lock = rule.lockAfter(counter.failures);
                counter.lockedUntil = now.plus(lock);
                if (counter.failures == rule.freeFailures()) {
                    // Once per key and burst, not per refusal: a flood must not flood the log too. One
                    // user mistyping is routine; a whole name or address failing this often is an attack.
                    String message = "{} failed logins for {}: further attempts refused for {} s, doubling with "
                            + "each failure";
                    if (counted.map() == pairs) {
                        log.info(message, counter.failures, describe(counted, keys), lock.toSeconds());
                    } else {
                        log.warn(message, counter.failures, describe(counted, keys), lock.toSeconds());
                    }
                }
            }
        }
    }

    private synchronized void succeeded(Keys keys, List<Counter> probes) {
        ended(keys, probes);
        pairs.remove(keys.pair());
        trusted.put(keys.pair(), Boolean.TRUE);
    }

    private String describe(Counted counted, Keys keys) {
        // The name is whatever the client sent: no control characters reach the log.
        String name = "user '" + keys.name().replaceAll("\\p{Cntrl}", "?") + "'";
        if (counted.map() == pairs) {
            return name + " from " + keys.address();
        }
        return counted.map() == names ? name : "address " + keys.address();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * One admitted password check. Report {@link #succeeded()} or {@link #failed()}; closing it without
     * either (the check could not run) counts nothing.
     */
    public final class Attempt implements AutoCloseable {
        private final Keys keys;
        private final List<Counter> probes;
        private boolean reported;

        private Attempt(Keys keys, List<Counter> probes) {
            this.keys = keys;
            this.probes = probes;
        }

        public void succeeded() {
            if (!reported) {
                reported = true;
                LoginThrottle.this.succeeded(keys, probes);
            }
        }

        public void failed() {
            if (!reported) {
                reported = true;
                LoginThrottle.this.failed(keys, probes);
            }
        }

        @Override
        public void close() {
            if (!reported) {
                reported = true;
                ended(keys, probes);
            }
        }
    }

    private record Keys(String pair, String name, String address) {
    }

    private record Counted(Map<String, Counter> map, String key, Rule rule) {
    }

    /** Failures of one key; mutable, guarded by the throttle's monitor. */
    private static final class Counter {
        int failures;
        Instant lastFailure = Instant.MIN;
        Instant lockedUntil = Instant.MIN;
        boolean probing;
    }

    /** An access-ordered map that drops its least recently used entry past {@code max}. */
    private static final class LruMap<K, V> extends LinkedHashMap<K, V> {
        private final int max;

        LruMap(int max) {
            super(16, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > max;
        }
    }
}
