package io.aquarium.fish.core.store;

import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.Location;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.ServiceMapping;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.model.Vote;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The domain-level store every node shares. One interface, several backends (H2 embedded for a
 * single node, Ignite for a cluster), all proven by the same contract suite.
 *
 * <p>Concurrency rules: every write two nodes may race on is a compare-and-set or a unique insert
 * here, and says so. Lists come back in creation order (created_at, then UID). Methods taking a
 * {@link Filter} return nothing when {@link Filter#matchesNothing()}. Writes that break a unique
 * rule throw {@link io.aquarium.fish.core.error.FishException} of kind CONFLICT and change nothing.
 */
public interface FishStore extends AutoCloseable {

    // ---- users ----

    Optional<User> user(String name);

    List<User> users(Filter filter);

    /** Unique insert: false (and no change) when a user of that name exists. */
    boolean createUser(User user);

    /** Create or replace (last writer wins: a password change is not a race worth failing). */
    void putUser(User user);

    boolean deleteUser(String name);

    // ---- nodes ----

    /** Create or replace: a node only ever writes its own row (its heartbeat is updatedAt). */
    void putNode(Node node);

    Optional<Node> node(UUID uid);

    List<Node> nodes(Filter filter);

    // ---- labels (immutable; unique name+version) ----

    /** Unique insert on (name, version): CONFLICT when taken. */
    void createLabel(Label label);

    Optional<Label> label(UUID uid);

    List<Label> labels(Filter filter);

    boolean deleteLabel(UUID uid);

    // ---- applications and their states ----

    /** Inserts the application together with its first state, atomically. */
    void createApplication(Application application, ApplicationState initial);

    Optional<Application> application(UUID uid);

    List<Application> applications(Filter filter);

    /** The newest state of the application. */
    Optional<ApplicationState> currentState(UUID applicationUid);

    /** Every state of the application, oldest first. */
    List<ApplicationState> states(UUID applicationUid);

    /** The states the filter matches, each application's oldest first (the election counts attempts of many at once). */
    List<ApplicationState> states(Filter filter);

    /**
     * Compare-and-set of the application's status: appends {@code next} only if the current status
     * is {@code expected}. Of many concurrent callers with the same expected status, exactly one
     * gets true.
     */
    boolean transition(UUID applicationUid, ApplicationStatus expected, ApplicationState next);

    /** The current state of every application whose current status is in {@code statuses}, oldest application first. */
    List<ApplicationState> currentStates(Set<ApplicationStatus> statuses);

    // ---- history retention ----

    /**
     * Applications whose status is final ({@link ApplicationStatus#isFinal}) and whose final state was
     * created before {@code cutoff}, oldest finish first (then UID), at most {@code limit}. Read through
     * an index on the finish time, so the cost follows {@code limit}, not how many are stored. An
     * application that still has a resource row is left out: its node has not released the resource
     * yet (a failed deallocation ends in ERROR with the row kept), and it comes back once it has.
     */
    List<FinishedApplication> finishedBefore(Instant cutoff, int limit);

    /**
     * Deletes a finished application with its states, current status, tasks, votes and service
     * mappings. Idempotent and safe to race: only the call that removed the application's
     * current-status entry answers true; a second call, or one for an unknown application or one whose
     * status is not final, answers false and changes nothing. Resource rows are never touched: a row is
     * the only record of a machine, and its node releases a resource whose application is gone or
     * finished (then deletes the row) whatever happens here.
     */
    boolean deleteApplicationHistory(UUID applicationUid);

    // ---- application tasks ----

    void createTask(ApplicationTask task);

    Optional<ApplicationTask> task(UUID uid);

    List<ApplicationTask> tasks(UUID applicationUid, Filter filter);

    /** Sets the result only if the task has none yet ({@code {}}): exactly one executor wins. */
    boolean completeTask(UUID taskUid, RawJson result, Instant at);

    // ---- resources ----

    /** Unique insert: one resource per application (CONFLICT otherwise). */
    void createResource(Resource resource);

    Optional<Resource> resource(UUID uid);

    Optional<Resource> resourceOfApplication(UUID applicationUid);

    List<Resource> resources(Filter filter);

    List<Resource> resourcesOfNode(UUID nodeUid);

    /**
     * Every resource of this node recorded with that IP address, oldest first (the Meta API's
     * lookup, which must see when an address is not one resource's alone); indexed.
     */
    List<Resource> resourcesByIp(UUID nodeUid, String ipAddr);

    boolean deleteResource(UUID uid);

    // ---- votes ----

    /** Unique insert on (application, node, round): false when that node already voted that round. */
    boolean addVote(Vote vote);

    /**
     * {@link #addVote} for each vote, in one write where the store allows (an election pass votes for a
     * whole burst at once): per vote, in the given order, whether it was added. A vote refused as a
     * duplicate does not keep the others out.
     */
    default List<Boolean> addVotes(List<Vote> votes) {
        List<Boolean> added = new ArrayList<>(votes.size());
        for (Vote v : votes) {
            added.add(addVote(v));
        }
        return added;
    }

    List<Vote> votes(Filter filter);

    /** Removes a finished election's votes; returns how many. */
    int deleteVotes(UUID applicationUid);

    // ---- locations ----

    /** Unique insert on name: CONFLICT when taken. */
    void createLocation(Location location);

    List<Location> locations(Filter filter);

    // ---- service mappings ----

    /** Unique insert on (location, service, application): CONFLICT when taken. */
    void createServiceMapping(ServiceMapping mapping);

    Optional<ServiceMapping> serviceMapping(UUID uid);

    List<ServiceMapping> serviceMappings(Filter filter);

    boolean deleteServiceMapping(UUID uid);

    /**
     * Feeds changes written by OTHER nodes of a cluster into {@code listener} (new states, tasks, votes,
     * node rows), so elections react to remote events as fast as to local ones. The listener must be
     * quick. A single-node backend has no other writers and does nothing.
     */
    default void watch(java.util.function.Consumer<io.aquarium.fish.core.events.FishEvent> listener) {
    }

    /**
     * This node's place in its cluster: whether it may write, vote and allocate now, and the term a
     * claim's fence compares. The embedded single-node store is always a quorum of one.
     */
    io.aquarium.fish.core.cluster.MembershipView membership();

    /** Whether the store is open (not yet closed); what the node's readiness check reads. */
    default boolean isOpen() {
        return true;
    }

    /**
     * Runs {@code action} each time the store restarted and rejoined its cluster, taking the majority's
     * data (this node's own copy was set aside). Nothing happens for a store that never rejoins.
     */
    default void onRejoin(Runnable action) {
    }

    @Override
    void close();
}
