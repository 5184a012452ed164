package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.Location;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.PasswordHash;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.ServiceMapping;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.model.Vote;
import io.aquarium.fish.core.store.DefinitionsCodec;
import io.aquarium.fish.core.store.FinishedApplication;
import io.aquarium.fish.core.store.NameList;
import org.apache.ignite.IgniteBinary;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.binary.BinaryObjectBuilder;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Model records to and from Ignite binary objects, one pair per table. Field names are the SQL
 * column names of {@link IgniteTable}; fields no filter needs (hash bytes, credentials, label
 * definitions) live only in the value.
 */
final class IgniteRows {
    /** Fixed width, so that text order is time order (years 0000-9999). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(ZoneOffset.UTC);

    private final IgniteBinary binary;
    private final DefinitionsCodec definitionsCodec;

    IgniteRows(IgniteBinary binary, DefinitionsCodec definitionsCodec) {
        this.binary = binary;
        this.definitionsCodec = definitionsCodec;
    }

    // ---- value conversions ----

    /** Truncates to microseconds, never rounds (as the H2 store): a stored time never moves past the given one. */
    static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    static Instant instant(BinaryObject row, String field) {
        String text = row.field(field);
        return text == null ? null : Instant.from(TIME.parse(text));
    }

    static String uid(UUID uid) {
        return uid == null ? null : uid.toString();
    }

    static UUID uuid(BinaryObject row, String field) {
        String text = row.field(field);
        return text == null ? null : UUID.fromString(text);
    }

    private static RawJson json(BinaryObject row, String field) {
        return new RawJson(row.field(field));
    }

    private static int intField(BinaryObject row, String field) {
        Integer value = row.field(field);
        return value == null ? 0 : value;
    }

    private BinaryObjectBuilder builder(IgniteTable table) {
        return binary.builder(table.valueType());
    }

    // ---- users ----

    BinaryObject user(User u) {
        PasswordHash h = u.hash();
        return builder(IgniteTable.USERS)
                .setField("name", u.name(), String.class)
                .setField("created_at", time(u.createdAt()), String.class)
                .setField("updated_at", time(u.updatedAt()), String.class)
                .setField("hash_algo", h == null ? null : h.algo(), String.class)
                .setField("hash_memory", h == null ? 0 : h.memoryKiB())
                .setField("hash_iterations", h == null ? 0 : h.iterations())
                .setField("hash_threads", h == null ? 0 : h.threads())
                .setField("hash_salt", h == null ? null : h.salt(), byte[].class)
                .setField("hash_hash", h == null ? null : h.hash(), byte[].class)
                .build();
    }

    static User user(BinaryObject row) {
        String algo = row.field("hash_algo");
        PasswordHash hash = algo == null ? null : new PasswordHash(algo, intField(row, "hash_memory"),
                intField(row, "hash_iterations"), intField(row, "hash_threads"),
                row.field("hash_salt"), row.field("hash_hash"));
        return new User(row.field("name"), instant(row, "created_at"), instant(row, "updated_at"), hash);
    }

    // ---- nodes ----

    BinaryObject node(Node n) {
        return builder(IgniteTable.NODES)
                .setField("uid", uid(n.uid()), String.class)
                .setField("created_at", time(n.createdAt()), String.class)
                .setField("updated_at", time(n.updatedAt()), String.class)
                .setField("name", n.name(), String.class)
                .setField("definition", n.definition().json(), String.class)
                .setField("location_name", n.locationName(), String.class)
                .setField("address", n.address(), String.class)
                .setField("pubkey", n.pubkey(), String.class)
                .build();
    }

    static Node node(BinaryObject row) {
        return new Node(uuid(row, "uid"), instant(row, "created_at"), instant(row, "updated_at"), row.field("name"),
                json(row, "definition"), row.field("location_name"), row.field("address"), row.field("pubkey"));
    }

    // ---- labels ----

    BinaryObject label(Label l) {
        return builder(IgniteTable.LABELS)
                .setField("uid", uid(l.uid()), String.class)
                .setField("created_at", time(l.createdAt()), String.class)
                .setField("name", l.name(), String.class)
                .setField("version", l.version())
                .setField("definitions", definitionsCodec.encode(l.definitions()), String.class)
                .setField("metadata", l.metadata().json(), String.class)
                .setField("owner_name", l.ownerName(), String.class)
                .setField("visible_for", NameList.encode(l.visibleFor()), String.class)
                .setField("remove_at", time(l.removeAt()), String.class)
                .build();
    }

    /** Rows written before temporary labels lack the last three fields: an admin's permanent label. */
    Label label(BinaryObject row) {
        return new Label(uuid(row, "uid"), instant(row, "created_at"), row.field("name"), intField(row, "version"),
                definitionsCodec.decode(row.field("definitions")), json(row, "metadata"), row.field("owner_name"),
                NameList.decode(row.field("visible_for")), instant(row, "remove_at"));
    }

    // ---- applications and states ----

    BinaryObject application(Application a) {
        return builder(IgniteTable.APPLICATIONS)
                .setField("uid", uid(a.uid()), String.class)
                .setField("created_at", time(a.createdAt()), String.class)
                .setField("owner_name", a.ownerName(), String.class)
                .setField("label_uid", uid(a.labelUid()), String.class)
                .setField("metadata", a.metadata().json(), String.class)
                .build();
    }

    static Application application(BinaryObject row) {
        return new Application(uuid(row, "uid"), instant(row, "created_at"), row.field("owner_name"),
                uuid(row, "label_uid"), json(row, "metadata"));
    }

    BinaryObject state(ApplicationState s, long seq) {
        return builder(IgniteTable.APPLICATION_STATES)
                .setField("uid", uid(s.uid()), String.class)
                .setField("created_at", time(s.createdAt()), String.class)
                .setField("application_uid", uid(s.applicationUid()), String.class)
                .setField("status", s.status().name(), String.class)
                .setField("description", s.description(), String.class)
                .setField("node_uid", uid(s.nodeUid()), String.class)
                .setField("seq", seq)
                .build();
    }

    static ApplicationState state(BinaryObject row) {
        return new ApplicationState(uuid(row, "uid"), instant(row, "created_at"), uuid(row, "application_uid"),
                ApplicationStatus.valueOf(row.field("status")), row.field("description"), uuid(row, "node_uid"));
    }

    /** The first current-status entry of an application: its first state, number 1. */
    BinaryObject current(Application a, ApplicationState first) {
        return builder(IgniteTable.APPLICATION_CURRENT)
                .setField("application_uid", uid(a.uid()), String.class)
                .setField("app_created_at", time(a.createdAt()), String.class)
                .setField("seq", 1L)
                .setField("status", first.status().name(), String.class)
                .setField("state_uid", uid(first.uid()), String.class)
                .setField("state_created_at", time(first.createdAt()), String.class)
                .setField("description", first.description(), String.class)
                .setField("node_uid", uid(first.nodeUid()), String.class)
                .setField("finished_at", finishedAt(first), String.class)
                .build();
    }

    /** The entry after {@code next} is appended: the same application, one more state. */
    static BinaryObject advance(BinaryObject current, ApplicationState next) {
        return current.toBuilder()
                .setField("seq", seq(current) + 1)
                .setField("status", next.status().name(), String.class)
                .setField("state_uid", uid(next.uid()), String.class)
                .setField("state_created_at", time(next.createdAt()), String.class)
                .setField("description", next.description(), String.class)
                .setField("node_uid", uid(next.nodeUid()), String.class)
                .setField("finished_at", finishedAt(next), String.class)
                .build();
    }

    /** The finish time a state gives its application: its own time if its status is final, else none. */
    private static String finishedAt(ApplicationState state) {
        return state.status().isFinal() ? time(state.createdAt()) : null;
    }

    /** The finished application a current-status entry describes (its finished_at is set). */
    static FinishedApplication finished(BinaryObject current) {
        return new FinishedApplication(uuid(current, "application_uid"), instant(current, "finished_at"));
    }

    static long seq(BinaryObject current) {
        Long seq = current.field("seq");
        return seq == null ? 0 : seq;
    }

    static ApplicationStatus status(BinaryObject current) {
        return ApplicationStatus.valueOf(current.field("status"));
    }

    static ApplicationState currentState(BinaryObject current) {
        return new ApplicationState(uuid(current, "state_uid"), instant(current, "state_created_at"),
                uuid(current, "application_uid"), status(current), current.field("description"),
                uuid(current, "node_uid"));
    }

    // ---- tasks ----

    BinaryObject task(ApplicationTask t) {
        return builder(IgniteTable.APPLICATION_TASKS)
                .setField("uid", uid(t.uid()), String.class)
                .setField("created_at", time(t.createdAt()), String.class)
                .setField("updated_at", time(t.updatedAt()), String.class)
                .setField("application_uid", uid(t.applicationUid()), String.class)
                .setField("task", t.task(), String.class)
                .setField("when", t.when().name(), String.class)
                .setField("options", t.options().json(), String.class)
                .setField("result", t.result().json(), String.class)
                .setField("done", t.isDone())
                .build();
    }

    static ApplicationTask task(BinaryObject row) {
        return new ApplicationTask(uuid(row, "uid"), instant(row, "created_at"), instant(row, "updated_at"),
                uuid(row, "application_uid"), row.field("task"), ApplicationStatus.valueOf(row.field("when")),
                json(row, "options"), json(row, "result"));
    }

    static boolean isDone(BinaryObject task) {
        Boolean done = task.field("done");
        return done != null && done;
    }

    static BinaryObject complete(BinaryObject task, RawJson result, Instant at) {
        return task.toBuilder()
                .setField("result", result.json(), String.class)
                .setField("updated_at", time(at), String.class)
                .setField("done", !result.isEmptyObject())
                .build();
    }

    // ---- resources ----

    BinaryObject resource(Resource r) {
        Authentication a = r.authentication();
        return builder(IgniteTable.RESOURCES)
                .setField("uid", uid(r.uid()), String.class)
                .setField("created_at", time(r.createdAt()), String.class)
                .setField("updated_at", time(r.updatedAt()), String.class)
                .setField("application_uid", uid(r.applicationUid()), String.class)
                .setField("node_uid", uid(r.nodeUid()), String.class)
                .setField("label_uid", uid(r.labelUid()), String.class)
                .setField("definition_index", r.definitionIndex())
                .setField("identifier", r.identifier(), String.class)
                .setField("ip_addr", r.ipAddr(), String.class)
                .setField("hw_addr", r.hwAddr(), String.class)
                .setField("metadata", r.metadata().json(), String.class)
                .setField("auth_username", a == null ? null : a.username(), String.class)
                .setField("auth_password", a == null ? null : a.password(), String.class)
                .setField("auth_key", a == null ? null : a.key(), String.class)
                .setField("auth_port", a == null ? 0 : a.port())
                .build();
    }

    static Resource resource(BinaryObject row) {
        String username = row.field("auth_username");
        Authentication auth = username == null ? null : new Authentication(username, row.field("auth_password"),
                row.field("auth_key"), intField(row, "auth_port"));
        return new Resource(uuid(row, "uid"), instant(row, "created_at"), instant(row, "updated_at"),
                uuid(row, "application_uid"), uuid(row, "node_uid"), uuid(row, "label_uid"),
                intField(row, "definition_index"), row.field("identifier"), row.field("ip_addr"),
                row.field("hw_addr"), json(row, "metadata"), auth);
    }

    // ---- votes ----

    BinaryObject vote(Vote v) {
        return builder(IgniteTable.VOTES)
                .setField("uid", uid(v.uid()), String.class)
                .setField("created_at", time(v.createdAt()), String.class)
                .setField("application_uid", uid(v.applicationUid()), String.class)
                .setField("node_uid", uid(v.nodeUid()), String.class)
                .setField("round", v.round())
                .setField("available", v.available())
                .setField("rand", v.rand())
                .build();
    }

    static Vote vote(BinaryObject row) {
        Long rand = row.field("rand");
        return new Vote(uuid(row, "uid"), instant(row, "created_at"), uuid(row, "application_uid"),
                uuid(row, "node_uid"), intField(row, "round"), intField(row, "available"), rand == null ? 0 : rand);
    }

    // ---- locations ----

    BinaryObject location(Location l) {
        return builder(IgniteTable.LOCATIONS)
                .setField("name", l.name(), String.class)
                .setField("created_at", time(l.createdAt()), String.class)
                .setField("description", l.description(), String.class)
                .build();
    }

    static Location location(BinaryObject row) {
        return new Location(row.field("name"), instant(row, "created_at"), row.field("description"));
    }

    // ---- service mappings ----

    BinaryObject serviceMapping(ServiceMapping m) {
        return builder(IgniteTable.SERVICE_MAPPINGS)
                .setField("uid", uid(m.uid()), String.class)
                .setField("created_at", time(m.createdAt()), String.class)
                .setField("service", m.service(), String.class)
                .setField("redirect", m.redirect(), String.class)
                .setField("location_name", m.locationName(), String.class)
                .setField("application_uid", uid(m.applicationUid()), String.class)
                .build();
    }

    static ServiceMapping serviceMapping(BinaryObject row) {
        return new ServiceMapping(uuid(row, "uid"), instant(row, "created_at"), row.field("service"),
                row.field("redirect"), row.field("location_name"), uuid(row, "application_uid"));
    }
}
