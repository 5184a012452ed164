package io.aquarium.fish.core.store.h2;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.filter.SqlWhere;
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
import io.aquarium.fish.core.store.Entity;
import io.aquarium.fish.core.store.FinishedApplication;
import io.aquarium.fish.core.store.NameList;
import io.aquarium.fish.core.store.FishStore;
import io.aquarium.fish.core.store.StoreException;
import io.aquarium.fish.core.store.UserQueryLimit;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static io.aquarium.fish.core.store.h2.H2Rows.APPLICATION_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.LABEL_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.LOCATION_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.NODE_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.RESOURCE_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.SERVICE_MAPPING_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.STATE_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.TASK_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.USER_COLUMNS;
import static io.aquarium.fish.core.store.h2.H2Rows.VOTE_COLUMNS;

/**
 * The single-node backend: an embedded H2 file database {@code <data directory>/fish.mv.db}
 * behind a small connection pool.
 *
 * <p>Races are settled by the database, never by reading first: status transitions are a
 * conditional UPDATE of the application's {@code application_current} row (the row lock serialises
 * racers, and the loser's re-checked condition no longer holds), task completion is a conditional
 * UPDATE, and every "unique" rule is a unique index whose violation (SQLState 23505) becomes
 * {@code false} or a CONFLICT.
 */
public final class H2Store implements FishStore {
    private static final Logger log = LoggerFactory.getLogger(H2Store.class);

    static final String DATABASE_NAME = "fish";
    private static final int POOL_SIZE = 16;
    private static final String UNIQUE_VIOLATION = "23505";
    /** Row locks are held for a few statements; waiting longer means something is wrong. */
    private static final int LOCK_TIMEOUT_MS = 10_000;
    /** Parsed statements each pooled session keeps (H2's default: 8). */
    private static final int QUERY_CACHE_SIZE = 128;

    private static final String CURRENT_STATE_COLUMNS = prefixed("s", STATE_COLUMNS);
    /** The final statuses as SQL literals, from {@link ApplicationStatus#isFinal} (one rule). */
    private static final String FINAL_STATUSES = Arrays.stream(ApplicationStatus.values())
            .filter(ApplicationStatus::isFinal).map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", "));

    private final JdbcConnectionPool pool;
    private final String databaseName;
    private final H2Rows rows;
    private final DefinitionsCodec definitionsCodec;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile UserQueryLimit userQueries = new UserQueryLimit();

    private H2Store(JdbcConnectionPool pool, String databaseName, DefinitionsCodec definitionsCodec) {
        this.pool = pool;
        this.databaseName = databaseName;
        this.definitionsCodec = definitionsCodec;
        this.rows = new H2Rows(definitionsCodec);
    }

    /** Opens (creating it and the directory if needed) and migrates {@code <dataDirectory>/fish.mv.db}. */
    public static H2Store open(Path dataDirectory) {
        return open(dataDirectory, H2Migrations.all());
    }

    static H2Store open(Path dataDirectory, List<Migration> migrations) {
        SchemaMigrator migrator = new SchemaMigrator(migrations);
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("Unable to create the data directory " + directory + ": " + e.getMessage());
        }
        String database = directory.resolve(DATABASE_NAME).toString();
        JdbcConnectionPool pool = JdbcConnectionPool.create(jdbcUrl(database), "sa", "");
        pool.setMaxConnections(POOL_SIZE);
        try (Connection c = pool.getConnection()) {
            int version = migrator.migrate(c, database);
            log.info("Opened database {} at schema version {}", database, version);
        } catch (SQLException e) {
            pool.dispose();
            throw failure("open database " + database, e);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return new H2Store(pool, database, new DefinitionsCodec());
    }

    static String jdbcUrl(String database) {
        if (database.indexOf(';') >= 0) {
            throw new StoreException("The data directory path must not contain ';': " + database);
        }
        // The node closes the store itself on shutdown; H2's own shutdown hook would close it under running requests.
        // WRITE_DELAY=20: commits reach the file within 20 ms. H2's default (~0.5 s) let a killed node (OOM killer,
        // SIGKILL) forget applications whose resources it had already created; writing every commit at once
        // (WRITE_DELAY=0) cut concurrent allocation from ~300/s to ~30/s. What a crash inside the window loses,
        // recovery re-elects and the drivers' reconcile removes (resources no row records).
        // QUERY_CACHE_SIZE: H2's default of 8 is fewer than the statements one request and one election pass
        // use, so each pooled session re-parsed nearly every statement (a tenth of the node's CPU samples in a
        // profile of a burst of creates).
        return "jdbc:h2:file:" + database + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=20;QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE
                + ";LOCK_TIMEOUT=" + LOCK_TIMEOUT_MS;
    }

    // ---- users ----

    @Override
    public Optional<User> user(String name) {
        return run("read user", c -> one(c, "SELECT " + USER_COLUMNS + " FROM users WHERE name = ?",
                H2Rows::user, name));
    }

    @Override
    public List<User> users(Filter filter) {
        return list("list users", Entity.USER, "users", USER_COLUMNS, "created_at, name", filter, H2Rows::user);
    }

    @Override
    public boolean createUser(User user) {
        return run("create user", c -> {
            try {
                update(c, "INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        userValues(user));
                return true;
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public void putUser(User user) {
        run("put user", c -> update(c, "MERGE INTO users (" + USER_COLUMNS + ") KEY (name)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", userValues(user)));
    }

    private static Object[] userValues(User user) {
        PasswordHash h = user.hash();
        return h == null
                ? new Object[] {user.name(), user.createdAt(), user.updatedAt(), null, null, null, null, null, null}
                : new Object[] {user.name(), user.createdAt(), user.updatedAt(), h.algo(), h.memoryKiB(),
                        h.iterations(), h.threads(), h.salt(), h.hash()};
    }

    @Override
    public boolean deleteUser(String name) {
        return run("delete user", c -> update(c, "DELETE FROM users WHERE name = ?", name) == 1);
    }

    // ---- nodes ----

    @Override
    public void putNode(Node node) {
        run("put node", c -> update(c, "MERGE INTO nodes (" + NODE_COLUMNS + ") KEY (uid)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", node.uid(), node.createdAt(), node.updatedAt(),
                node.name(), node.definition(), node.locationName(), node.address(), node.pubkey()));
    }

    @Override
    public Optional<Node> node(UUID uid) {
        return run("read node", c -> one(c, "SELECT " + NODE_COLUMNS + " FROM nodes WHERE uid = ?",
                H2Rows::node, uid));
    }

    @Override
    public List<Node> nodes(Filter filter) {
        return list("list nodes", Entity.NODE, "nodes", NODE_COLUMNS, "created_at, uid", filter, H2Rows::node);
    }

    // ---- labels ----

    @Override
    public void createLabel(Label label) {
        String definitions = definitionsCodec.encode(label.definitions());
        run("create label", c -> {
            try {
                return update(c, "INSERT INTO labels (" + LABEL_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        label.uid(), label.createdAt(), label.name(), label.version(), definitions, label.metadata(),
                        label.ownerName(), NameList.encode(label.visibleFor()), label.removeAt());
            } catch (SQLException e) {
                if (violates(e, "LABELS_NAME_VERSION")) {
                    throw FishException.conflict("Label with name " + label.name() + " and version "
                            + label.version() + " already exists");
                }
                throw uidConflictOr(e, "Label", label.uid());
            }
        });
    }

    @Override
    public Optional<Label> label(UUID uid) {
        return run("read label", c -> one(c, "SELECT " + LABEL_COLUMNS + " FROM labels WHERE uid = ?",
                rows::label, uid));
    }

    @Override
    public List<Label> labels(Filter filter) {
        return list("list labels", Entity.LABEL, "labels", LABEL_COLUMNS, "created_at, uid", filter, rows::label);
    }

    @Override
    public boolean deleteLabel(UUID uid) {
        return run("delete label", c -> update(c, "DELETE FROM labels WHERE uid = ?", uid) == 1);
    }

    // ---- applications and their states ----

    @Override
    public void createApplication(Application application, ApplicationState initial) {
        requireStateOf(application.uid(), initial);
        inTransaction("create application", c -> {
            try {
                update(c, "INSERT INTO applications (" + APPLICATION_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                        application.uid(), application.createdAt(), application.ownerName(),
                        application.labelUid(), application.metadata());
                insertState(c, initial);
                return update(c, "INSERT INTO application_current (application_uid, status, state_uid, finished_at)"
                        + " VALUES (?, ?, ?, ?)", application.uid(), initial.status(), initial.uid(),
                        finishedAt(initial));
            } catch (SQLException e) {
                throw uidConflictOr(e, "Application", application.uid());
            }
        });
    }

    @Override
    public Optional<Application> application(UUID uid) {
        return run("read application", c -> one(c, "SELECT " + APPLICATION_COLUMNS
                + " FROM applications WHERE uid = ?", H2Rows::application, uid));
    }

    @Override
    public List<Application> applications(Filter filter) {
        return list("list applications", Entity.APPLICATION, "applications", APPLICATION_COLUMNS,
                "created_at, uid", filter, H2Rows::application);
    }

    /** Reads through the application_current pointer: "newest" never depends on timestamps, which may tie. */
    @Override
    public Optional<ApplicationState> currentState(UUID applicationUid) {
        return run("read current state", c -> one(c, "SELECT " + CURRENT_STATE_COLUMNS
                + " FROM application_current c JOIN application_states s ON s.uid = c.state_uid"
                + " WHERE c.application_uid = ?", H2Rows::state, applicationUid));
    }

    @Override
    public List<ApplicationState> states(UUID applicationUid) {
        return run("list states", c -> query(c, "SELECT " + STATE_COLUMNS + " FROM application_states"
                + " WHERE application_uid = ? ORDER BY seq", H2Rows::state, applicationUid));
    }

    @Override
    public List<ApplicationState> states(Filter filter) {
        return list("list states", Entity.APPLICATION_STATE, "application_states", STATE_COLUMNS,
                "application_uid, seq", filter, H2Rows::state);
    }

    @Override
    public boolean transition(UUID applicationUid, ApplicationStatus expected, ApplicationState next) {
        requireStateOf(applicationUid, next);
        return inTransaction("transition application", c -> {
            int changed = update(c, "UPDATE application_current SET status = ?, state_uid = ?, finished_at = ?"
                    + " WHERE application_uid = ? AND status = ?", next.status(), next.uid(), finishedAt(next),
                    applicationUid, expected);
            if (changed != 1) {
                return false;
            }
            try {
                insertState(c, next);
            } catch (SQLException e) {
                throw uidConflictOr(e, "Application state", next.uid());
            }
            return true;
        });
    }

    @Override
    public List<ApplicationState> currentStates(Set<ApplicationStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", Collections.nCopies(statuses.size(), "?"));
        return run("list current states", c -> query(c, "SELECT " + CURRENT_STATE_COLUMNS
                        + " FROM application_current c JOIN application_states s ON s.uid = c.state_uid"
                        + " JOIN applications a ON a.uid = c.application_uid"
                        + " WHERE c.status IN (" + marks + ") ORDER BY a.created_at, a.uid",
                H2Rows::state, statuses.toArray()));
    }

    /** The finish time a state gives its application: its own time if its status is final, else none. */
    private static Instant finishedAt(ApplicationState state) {
        return state.status().isFinal() ? state.createdAt() : null;
    }

    // ---- history retention ----

    /** Uses the (finished_at, application_uid) index; the resource check is a lookup by the unique application index. */
    @Override
    public List<FinishedApplication> finishedBefore(Instant cutoff, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return run("list finished applications", c -> query(c, "SELECT c.application_uid, c.finished_at"
                        + " FROM application_current c WHERE c.finished_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM resources r WHERE r.application_uid = c.application_uid)"
                        + " ORDER BY c.finished_at, c.application_uid FETCH FIRST ? ROWS ONLY",
                rs -> new FinishedApplication(Jdbc.uuid(rs, "application_uid"), Jdbc.instant(rs, "finished_at")),
                cutoff, limit));
    }

    /**
     * One transaction. The conditional delete of the application_current row decides, like a
     * transition: it removes the row only while the status is final, and of racing callers only one
     * deletes it; the others change nothing.
     */
    @Override
    public boolean deleteApplicationHistory(UUID applicationUid) {
        return inTransaction("delete application history", c -> {
            if (update(c, "DELETE FROM application_current WHERE application_uid = ?"
                    + " AND status IN (" + FINAL_STATUSES + ")", applicationUid) != 1) {
                return false;
            }
            for (String table : List.of("application_states", "application_tasks", "votes", "service_mappings")) {
                update(c, "DELETE FROM " + table + " WHERE application_uid = ?", applicationUid);
            }
            update(c, "DELETE FROM applications WHERE uid = ?", applicationUid);
            return true;
        });
    }

    private static void insertState(Connection c, ApplicationState state) throws SQLException {
        update(c, "INSERT INTO application_states (" + STATE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                state.uid(), state.createdAt(), state.applicationUid(), state.status(), state.description(),
                state.nodeUid());
    }

    private static void requireStateOf(UUID applicationUid, ApplicationState state) {
        if (!applicationUid.equals(state.applicationUid())) {
            throw new IllegalArgumentException("State " + state.uid() + " belongs to application "
                    + state.applicationUid() + ", not " + applicationUid);
        }
    }

    // ---- application tasks ----

    @Override
    public void createTask(ApplicationTask task) {
        run("create task", c -> {
            try {
                return update(c, "INSERT INTO application_tasks (" + TASK_COLUMNS + ", done)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", task.uid(), task.createdAt(), task.updatedAt(),
                        task.applicationUid(), task.task(), task.when(), task.options(), task.result(), task.isDone());
            } catch (SQLException e) {
                throw uidConflictOr(e, "Application task", task.uid());
            }
        });
    }

    @Override
    public Optional<ApplicationTask> task(UUID uid) {
        return run("read task", c -> one(c, "SELECT " + TASK_COLUMNS + " FROM application_tasks WHERE uid = ?",
                H2Rows::task, uid));
    }

    @Override
    public List<ApplicationTask> tasks(UUID applicationUid, Filter filter) {
        return list("list tasks", Entity.APPLICATION_TASK, "application_tasks", TASK_COLUMNS, "created_at, uid",
                "application_uid = ?", List.of(applicationUid), filter, H2Rows::task);
    }

    @Override
    public boolean completeTask(UUID taskUid, RawJson result, Instant at) {
        return run("complete task", c -> update(c, "UPDATE application_tasks SET result = ?, updated_at = ?,"
                + " done = ? WHERE uid = ? AND done = FALSE", result, at, !result.isEmptyObject(), taskUid) == 1);
    }

    // ---- resources ----

    @Override
    public void createResource(Resource resource) {
        Authentication a = resource.authentication();
        run("create resource", c -> {
            try {
                return update(c, "INSERT INTO resources (" + RESOURCE_COLUMNS + ")"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        resource.uid(), resource.createdAt(), resource.updatedAt(), resource.applicationUid(),
                        resource.nodeUid(), resource.labelUid(), resource.definitionIndex(), resource.identifier(),
                        resource.ipAddr(), resource.hwAddr(), resource.metadata(),
                        a == null ? null : a.username(), a == null ? null : a.password(),
                        a == null ? null : a.key(), a == null ? null : a.port());
            } catch (SQLException e) {
                if (violates(e, "RESOURCES_APPLICATION")) {
                    throw FishException.conflict("Resource for application " + resource.applicationUid()
                            + " already exists");
                }
                throw uidConflictOr(e, "Resource", resource.uid());
            }
        });
    }

    @Override
    public Optional<Resource> resource(UUID uid) {
        return run("read resource", c -> one(c, "SELECT " + RESOURCE_COLUMNS + " FROM resources WHERE uid = ?",
                H2Rows::resource, uid));
    }

    @Override
    public Optional<Resource> resourceOfApplication(UUID applicationUid) {
        return run("read resource", c -> one(c, "SELECT " + RESOURCE_COLUMNS
                + " FROM resources WHERE application_uid = ?", H2Rows::resource, applicationUid));
    }

    @Override
    public List<Resource> resources(Filter filter) {
        return list("list resources", Entity.RESOURCE, "resources", RESOURCE_COLUMNS, "created_at, uid", filter,
                H2Rows::resource);
    }

    @Override
    public List<Resource> resourcesOfNode(UUID nodeUid) {
        return run("list resources", c -> query(c, "SELECT " + RESOURCE_COLUMNS + " FROM resources"
                + " WHERE node_uid = ? ORDER BY created_at, uid", H2Rows::resource, nodeUid));
    }

    /** Uses the (node_uid, ip_addr) index. */
    @Override
    public List<Resource> resourcesByIp(UUID nodeUid, String ipAddr) {
        return run("find resources by IP", c -> query(c, "SELECT " + RESOURCE_COLUMNS + " FROM resources"
                + " WHERE node_uid = ? AND ip_addr = ? ORDER BY created_at, uid", H2Rows::resource, nodeUid, ipAddr));
    }

    @Override
    public boolean deleteResource(UUID uid) {
        return run("delete resource", c -> update(c, "DELETE FROM resources WHERE uid = ?", uid) == 1);
    }

    // ---- votes ----

    @Override
    public boolean addVote(Vote vote) {
        return run("add vote", c -> insertVote(c, vote));
    }

    /** One transaction: H2 rolls back only the statement a duplicate fails, so the others still commit. */
    @Override
    public List<Boolean> addVotes(List<Vote> votes) {
        return inTransaction("add votes", c -> {
            List<Boolean> added = new ArrayList<>(votes.size());
            for (Vote v : votes) {
                added.add(insertVote(c, v));
            }
            return added;
        });
    }

    private static boolean insertVote(Connection c, Vote vote) throws SQLException {
        try {
            update(c, "INSERT INTO votes (" + VOTE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", vote.uid(),
                    vote.createdAt(), vote.applicationUid(), vote.nodeUid(), vote.round(), vote.available(),
                    vote.rand());
            return true;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<Vote> votes(Filter filter) {
        return list("list votes", Entity.VOTE, "votes", VOTE_COLUMNS, "created_at, uid", filter, H2Rows::vote);
    }

    @Override
    public int deleteVotes(UUID applicationUid) {
        return run("delete votes", c -> update(c, "DELETE FROM votes WHERE application_uid = ?", applicationUid));
    }

    // ---- locations ----

    @Override
    public void createLocation(Location location) {
        run("create location", c -> {
            try {
                return update(c, "INSERT INTO locations (" + LOCATION_COLUMNS + ") VALUES (?, ?, ?)",
                        location.name(), location.createdAt(), location.description());
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    throw FishException.conflict("Location with name " + location.name() + " already exists");
                }
                throw e;
            }
        });
    }

    @Override
    public List<Location> locations(Filter filter) {
        return list("list locations", Entity.LOCATION, "locations", LOCATION_COLUMNS, "created_at, name", filter,
                H2Rows::location);
    }

    // ---- service mappings ----

    @Override
    public void createServiceMapping(ServiceMapping m) {
        run("create service mapping", c -> {
            try {
                return update(c, "INSERT INTO service_mappings (" + SERVICE_MAPPING_COLUMNS + ")"
                                + " VALUES (?, ?, ?, ?, ?, ?)", m.uid(), m.createdAt(), m.service(), m.redirect(),
                        m.locationName(), m.applicationUid());
            } catch (SQLException e) {
                if (violates(e, "SERVICE_MAPPINGS_LOCATION_SERVICE_APPLICATION")) {
                    throw FishException.conflict("Service mapping for service " + m.service() + " in location '"
                            + m.locationName() + "' and application " + m.applicationUid() + " already exists");
                }
                throw uidConflictOr(e, "Service mapping", m.uid());
            }
        });
    }

    @Override
    public Optional<ServiceMapping> serviceMapping(UUID uid) {
        return run("read service mapping", c -> one(c, "SELECT " + SERVICE_MAPPING_COLUMNS
                + " FROM service_mappings WHERE uid = ?", H2Rows::serviceMapping, uid));
    }

    @Override
    public List<ServiceMapping> serviceMappings(Filter filter) {
        return list("list service mappings", Entity.SERVICE_MAPPING, "service_mappings", SERVICE_MAPPING_COLUMNS,
                "created_at, uid", filter, H2Rows::serviceMapping);
    }

    @Override
    public boolean deleteServiceMapping(UUID uid) {
        return run("delete service mapping", c -> update(c, "DELETE FROM service_mappings WHERE uid = ?", uid) == 1);
    }

    // ---- lifecycle ----

    /** Shuts the database down cleanly (so the next open needs no recovery) and drops the pool. */
    /** The embedded store is a cluster of one: it always has quorum. */
    @Override
    public io.aquarium.fish.core.cluster.MembershipView membership() {
        return io.aquarium.fish.core.cluster.MembershipView.standalone("embedded");
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            log.warn("Database {}: clean shutdown failed (SQLState {}, error {})", databaseName, e.getSQLState(),
                    e.getErrorCode());
        } finally {
            pool.dispose();
        }
        log.info("Closed database {}", databaseName);
    }

    // ---- plumbing ----

    private <T> T run(String operation, Jdbc.Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private <T> T inTransaction(String operation, Jdbc.Work<T> work) {
        return run(operation, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private <T> List<T> list(String operation, Entity entity, String table, String columns, String orderBy,
                             Filter filter, Jdbc.RowReader<T> reader) {
        return list(operation, entity, table, columns, orderBy, "1=1", List.of(), filter, reader);
    }

    /**
     * A filtered list. A filter value the column cannot hold (a UID column compared with 'abc', a time with
     * 'yesterday') is an SQL data exception: like an unparsable filter, it matches nothing.
     */
    private <T> List<T> list(String operation, Entity entity, String table, String columns, String orderBy,
                             String scope, List<Object> scopeParams, Filter filter, Jdbc.RowReader<T> reader) {
        if (filter.matchesNothing()) {
            return List.of();
        }
        SqlWhere where = filter.toSql(columnSql(entity));
        String sql = "SELECT " + columns + " FROM " + table + " WHERE " + scope + " AND " + where.sql()
                + " ORDER BY " + orderBy;
        List<Object> params = new ArrayList<>(scopeParams);
        params.addAll(where.params());
        Jdbc.Work<List<T>> select = c -> {
            try {
                return query(c, sql, reader, params.toArray());
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                    return List.of();
                }
                throw e;
            }
        };
        if (!filter.fromUserText()) {
            return run(operation, select);
        }
        UserQueryLimit limit = userQueries;
        return limit.run(() -> run(operation, c -> withTimeout(c, limit, select)));
    }

    /**
     * Runs {@code work} under the user query time limit. The limit is a setting of the connection's
     * session, so it is cleared before the pooled connection serves anyone else.
     */
    private static <T> T withTimeout(Connection c, UserQueryLimit limit, Jdbc.Work<T> work) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET QUERY_TIMEOUT " + limit.timeout().toMillis());
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.STATEMENT_WAS_CANCELED) {
                throw limit.timedOut();
            }
            throw e;
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("SET QUERY_TIMEOUT 0");
            }
        }
    }

    /** Tests only: another bound for lists filtered by user text. */
    void limitUserQueries(UserQueryLimit limit) {
        this.userQueries = limit;
    }

    /** Maps a whitelisted filter column to its quoted SQL name (quoted: {@code when} is a keyword). */
    static UnaryOperator<String> columnSql(Entity entity) {
        return column -> {
            if (!entity.filterColumns().contains(column)) {
                throw new IllegalArgumentException("Column " + column + " cannot be filtered on " + entity);
            }
            return '"' + column.toUpperCase(Locale.ROOT) + '"';
        };
    }

    private static <T> List<T> query(Connection c, String sql, Jdbc.RowReader<T> reader, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(reader.read(rs));
                }
                return result;
            }
        }
    }

    private static <T> Optional<T> one(Connection c, String sql, Jdbc.RowReader<T> reader, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
            }
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /** Whether {@code e} is a violation of the named unique index (H2 names it in the message). */
    private static boolean violates(SQLException e, String indexName) {
        return isUniqueViolation(e) && e.getMessage() != null && e.getMessage().contains("." + indexName + " ");
    }

    /** A unique violation left after the named indexes are checked is the primary key. */
    private static SQLException uidConflictOr(SQLException e, String kind, UUID uid) {
        if (isUniqueViolation(e)) {
            throw FishException.conflict(kind + " with UID " + uid + " already exists");
        }
        return e;
    }

    /**
     * Never includes H2's message for data errors: it quotes the values (password hashes, credentials).
     * Syntax and locking messages only hold our own SQL text and the file path, and help to diagnose.
     */
    private static StoreException failure(String operation, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = "SQLState " + state + ", error " + e.getErrorCode();
        if (state.startsWith("42") || e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            detail += ": " + e.getMessage().lines().findFirst().orElse("");
        }
        return new StoreException("H2 store: " + operation + " failed (" + detail + ")");
    }

    private static String prefixed(String alias, String columns) {
        return Arrays.stream(columns.split(", "))
                .map(column -> alias + "." + column.strip())
                .collect(Collectors.joining(", "));
    }
}
