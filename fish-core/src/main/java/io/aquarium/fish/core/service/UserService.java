package io.aquarium.fish.core.service;

import io.aquarium.fish.core.auth.Argon2idHasher;
import io.aquarium.fish.core.auth.Authenticator;
import io.aquarium.fish.core.auth.HashPermits;
import io.aquarium.fish.core.auth.PasswordGenerator;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.PasswordHash;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.store.FishStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Users: admin bootstrap, create-or-update with generated passwords, admin-only management. */
public final class UserService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}");
    private static final int MAX_PASSWORD_LENGTH = 1024;

    private final FishStore store;
    private final Argon2idHasher hasher;
    private final HashPermits hashPermits;
    private final PasswordGenerator passwords;
    private final MonotonicClock clock;
    private final Authenticator authenticator;

    /** {@code hashPermits}: the bound on Argon2 work that logins share, so password changes cannot exhaust the heap. */
    public UserService(FishStore store, Argon2idHasher hasher, HashPermits hashPermits, PasswordGenerator passwords,
                       MonotonicClock clock, Authenticator authenticator) {
        this.store = store;
        this.hasher = hasher;
        this.hashPermits = hashPermits;
        this.passwords = passwords;
        this.clock = clock;
        this.authenticator = authenticator;
    }

    /** The user a password was set for, and the password if we generated it ("" if the client chose it). */
    public record PasswordSet(User user, String generatedPassword) {
        @Override
        public String toString() {
            return "PasswordSet[" + user.name() + "]";
        }
    }

    /** Creates {@code admin} once per store; returns its password only to the caller that created it. */
    public Optional<String> ensureAdmin() {
        if (store.user(User.ADMIN).isPresent()) {
            return Optional.empty();
        }
        String password = passwords.generate();
        Instant now = clock.now();
        boolean created = store.createUser(new User(User.ADMIN, now, now, hash(password)));
        return created ? Optional.of(password) : Optional.empty();
    }

    public User get(User caller, String name) {
        if (!caller.isAdmin() && !caller.name().equals(name)) {
            throw FishException.forbidden("Only 'admin' user can see other users");
        }
        return store.user(name).orElseThrow(() -> FishException.notFound("User not found: " + name));
    }

    public List<User> list(User caller, Filter filter) {
        Access.requireAdmin(caller, "list users");
        return store.users(filter);
    }

    public PasswordSet createOrUpdate(User caller, String name, String password) {
        if (name == null || name.isEmpty()) {
            throw FishException.badRequest("User name can't be empty");
        }
        if (!NAME.matcher(name).matches()) {
            throw FishException.badRequest("User name must be 1-128 characters of letters, digits and _.@- "
                    + "starting with a letter or digit");
        }
        if (!caller.isAdmin() && !caller.name().equals(name)) {
            throw FishException.forbidden("Only 'admin' user can create or update other users");
        }
        if (password != null && password.length() > MAX_PASSWORD_LENGTH) {
            throw FishException.badRequest("Password is longer than " + MAX_PASSWORD_LENGTH + " characters");
        }
        boolean generate = password == null || password.isEmpty();
        String clear = generate ? passwords.generate() : password;
        Instant now = clock.now();
        Optional<User> existing = store.user(name);
        User user = new User(name, existing.map(User::createdAt).orElse(now), now, hash(clear));
        if (existing.isPresent()) {
            store.putUser(user);
        } else if (!store.createUser(user)) {
            throw FishException.conflict("User was created concurrently: " + name);
        }
        authenticator.invalidate(name);
        return new PasswordSet(user, generate ? clear : "");
    }

    /** Argon2 within the node's bound: a 503 (retry later) when too many hashes and checks run already. */
    private PasswordHash hash(String password) {
        return hashPermits.run(hasher.memoryKiB(), () -> hasher.hash(password));
    }

    public void delete(User caller, String name) {
        Access.requireAdmin(caller, "delete users");
        if (User.ADMIN.equals(name)) {
            throw FishException.badRequest("Unable to delete the 'admin' user");
        }
        if (!store.deleteUser(name)) {
            throw FishException.notFound("User not found: " + name);
        }
        authenticator.invalidate(name);
    }
}
