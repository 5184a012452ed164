package io.aquarium.fish.core.store.h2;

import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.Location;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.PasswordHash;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.ServiceMapping;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.model.Vote;
import io.aquarium.fish.core.store.DefinitionsCodec;
import io.aquarium.fish.core.store.NameList;

import java.sql.ResultSet;
import java.sql.SQLException;

import static io.aquarium.fish.core.store.h2.Jdbc.instant;
import static io.aquarium.fish.core.store.h2.Jdbc.json;
import static io.aquarium.fish.core.store.h2.Jdbc.uuid;

/** Column lists and ResultSet-to-record readers, one pair per table. */
final class H2Rows {
    static final String USER_COLUMNS = "name, created_at, updated_at, hash_algo, hash_memory, hash_iterations,"
            + " hash_threads, hash_salt, hash_hash";
    static final String NODE_COLUMNS = "uid, created_at, updated_at, name, definition, location_name, address, pubkey";
    static final String LABEL_COLUMNS = "uid, created_at, name, version, definitions, metadata, owner_name,"
            + " visible_for, remove_at";
    static final String APPLICATION_COLUMNS = "uid, created_at, owner_name, label_uid, metadata";
    static final String STATE_COLUMNS = "uid, created_at, application_uid, status, description, node_uid";
    static final String TASK_COLUMNS = "uid, created_at, updated_at, application_uid, task, \"WHEN\", options, result";
    static final String RESOURCE_COLUMNS = "uid, created_at, updated_at, application_uid, node_uid, label_uid,"
            + " definition_index, identifier, ip_addr, hw_addr, metadata,"
            + " auth_username, auth_password, auth_key, auth_port";
    static final String VOTE_COLUMNS = "uid, created_at, application_uid, node_uid, round, available, rand";
    static final String LOCATION_COLUMNS = "name, created_at, description";
    static final String SERVICE_MAPPING_COLUMNS = "uid, created_at, service, redirect, location_name, application_uid";

    private final DefinitionsCodec definitionsCodec;

    H2Rows(DefinitionsCodec definitionsCodec) {
        this.definitionsCodec = definitionsCodec;
    }

    static User user(ResultSet rs) throws SQLException {
        String algo = rs.getString("hash_algo");
        PasswordHash hash = algo == null ? null : new PasswordHash(algo, rs.getInt("hash_memory"),
                rs.getInt("hash_iterations"), rs.getInt("hash_threads"),
                rs.getBytes("hash_salt"), rs.getBytes("hash_hash"));
        return new User(rs.getString("name"), instant(rs, "created_at"), instant(rs, "updated_at"), hash);
    }

    static Node node(ResultSet rs) throws SQLException {
        return new Node(uuid(rs, "uid"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getString("name"),
                json(rs, "definition"), rs.getString("location_name"), rs.getString("address"),
                rs.getString("pubkey"));
    }

    Label label(ResultSet rs) throws SQLException {
        return new Label(uuid(rs, "uid"), instant(rs, "created_at"), rs.getString("name"), rs.getInt("version"),
                definitionsCodec.decode(rs.getString("definitions")), json(rs, "metadata"), rs.getString("owner_name"),
                NameList.decode(rs.getString("visible_for")), instant(rs, "remove_at"));
    }

    static Application application(ResultSet rs) throws SQLException {
        return new Application(uuid(rs, "uid"), instant(rs, "created_at"), rs.getString("owner_name"),
                uuid(rs, "label_uid"), json(rs, "metadata"));
    }

    static ApplicationState state(ResultSet rs) throws SQLException {
        return new ApplicationState(uuid(rs, "uid"), instant(rs, "created_at"), uuid(rs, "application_uid"),
                ApplicationStatus.valueOf(rs.getString("status")), rs.getString("description"),
                uuid(rs, "node_uid"));
    }

    static ApplicationTask task(ResultSet rs) throws SQLException {
        return new ApplicationTask(uuid(rs, "uid"), instant(rs, "created_at"), instant(rs, "updated_at"),
                uuid(rs, "application_uid"), rs.getString("task"), ApplicationStatus.valueOf(rs.getString("WHEN")),
                json(rs, "options"), json(rs, "result"));
    }

    static Resource resource(ResultSet rs) throws SQLException {
        String username = rs.getString("auth_username");
        Authentication auth = username == null ? null : new Authentication(username,
                rs.getString("auth_password"), rs.getString("auth_key"), rs.getInt("auth_port"));
        return new Resource(uuid(rs, "uid"), instant(rs, "created_at"), instant(rs, "updated_at"),
                uuid(rs, "application_uid"), uuid(rs, "node_uid"), uuid(rs, "label_uid"),
                rs.getInt("definition_index"), rs.getString("identifier"), rs.getString("ip_addr"),
                rs.getString("hw_addr"), json(rs, "metadata"), auth);
    }

    static Vote vote(ResultSet rs) throws SQLException {
        return new Vote(uuid(rs, "uid"), instant(rs, "created_at"), uuid(rs, "application_uid"),
                uuid(rs, "node_uid"), rs.getInt("round"), rs.getInt("available"), rs.getLong("rand"));
    }

    static Location location(ResultSet rs) throws SQLException {
        return new Location(rs.getString("name"), instant(rs, "created_at"), rs.getString("description"));
    }

    static ServiceMapping serviceMapping(ResultSet rs) throws SQLException {
        return new ServiceMapping(uuid(rs, "uid"), instant(rs, "created_at"), rs.getString("service"),
                rs.getString("redirect"), rs.getString("location_name"), uuid(rs, "application_uid"));
    }
}
