package io.aquarium.fish.core.auth;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of our own store interface: the Authenticator only ever reads users. Everything
 * else fails loudly, so a test notices if the Authenticator starts depending on more.
 */
final class UserOnlyStore implements FishStore {
    private final Map<String, User> users = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();

    void put(User user) {
        users.put(user.name(), user);
    }

    void remove(String name) {
        users.remove(name);
    }

    @Override
    public Optional<User> user(String name) {
        lookups.incrementAndGet();
        return Optional.ofNullable(users.get(name));
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not needed by the Authenticator");
    }

    @Override public List<User> users(Filter filter) { throw unsupported(); }
    @Override public boolean createUser(User user) { throw unsupported(); }
    @Override public void putUser(User user) { throw unsupported(); }
    @Override public boolean deleteUser(String name) { throw unsupported(); }
    @Override public void putNode(Node node) { throw unsupported(); }
    @Override public Optional<Node> node(UUID uid) { throw unsupported(); }
    @Override public List<Node> nodes(Filter filter) { throw unsupported(); }
    @Override public void createLabel(Label label) { throw unsupported(); }
    @Override public Optional<Label> label(UUID uid) { throw unsupported(); }
    @Override public List<Label> labels(Filter filter) { throw unsupported(); }
    @Override public boolean deleteLabel(UUID uid) { throw unsupported(); }
    @Override public void createApplication(Application application, ApplicationState initial) { throw unsupported(); }
    @Override public Optional<Application> application(UUID uid) { throw unsupported(); }
    @Override public List<Application> applications(Filter filter) { throw unsupported(); }
    @Override public Optional<ApplicationState> currentState(UUID applicationUid) { throw unsupported(); }
    @Override public List<ApplicationState> states(UUID applicationUid) { throw unsupported(); }
    @Override public boolean transition(UUID applicationUid, ApplicationStatus expected, ApplicationState next) { throw unsupported(); }
    @Override public List<ApplicationState> currentStates(Set<ApplicationStatus> statuses) { throw unsupported(); }
    @Override public void createTask(ApplicationTask task) { throw unsupported(); }
    @Override public Optional<ApplicationTask> task(UUID uid) { throw unsupported(); }
    @Override public List<ApplicationTask> tasks(UUID applicationUid, Filter filter) { throw unsupported(); }
    @Override public boolean completeTask(UUID taskUid, RawJson result, Instant at) { throw unsupported(); }
    @Override public void createResource(Resource resource) { throw unsupported(); }
    @Override public Optional<Resource> resource(UUID uid) { throw unsupported(); }
    @Override public Optional<Resource> resourceOfApplication(UUID applicationUid) { throw unsupported(); }
    @Override public List<Resource> resources(Filter filter) { throw unsupported(); }
    @Override public List<Resource> resourcesOfNode(UUID nodeUid) { throw unsupported(); }
    @Override public List<Resource> resourcesByIp(UUID nodeUid, String ipAddr) { throw unsupported(); }
    @Override public boolean deleteResource(UUID uid) { throw unsupported(); }
    @Override public List<ApplicationState> states(Filter filter) { throw unsupported(); }
    @Override public boolean addVote(Vote vote) { throw unsupported(); }
    @Override public List<Vote> votes(Filter filter) { throw unsupported(); }
    @Override public int deleteVotes(UUID applicationUid) { throw unsupported(); }
    @Override public List<io.aquarium.fish.core.store.FinishedApplication> finishedBefore(java.time.Instant cutoff,
                                                                                      int limit) { throw unsupported(); }
    @Override public boolean deleteApplicationHistory(UUID applicationUid) { throw unsupported(); }
    @Override public void createLocation(Location location) { throw unsupported(); }
    @Override public List<Location> locations(Filter filter) { throw unsupported(); }
    @Override public void createServiceMapping(ServiceMapping mapping) { throw unsupported(); }
    @Override public Optional<ServiceMapping> serviceMapping(UUID uid) { throw unsupported(); }
    @Override public List<ServiceMapping> serviceMappings(Filter filter) { throw unsupported(); }
    @Override public boolean deleteServiceMapping(UUID uid) { throw unsupported(); }
    @Override public io.aquarium.fish.core.cluster.MembershipView membership() {
        return io.aquarium.fish.core.cluster.MembershipView.standalone("users");
    }
    @Override public void close() { }
}
