package io.aquarium.fish.core.service;

import io.aquarium.fish.core.config.GoDuration;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Labels: validated up front, immutable afterwards. Admins create any version; other users only
 * temporary labels (version 0, Fish v0.10's), visible to themselves and removed at their
 * {@code remove_at} by {@link io.aquarium.fish.core.lifecycle.TemporaryLabelRemoval}.
 */
public final class LabelService {
    private static final int MAX_NAME = 256;
    private static final int MAX_DEFINITIONS = 64;
    private static final int MAX_VISIBLE_FOR = 256;
    /**
     * Upper bounds of what one definition may ask for: above any real machine (the largest hosts have a
     * few hundred vCPUs and a few dozen TB of RAM), far below where sums of many resources, or a
     * driver's conversion to bytes or nanoseconds, could overflow.
     */
    static final int MAX_CPU = 4096;
    static final int MAX_RAM_GB = 65_536;
    static final int MAX_DISK_GB = 1_048_576;

    private final FishStore store;
    private final UidGenerator uids;
    private final MonotonicClock clock;
    private final EventBus events;
    private final RemoveAtWindow window;
    private final Function<String, Optional<Driver>> drivers;

    /** A service that checks definitions against no driver (every driver is another node's). */
    public LabelService(FishStore store, UidGenerator uids, MonotonicClock clock, EventBus events,
                        RemoveAtWindow window) {
        this(store, uids, clock, events, window, name -> Optional.empty());
    }

    /**
     * @param drivers this node's available driver instance of a definition's {@code driver} name, if
     *                any: that driver validates the definition before the label is created
     */
    public LabelService(FishStore store, UidGenerator uids, MonotonicClock clock, EventBus events,
                        RemoveAtWindow window, Function<String, Optional<Driver>> drivers) {
        this.store = store;
        this.uids = uids;
        this.clock = clock;
        this.events = events;
        this.window = window;
        this.drivers = drivers;
    }

    /**
     * How far ahead a temporary label's {@code remove_at} may be: at least {@code min} (so it can be
     * used at all) and at most {@code max} (so a forgotten one does not stay for ever).
     */
    public record RemoveAtWindow(Duration min, Duration max) {
        public RemoveAtWindow {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("remove_at window needs 0 <= min <= max: " + min + ", " + max);
            }
        }
    }

    /**
     * What a client asks for; the service adds UID, creation time and owner.
     *
     * @param visibleFor user names that may see the label; null or empty = everyone
     * @param removeAt   when a temporary (version 0) label goes; null for other versions
     */
    public record NewLabel(String name, int version, List<LabelDefinition> definitions, RawJson metadata,
                           List<String> visibleFor, Instant removeAt) {
        public NewLabel {
            visibleFor = visibleFor == null ? List.of() : List.copyOf(visibleFor);
        }

        /** A permanent label, as REST v1 and admins create them. */
        public NewLabel(String name, int version, List<LabelDefinition> definitions, RawJson metadata) {
            this(name, version, definitions, metadata, List.of(), null);
        }
    }

    public Label create(User caller, NewLabel request) {
        Instant now = clock.now();
        checkTemporaryRules(caller, request, now, window);
        validate(request);
        validateWithDrivers(request);
        Label label = new Label(uids.next(), now, request.name(), request.version(), request.definitions(),
                request.metadata(), caller.name(), request.visibleFor(), request.removeAt());
        store.createLabel(label);
        events.publish(new FishEvent.LabelCreated(label));
        return label;
    }

    /**
     * Each definition whose driver this node has is validated by that driver ({@link Driver#validate}),
     * so a label it could never serve (broken options) is refused now, with the driver's message,
     * instead of leaving its applications waiting. A driver this node does not have is another node's
     * business: the label is accepted.
     */
    private void validateWithDrivers(NewLabel request) {
        for (LabelDefinition definition : request.definitions()) {
            Optional<Driver> driver = drivers.apply(definition.driver());
            if (driver.isPresent()) {
                try {
                    driver.get().validate(definition);
                } catch (DriverException e) {
                    throw FishException.badRequest(e.getMessage());
                }
            }
        }
    }

    /** A label the caller may not see is "not found", as one that does not exist: its existence stays hidden. */
    public Label get(User caller, UUID uid) {
        return visibleTo(caller, store.label(uid).filter(label -> mayRead(caller, label))
                .orElseThrow(() -> FishException.notFound("Label not found: " + uid)));
    }

    public List<Label> list(User caller, Filter filter) {
        return store.labels(filter).stream().filter(label -> mayRead(caller, label))
                .map(label -> visibleTo(caller, label)).toList();
    }

    /**
     * Fish v0.10's rule: admins see every label; others their own, those visible for everyone (empty
     * {@code visible_for}) and those whose {@code visible_for} names them. (The original also matches
     * user groups, which this node does not have.)
     */
    public static boolean mayRead(User caller, Label label) {
        return caller.isAdmin() || label.visibleFor().isEmpty() || label.visibleFor().contains(caller.name())
                || (!label.ownerName().isEmpty() && label.ownerName().equals(caller.name()));
    }

    /**
     * Who may create what (Fish v0.10 {@code label_service.go}): a non-admin only a temporary label
     * (version 0) that expires and that only they see; for everyone, {@code remove_at} belongs to
     * version 0 alone and lies within the node's window from now.
     */
    static void checkTemporaryRules(User caller, NewLabel label, Instant now, RemoveAtWindow window) {
        boolean temporary = label.version() == Label.TEMPORARY;
        if (!caller.isAdmin()) {
            if (!temporary) {
                throw FishException.forbidden("Permission denied: only 'admin' user can create labels other than"
                        + " temporary ones (version 0)");
            }
            if (label.visibleFor().isEmpty()) {
                throw FishException.badRequest("Label: a temporary label needs visible_for with your user name");
            }
            for (String name : label.visibleFor()) {
                if (!caller.name().equals(name)) {
                    throw FishException.badRequest("Label: visible_for may only name you ('" + caller.name()
                            + "'), not '" + name + "'");
                }
            }
        }
        if (!temporary) {
            if (label.removeAt() != null) {
                throw FishException.badRequest("Label: remove_at is only for temporary labels (version 0)");
            }
            return;
        }
        if (label.removeAt() == null) {
            throw FishException.badRequest("Label: a temporary label (version 0) needs remove_at");
        }
        Instant earliest = now.plus(window.min());
        Instant latest = now.plus(window.max());
        if (label.removeAt().isBefore(earliest) || label.removeAt().isAfter(latest)) {
            throw FishException.badRequest("Label: remove_at " + label.removeAt() + " must be between now + "
                    + GoDuration.format(window.min()) + " and now + " + GoDuration.format(window.max())
                    + " (" + earliest + " .. " + latest + ")");
        }
    }

    /**
     * A definition's authentication (password, private key) logs into every resource of the label, not
     * only the caller's: only admins read it. A resource's owner gets it with that resource.
     */
    static Label visibleTo(User caller, Label label) {
        return caller.isAdmin() ? label : label.withoutAuthentication();
    }

    /** Admins delete any label; other users only their own temporary ones. */
    public void delete(User caller, UUID uid) {
        // Read first: the removal event carries the whole label, as v2 subscribers expect.
        Label label = store.label(uid).filter(l -> mayRead(caller, l)).orElse(null);
        if (label == null) {
            throw FishException.notFound("Label not found: " + uid);
        }
        if (!caller.isAdmin() && (label.version() != Label.TEMPORARY || !caller.name().equals(label.ownerName()))) {
            throw FishException.forbidden("Permission denied: only 'admin' user can delete labels other than"
                    + " your own temporary ones");
        }
        if (!store.deleteLabel(uid)) {
            throw FishException.notFound("Label not found: " + uid);
        }
        events.publish(new FishEvent.LabelRemoved(label));
    }

    static void validate(NewLabel label) {
        if (label.name() == null || label.name().isBlank()) {
            throw FishException.badRequest("Label: Name can't be empty");
        }
        if (label.name().length() > MAX_NAME) {
            throw FishException.badRequest("Label: Name is longer than " + MAX_NAME + " characters");
        }
        if (label.version() < Label.TEMPORARY) {
            throw FishException.badRequest("Label: Version can't be less than 0");
        }
        if (label.definitions() == null || label.definitions().isEmpty()) {
            throw FishException.badRequest("Label: Definitions can't be empty");
        }
        if (label.definitions().size() > MAX_DEFINITIONS) {
            throw FishException.badRequest("Label: more than " + MAX_DEFINITIONS + " definitions");
        }
        for (int i = 0; i < label.definitions().size(); i++) {
            validateDefinition(i, label.definitions().get(i));
        }
        if (label.visibleFor().size() > MAX_VISIBLE_FOR) {
            throw FishException.badRequest("Label: visible_for has more than " + MAX_VISIBLE_FOR + " entries");
        }
        for (String name : label.visibleFor()) {
            if (name == null || name.isBlank() || name.length() > MAX_NAME) {
                throw FishException.badRequest("Label: visible_for entries must be 1-" + MAX_NAME + " characters");
            }
        }
    }

    private static void validateDefinition(int index, LabelDefinition def) {
        String at = "Label definition " + index + ": ";
        if (def.driver() == null || def.driver().isBlank()) {
            throw FishException.badRequest(at + "Driver can't be empty");
        }
        if (!def.driver().matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)?")) {
            throw FishException.badRequest(at + "Driver must be <driver> or <driver>/<instance>");
        }
        Resources r = def.resources();
        if (r.cpu() < 1) {
            throw FishException.badRequest(at + "Resources: Number of CPU cores is less than 1");
        }
        if (r.cpu() > MAX_CPU) {
            throw FishException.badRequest(at + "Resources: Number of CPU cores is more than " + MAX_CPU);
        }
        if (r.ram() < 1) {
            throw FishException.badRequest(at + "Resources: Amount of RAM is less than 1GB");
        }
        if (r.ram() > MAX_RAM_GB) {
            throw FishException.badRequest(at + "Resources: Amount of RAM is more than " + MAX_RAM_GB + "GB");
        }
        for (Map.Entry<String, ResourcesDisk> disk : r.disks().entrySet()) {
            if (disk.getKey().isBlank()) {
                throw FishException.badRequest(at + "Resources: Disk name can't be empty");
            }
            if (disk.getValue().size() < 0 || (disk.getValue().size() == 0 && disk.getValue().cloneOf().isEmpty())) {
                throw FishException.badRequest(at + "Resources: Disk '" + disk.getKey()
                        + "' size must be at least 1GB unless it clones a snapshot");
            }
            if (disk.getValue().size() > MAX_DISK_GB) {
                throw FishException.badRequest(at + "Resources: Disk '" + disk.getKey() + "' size is more than "
                        + MAX_DISK_GB + "GB");
            }
        }
        for (String pattern : r.nodeFilter()) {
            if (pattern == null || pattern.isBlank() || pattern.length() > 256) {
                throw FishException.badRequest(at + "Resources: node_filter entries must be 1-256 characters");
            }
        }
        if (!r.lifetime().isEmpty()) {
            try {
                GoDuration.parse(r.lifetime());
            } catch (IllegalArgumentException e) {
                throw FishException.badRequest(at + "Resources: unable to parse lifetime '" + r.lifetime() + "'");
            }
        }
    }
}
