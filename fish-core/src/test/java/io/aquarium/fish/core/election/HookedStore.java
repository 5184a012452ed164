package io.aquarium.fish.core.election;

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
import io.aquarium.fish.core.store.FishStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One node's view of the shared store: forwards everything, and lets a test step in at the
 * moments where two nodes race (just before a status compare-and-set, right after the active
 * applications were read), so those interleavings are reproduced deterministically on one thread.
 * Closing it does not close the shared store.
 */
final class HookedStore implements FishStore {
    interface TransitionHook {
        void before(UUID application, ApplicationStatus expected, ApplicationState next);
    }

    private final FishStore store;
    private volatile TransitionHook beforeTransition = (a, e, n) -> { };
    private volatile Runnable afterCurrentStates = () -> { };
    private volatile Runnable afterResourcesOfNode = () -> { };
    /** A fake topology: the membership this node's store reports, or null for the shared store's. */
    private volatile io.aquarium.fish.core.cluster.MembershipView membership;

    HookedStore(FishStore store) {
        this.store = store;
    }

    /** Runs once before the next matching transition, then removes itself. */
    void beforeNextTransition(TransitionHook hook) {
        beforeTransition = (a, e, n) -> {
            beforeTransition = (a2, e2, n2) -> { };
            hook.before(a, e, n);
        };
    }

    /** Runs every time before a transition (for invariant checks). */
    void beforeEveryTransition(TransitionHook hook) {
        beforeTransition = hook;
    }

    /** Runs once after the next {@link #currentStates} read, then removes itself. */
    void afterNextCurrentStates(Runnable hook) {
        afterCurrentStates = () -> {
            afterCurrentStates = () -> { };
            hook.run();
        };
    }

    /** Runs once after the next {@link #resourcesOfNode} read, then removes itself. */
    void afterNextResourcesOfNode(Runnable hook) {
        afterResourcesOfNode = () -> {
            afterResourcesOfNode = () -> { };
            hook.run();
        };
    }

    @Override
    public boolean transition(UUID applicationUid, ApplicationStatus expected, ApplicationState next) {
        beforeTransition.before(applicationUid, expected, next);
        return store.transition(applicationUid, expected, next);
    }

    @Override
    public List<ApplicationState> currentStates(Set<ApplicationStatus> statuses) {
        List<ApplicationState> states = store.currentStates(statuses);
        afterCurrentStates.run();
        return states;
    }

    // ---- plain forwarding ----

    @Override
    public Optional<User> user(String name) {
        return store.user(name);
    }

    @Override
    public List<User> users(Filter filter) {
        return store.users(filter);
    }

    @Override
    public boolean createUser(User user) {
        return store.createUser(user);
    }

    @Override
    public void putUser(User user) {
        store.putUser(user);
    }

    @Override
    public boolean deleteUser(String name) {
        return store.deleteUser(name);
    }

    @Override
    public void putNode(Node node) {
        store.putNode(node);
    }

    @Override
    public Optional<Node> node(UUID uid) {
        return store.node(uid);
    }

    @Override
    public List<Node> nodes(Filter filter) {
        return store.nodes(filter);
    }

    @Override
    public void createLabel(Label label) {
        store.createLabel(label);
    }

    @Override
    public Optional<Label> label(UUID uid) {
        return store.label(uid);
    }

    @Override
    public List<Label> labels(Filter filter) {
        return store.labels(filter);
    }

    @Override
    public boolean deleteLabel(UUID uid) {
        return store.deleteLabel(uid);
    }

    @Override
    public void createApplication(Application application, ApplicationState initial) {
        store.createApplication(application, initial);
    }

    @Override
    public Optional<Application> application(UUID uid) {
        return store.application(uid);
    }

    @Override
    public List<Application> applications(Filter filter) {
        return store.applications(filter);
    }

    @Override
    public Optional<ApplicationState> currentState(UUID applicationUid) {
        return store.currentState(applicationUid);
    }

    @Override
    public List<ApplicationState> states(UUID applicationUid) {
        return store.states(applicationUid);
    }

    @Override
    public void createTask(ApplicationTask task) {
        store.createTask(task);
    }

    @Override
    public Optional<ApplicationTask> task(UUID uid) {
        return store.task(uid);
    }

    @Override
    public List<ApplicationTask> tasks(UUID applicationUid, Filter filter) {
        return store.tasks(applicationUid, filter);
    }

    @Override
    public boolean completeTask(UUID taskUid, RawJson result, Instant at) {
        return store.completeTask(taskUid, result, at);
    }

    @Override
    public void createResource(Resource resource) {
        store.createResource(resource);
    }

    @Override
    public Optional<Resource> resource(UUID uid) {
        return store.resource(uid);
    }

    @Override
    public Optional<Resource> resourceOfApplication(UUID applicationUid) {
        return store.resourceOfApplication(applicationUid);
    }

    @Override
    public List<Resource> resources(Filter filter) {
        return store.resources(filter);
    }

    @Override
    public List<Resource> resourcesOfNode(UUID nodeUid) {
        List<Resource> resources = store.resourcesOfNode(nodeUid);
        afterResourcesOfNode.run();
        return resources;
    }

    @Override
    public List<Resource> resourcesByIp(UUID nodeUid, String ipAddr) {
        return store.resourcesByIp(nodeUid, ipAddr);
    }

    @Override
    public boolean deleteResource(UUID uid) {
        return store.deleteResource(uid);
    }

    @Override
    public List<ApplicationState> states(Filter filter) {
        return store.states(filter);
    }

    @Override
    public boolean addVote(Vote vote) {
        return store.addVote(vote);
    }

    @Override
    public List<Vote> votes(Filter filter) {
        return store.votes(filter);
    }

    @Override
    public int deleteVotes(UUID applicationUid) {
        return store.deleteVotes(applicationUid);
    }

    @Override
    public List<io.aquarium.fish.core.store.FinishedApplication> finishedBefore(java.time.Instant cutoff, int limit) {
        return store.finishedBefore(cutoff, limit);
    }

    @Override
    public boolean deleteApplicationHistory(UUID applicationUid) {
        return store.deleteApplicationHistory(applicationUid);
    }

    @Override
    public void createLocation(Location location) {
        store.createLocation(location);
    }

    @Override
    public List<Location> locations(Filter filter) {
        return store.locations(filter);
    }

    @Override
    public void createServiceMapping(ServiceMapping mapping) {
        store.createServiceMapping(mapping);
    }

    @Override
    public Optional<ServiceMapping> serviceMapping(UUID uid) {
        return store.serviceMapping(uid);
    }

    @Override
    public List<ServiceMapping> serviceMappings(Filter filter) {
        return store.serviceMappings(filter);
    }

    @Override
    public boolean deleteServiceMapping(UUID uid) {
        return store.deleteServiceMapping(uid);
    }

    /** Makes the store report {@code view} as this node's membership from now on. */
    void membership(io.aquarium.fish.core.cluster.MembershipView view) {
        membership = view;
    }

    @Override
    public io.aquarium.fish.core.cluster.MembershipView membership() {
        io.aquarium.fish.core.cluster.MembershipView fake = membership;
        return fake != null ? fake : store.membership();
    }

    @Override
    public void close() {
        // The shared store belongs to the harness.
    }
}
