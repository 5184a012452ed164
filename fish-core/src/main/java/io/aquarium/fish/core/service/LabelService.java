package io.aquarium.fish.core.service;

import io.aquarium.fish.core.config.GoDuration;
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

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Labels: admin-created, validated up front, immutable afterwards. */
public final class LabelService {
    private static final int MAX_NAME = 256;
    private static final int MAX_DEFINITIONS = 64;
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

    public LabelService(FishStore store, UidGenerator uids, MonotonicClock clock, EventBus events) {
        this.store = store;
        this.uids = uids;
        this.clock = clock;
        this.events = events;
    }

    /** What a client asks for; the service adds UID and creation time. */
    public record NewLabel(String name, int version, List<LabelDefinition> definitions, RawJson metadata) {
    }

    public Label create(User caller, NewLabel request) {
        Access.requireAdmin(caller, "create labels");
        validate(request);
        Label label = new Label(uids.next(), clock.now(), request.name(), request.version(), request.definitions(),
                request.metadata());
        store.createLabel(label);
        events.publish(new FishEvent.LabelCreated(label));
        return label;
    }

    public Label get(User caller, UUID uid) {
        return visibleTo(caller, store.label(uid).orElseThrow(() -> FishException.notFound("Label not found: " + uid)));
    }

    public List<Label> list(User caller, Filter filter) {
        return store.labels(filter).stream().map(label -> visibleTo(caller, label)).toList();
    }

    /**
     * A definition's authentication (password, private key) logs into every resource of the label, not
     * only the caller's: only admins read it. A resource's owner gets it with that resource.
     */
    static Label visibleTo(User caller, Label label) {
        return caller.isAdmin() ? label : label.withoutAuthentication();
    }

    public void delete(User caller, UUID uid) {
        Access.requireAdmin(caller, "delete labels");
        // Read first: the removal event carries the whole label, as v2 subscribers expect.
        Label label = store.label(uid).orElse(null);
        if (label == null || !store.deleteLabel(uid)) {
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
        if (label.version() < 1) {
            throw FishException.badRequest("Label: Version can't be less than 1");
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
