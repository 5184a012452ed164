package io.aquarium.fish.core.store;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Location;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.PasswordHash;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import io.aquarium.fish.core.model.ServiceMapping;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.model.Vote;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATE;
import static io.aquarium.fish.core.model.ApplicationStatus.DEALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.ERROR;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static io.aquarium.fish.core.model.ApplicationStatus.RECALLED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link FishStore} backend must have. A backend's test extends this class and
 * says how to get a fresh, empty store and how to reopen one on the same data.
 *
 * <p>Times are microsecond-precise (what every backend can keep). Filters are built with
 * {@link Filter#eq}, {@link Filter#and}, {@link Filter#ALL} and {@link Filter#NONE}, except where a
 * test is about filters a user wrote (their time limit); the filter language itself is tested elsewhere.
 */
public abstract class FishStoreContract {
    protected static final Instant T0 = Instant.parse("2024-03-01T10:00:00.123456Z");
    private static final int RACERS = 16;

    /** The store under test; a test that reopens it replaces it, and it is closed after each test. */
    protected FishStore store;

    /** A new, empty store, used by one test only. */
    protected abstract FishStore newStore();

    /** Closes {@code current} and opens a store on the same data, as a node restart would. */
    protected abstract FishStore reopenStore(FishStore current);

    /** Gives {@code target} another bound for the lists a user's filter drives (the backend's test hook). */
    protected abstract void limitUserQueries(FishStore target, UserQueryLimit limit);

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    // ======== users ========

    @Test
    void userRoundTripKeepsEveryField() {
        User alice = user("alice", t(1), argon("s4lt-ali", (byte) 7));

        assertTrue(store.createUser(alice));

        User read = store.user("alice").orElseThrow();
        assertEquals(alice, read);
        assertEquals(t(1), read.createdAt());
        assertEquals(t(2), read.updatedAt());
        assertArrayEquals(alice.hash().salt(), read.hash().salt());
        assertArrayEquals(alice.hash().hash(), read.hash().hash());
        assertEquals(Optional.empty(), store.user("bob"));
    }

    @Test
    void userWithoutHashOrWithZeroedHashRoundTrips() {
        User noHash = new User("nohash", t(1), null, null);
        User zeroed = new User("zeroed", t(2), t(3), PasswordHash.ZEROED);

        store.putUser(noHash);
        store.putUser(zeroed);

        assertEquals(noHash, store.user("nohash").orElseThrow());
        User readZeroed = store.user("zeroed").orElseThrow();
        assertEquals(zeroed, readZeroed);
        assertNull(readZeroed.hash().salt());
        assertNull(readZeroed.hash().hash());
    }

    @Test
    void createUserIsInsertIfAbsent() {
        User first = user("alice", t(1), argon("salt-one", (byte) 1));
        User second = user("alice", t(5), argon("salt-two", (byte) 2));

        assertTrue(store.createUser(first));
        assertFalse(store.createUser(second));

        assertEquals(first, store.user("alice").orElseThrow());
        assertEquals(1, store.users(Filter.ALL).size());
    }

    @Test
    void putUserCreatesThenReplaces() {
        User first = user("alice", t(1), argon("salt-one", (byte) 1));
        User changed = new User("alice", t(1), t(9), argon("salt-two", (byte) 2));

        store.putUser(first);
        assertEquals(first, store.user("alice").orElseThrow());
        store.putUser(changed);

        assertEquals(changed, store.user("alice").orElseThrow());
        assertEquals(List.of(changed), store.users(Filter.ALL));
    }

    @Test
    void deleteUserRemovesOnlyThatUser() {
        store.createUser(user("alice", t(1), argon("salt-one", (byte) 1)));
        store.createUser(user("bob", t(2), argon("salt-two", (byte) 2)));

        assertTrue(store.deleteUser("alice"));
        assertFalse(store.deleteUser("alice"));

        assertEquals(Optional.empty(), store.user("alice"));
        assertEquals(List.of("bob"), store.users(Filter.ALL).stream().map(User::name).toList());
    }

    @Test
    void usersComeInCreationOrderAndFilter() {
        store.createUser(user("carol", t(3), null));
        store.createUser(user("alice", t(1), null));
        store.createUser(user("bob", t(2), null));

        assertEquals(List.of("alice", "bob", "carol"), store.users(Filter.ALL).stream().map(User::name).toList());
        assertEquals(List.of("bob"), store.users(Filter.eq("name", "bob")).stream().map(User::name).toList());
        assertEquals(List.of(), store.users(Filter.eq("name", "nobody")));
        assertEquals(List.of(), store.users(Filter.NONE));
    }

    @Test
    void concurrentCreateUserHasOneWinner() throws Exception {
        List<Boolean> results = race(RACERS, i -> store.createUser(user("racer", t(i), argon("salt-" + i, (byte) i))));

        assertEquals(1, results.stream().filter(r -> r).count());
        int winner = results.indexOf(true);
        assertEquals(t(winner), store.user("racer").orElseThrow().createdAt());
    }

    // ======== nodes ========

    @Test
    void nodeRoundTripKeepsRawDefinition() {
        Node withKey = node("node-1", "loc-a", t(1), "{ \"host\" : {\"name\":\"h1\"},  \"z\":[1, 2.50],\"a\":\"\u00e9\" }");
        Node withoutKey = new Node(UUID.randomUUID(), t(2), t(2), "node-2", null, null, null, null);

        store.putNode(withKey);
        store.putNode(withoutKey);

        Node read = store.node(withKey.uid()).orElseThrow();
        assertEquals(withKey, read);
        assertJsonBytes(withKey.definition(), read.definition());
        assertEquals(withoutKey, store.node(withoutKey.uid()).orElseThrow());
        assertNull(store.node(withoutKey.uid()).orElseThrow().pubkey());
        assertEquals(Optional.empty(), store.node(UUID.randomUUID()));
    }

    @Test
    void putNodeReplacesTheNodeRow() {
        Node first = node("node-1", "loc-a", t(1), "{}");
        Node heartbeat = new Node(first.uid(), first.createdAt(), t(60), "node-1", new RawJson("{\"cpu\":4}"),
                "loc-b", "10.0.0.9:8001", "other-key");

        store.putNode(first);
        store.putNode(heartbeat);

        assertEquals(List.of(heartbeat), store.nodes(Filter.ALL));
    }

    @Test
    void nodesComeInCreationOrderAndFilter() {
        Node late = node("late", "loc-a", t(3), "{}");
        Node early = node("early", "loc-b", t(1), "{}");
        Node middle = node("middle", "loc-a", t(2), "{}");
        store.putNode(late);
        store.putNode(early);
        store.putNode(middle);

        assertEquals(List.of(early, middle, late), store.nodes(Filter.ALL));
        assertEquals(List.of(middle, late), store.nodes(Filter.eq("location_name", "loc-a")));
        assertEquals(List.of(late), store.nodes(Filter.eq("location_name", "loc-a").and(Filter.eq("name", "late"))));
        assertEquals(List.of(early), store.nodes(Filter.eq("uid", early.uid().toString())));
        assertEquals(List.of(), store.nodes(Filter.NONE));
    }

    // ======== labels ========

    @Test
    void labelRoundTripKeepsDefinitionsAndRawJson() {
        Label label = richLabel("ubuntu", 1, t(1));

        store.createLabel(label);

        Label read = store.label(label.uid()).orElseThrow();
        assertEquals(label, read);
        assertJsonBytes(label.metadata(), read.metadata());
        for (int i = 0; i < label.definitions().size(); i++) {
            assertJsonBytes(label.definitions().get(i).options(), read.definitions().get(i).options());
        }
        assertEquals(List.of("zz-first", "aa-second"), List.copyOf(read.definitions().get(0).resources().disks().keySet()));
        assertNull(read.definitions().get(1).authentication());
        assertEquals(Optional.empty(), store.label(UUID.randomUUID()));
    }

    @Test
    void duplicateLabelNameAndVersionConflictsAndChangesNothing() {
        Label original = label("ubuntu", 1, t(1));
        store.createLabel(original);

        FishException e = assertConflict(() -> store.createLabel(label("ubuntu", 1, t(2))));

        assertTrue(e.getMessage().contains("ubuntu") && e.getMessage().contains("1"), e.getMessage());
        assertEquals(List.of(original), store.labels(Filter.ALL));
        store.createLabel(label("ubuntu", 2, t(3)));
        store.createLabel(label("debian", 1, t(4)));
        assertEquals(3, store.labels(Filter.ALL).size());
    }

    @Test
    void labelsComeInCreationOrderAndFilterByNameAndVersion() {
        Label v2 = label("ubuntu", 2, t(2));
        Label v1 = label("ubuntu", 1, t(1));
        Label other = label("debian", 1, t(3));
        store.createLabel(v2);
        store.createLabel(other);
        store.createLabel(v1);

        assertEquals(List.of(v1, v2, other), store.labels(Filter.ALL));
        assertEquals(List.of(v1, v2), store.labels(Filter.eq("name", "ubuntu")));
        assertEquals(List.of(v2), store.labels(Filter.eq("name", "ubuntu").and(Filter.eq("version", 2L))));
        assertEquals(List.of(), store.labels(Filter.eq("name", "ubuntu").and(Filter.eq("version", 3L))));
        assertEquals(List.of(other), store.labels(Filter.eq("uid", other.uid().toString())));
        assertEquals(List.of(), store.labels(Filter.NONE));
    }

    @Test
    void filterValueTheColumnCannotHoldMatchesNothing() {
        store.createLabel(label("ubuntu", 1, t(1)));

        assertEquals(List.of(), store.labels(Filter.eq("uid", "not-a-uuid")));
        assertEquals(List.of(), store.labels(Filter.eq("version", "not-a-number")));
        assertEquals(1, store.labels(Filter.ALL).size());
    }

    @Test
    void temporaryLabelRoundTripKeepsOwnerVisibilityAndRemoveAt() {
        Label base = label("tmp", Label.TEMPORARY, t(1));
        Instant removeAt = t(3600).plusNanos(123_456_000);
        Label temporary = new Label(base.uid(), base.createdAt(), base.name(), base.version(), base.definitions(),
                base.metadata(), "jenkins", List.of("jenkins", "ci \"bot\""), removeAt);
        Label permanent = label("ubuntu", 1, t(2));
        store.createLabel(temporary);
        store.createLabel(permanent);

        Label read = store.label(temporary.uid()).orElseThrow();
        assertEquals(temporary, read);
        assertEquals(List.of("jenkins", "ci \"bot\""), read.visibleFor());
        assertEquals(removeAt, read.removeAt());
        Label readPermanent = store.label(permanent.uid()).orElseThrow();
        assertEquals(List.of("", List.of()), List.of(readPermanent.ownerName(), readPermanent.visibleFor()));
        assertNull(readPermanent.removeAt());
        assertEquals(List.of(temporary), store.labels(Filter.eq("version", Label.TEMPORARY)));
        // (name, version) stays unique for version 0 too.
        assertConflict(() -> store.createLabel(label("tmp", Label.TEMPORARY, t(4))));

        store = reopenStore(store);
        assertEquals(temporary, store.label(temporary.uid()).orElseThrow());
    }

    @Test
    void deleteLabel() {
        Label keep = label("keep", 1, t(1));
        Label drop = label("drop", 1, t(2));
        store.createLabel(keep);
        store.createLabel(drop);

        assertTrue(store.deleteLabel(drop.uid()));
        assertFalse(store.deleteLabel(drop.uid()));

        assertEquals(Optional.empty(), store.label(drop.uid()));
        assertEquals(List.of(keep), store.labels(Filter.ALL));
    }

    // ======== applications and states ========

    @Test
    void createApplicationStoresItWithItsFirstState() {
        Application app = application("alice", t(1), "{ \"JENKINS_URL\": \"https://ci\" ,\"n\":1 }");
        ApplicationState initial = state(app, NEW, t(1), "");

        store.createApplication(app, initial);

        Application read = store.application(app.uid()).orElseThrow();
        assertEquals(app, read);
        assertJsonBytes(app.metadata(), read.metadata());
        assertEquals(initial, store.currentState(app.uid()).orElseThrow());
        assertEquals(List.of(initial), store.states(app.uid()));
        assertEquals(Optional.empty(), store.application(UUID.randomUUID()));
        assertEquals(Optional.empty(), store.currentState(UUID.randomUUID()));
        assertEquals(List.of(), store.states(UUID.randomUUID()));
    }

    @Test
    void duplicateApplicationUidConflictsAndChangesNothing() {
        Application app = application("alice", t(1), "{}");
        ApplicationState initial = state(app, NEW, t(1), "");
        store.createApplication(app, initial);
        Application impostor = new Application(app.uid(), t(5), "mallory", UUID.randomUUID(), new RawJson("{\"x\":1}"));

        FishException e = assertConflict(() -> store.createApplication(impostor, state(impostor, ELECTED, t(5), "")));

        assertTrue(e.getMessage().contains(app.uid().toString()), e.getMessage());

        assertEquals(app, store.application(app.uid()).orElseThrow());
        assertEquals(List.of(initial), store.states(app.uid()));
        assertEquals(initial, store.currentState(app.uid()).orElseThrow());
    }

    @Test
    void applicationsComeInCreationOrderAndFilter() {
        Application late = createApp("alice", t(3));
        Application early = createApp("bob", t(1));
        Application middle = createApp("alice", t(2));

        assertEquals(List.of(early, middle, late), store.applications(Filter.ALL));
        assertEquals(List.of(middle, late), store.applications(Filter.eq("owner_name", "alice")));
        assertEquals(List.of(early), store.applications(Filter.eq("label_uid", early.labelUid().toString())));
        assertEquals(List.of(), store.applications(Filter.NONE));
    }

    @Test
    void transitionAppendsTheStateWhenTheStatusIsAsExpected() {
        Application app = createApp("alice", t(1));
        ApplicationState initial = store.currentState(app.uid()).orElseThrow();
        ApplicationState elected = state(app, ELECTED, t(2), "Elected node: node-1");
        ApplicationState allocated = state(app, ALLOCATED, t(3), "");

        assertTrue(store.transition(app.uid(), NEW, elected));
        assertEquals(elected, store.currentState(app.uid()).orElseThrow());
        assertTrue(store.transition(app.uid(), ELECTED, allocated));

        assertEquals(allocated, store.currentState(app.uid()).orElseThrow());
        assertEquals(List.of(initial, elected, allocated), store.states(app.uid()));
    }

    @Test
    void transitionFromAnotherStatusChangesNothing() {
        Application app = createApp("alice", t(1));
        ApplicationState initial = store.currentState(app.uid()).orElseThrow();

        assertFalse(store.transition(app.uid(), ELECTED, state(app, ALLOCATED, t(2), "")));

        assertEquals(initial, store.currentState(app.uid()).orElseThrow());
        assertEquals(List.of(initial), store.states(app.uid()));
    }

    @Test
    void transitionOfAnUnknownApplicationIsFalse() {
        UUID unknown = UUID.randomUUID();

        assertFalse(store.transition(unknown, NEW,
                new ApplicationState(UUID.randomUUID(), t(1), unknown, ELECTED, "")));

        assertEquals(List.of(), store.states(unknown));
        assertEquals(Optional.empty(), store.currentState(unknown));
    }

    @Test
    void currentStateIsTheLastTransitionEvenWhenTimestampsTie() {
        Application app = createApp("alice", t(1));
        List<ApplicationState> expected = new ArrayList<>(store.states(app.uid()));
        ApplicationStatus previous = NEW;
        for (ApplicationStatus next : List.of(ELECTED, ALLOCATED, DEALLOCATE)) {
            ApplicationState s = state(app, next, t(1), "");
            assertTrue(store.transition(app.uid(), previous, s));
            expected.add(s);
            previous = next;
            assertEquals(s, store.currentState(app.uid()).orElseThrow());
        }

        assertEquals(expected, store.states(app.uid()));
    }

    @Test
    void concurrentTransitionsHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            Application app = createApp("alice", t(round));
            List<ApplicationState> candidates = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                candidates.add(state(app, ELECTED, t(100), "Elected node: node-" + i));
            }

            List<Boolean> results = race(RACERS, i -> store.transition(app.uid(), NEW, candidates.get(i)));

            assertEquals(1, results.stream().filter(r -> r).count(), "winners in round " + round);
            ApplicationState winner = candidates.get(results.indexOf(true));
            assertEquals(winner, store.currentState(app.uid()).orElseThrow());
            List<ApplicationState> states = store.states(app.uid());
            assertEquals(2, states.size());
            assertEquals(winner, states.get(1));
        }
    }

    @Test
    void statesByFilterGivesEachApplicationsHistoryOldestFirst() {
        Application one = createApp("alice", t(1));
        Application two = createApp("bob", t(2));
        Application untouched = createApp("carol", t(3));
        // Same time for all: the order within an application must not depend on timestamps.
        ApplicationState oneElected = state(one, ELECTED, t(10), "");
        ApplicationState oneAgain = state(one, NEW, t(10), "electing again");
        ApplicationState twoElected = state(two, ELECTED, t(10), "");
        assertTrue(store.transition(one.uid(), NEW, oneElected));
        assertTrue(store.transition(two.uid(), NEW, twoElected));
        assertTrue(store.transition(one.uid(), ELECTED, oneAgain));

        List<ApplicationState> both = store.states(Filter.in("application_uid",
                List.of(one.uid().toString(), two.uid().toString())));

        assertEquals(store.states(one.uid()), both.stream().filter(st -> st.applicationUid().equals(one.uid())).toList());
        assertEquals(List.of(oneElected, oneAgain), store.states(one.uid()).subList(1, 3));
        assertEquals(store.states(two.uid()), both.stream().filter(st -> st.applicationUid().equals(two.uid())).toList());
        assertEquals(5, both.size());
        assertEquals(List.of(), store.states(Filter.NONE));
        assertEquals(1, store.states(Filter.eq("application_uid", untouched.uid().toString())).size());
    }

    @Test
    void currentStatesSelectsByCurrentStatusOldestApplicationFirst() {
        Application third = createApp("alice", t(3));
        Application first = createApp("alice", t(1));
        Application second = createApp("alice", t(2));
        Application fourth = createApp("alice", t(4));
        ApplicationState secondElected = state(second, ELECTED, t(10), "");
        ApplicationState fourthElected = state(fourth, ELECTED, t(11), "");
        ApplicationState fourthAllocated = state(fourth, ALLOCATED, t(12), "");
        assertTrue(store.transition(second.uid(), NEW, secondElected));
        assertTrue(store.transition(fourth.uid(), NEW, fourthElected));
        assertTrue(store.transition(fourth.uid(), ELECTED, fourthAllocated));

        List<ApplicationState> active = store.currentStates(Set.of(NEW, ELECTED));

        assertEquals(List.of(first.uid(), second.uid(), third.uid()),
                active.stream().map(ApplicationState::applicationUid).toList());
        assertEquals(secondElected, active.get(1));
        assertEquals(List.of(fourthAllocated), store.currentStates(Set.of(ALLOCATED)));
        assertEquals(List.of(), store.currentStates(Set.of(ERROR)));
        assertEquals(List.of(), store.currentStates(Set.of()));
    }

    @Test
    void electedNodeUidRoundTripsThroughEveryRead() {
        Application app = createApp("alice", t(1));
        Application other = createApp("bob", t(2));
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        ApplicationState initial = store.currentState(app.uid()).orElseThrow();
        ApplicationState elected = elected(app, t(3), "node-1", first);
        ApplicationState again = state(app, NEW, t(4), "electing again");
        ApplicationState reElected = elected(app, t(5), "node-1", second);

        assertTrue(store.transition(app.uid(), NEW, elected));
        assertEquals(first, store.currentState(app.uid()).orElseThrow().nodeUid());
        assertEquals(List.of(elected), store.currentStates(Set.of(ELECTED)));
        assertTrue(store.transition(app.uid(), ELECTED, again));
        assertNull(store.currentState(app.uid()).orElseThrow().nodeUid(), "a later state concerns no node");
        assertEquals(List.of(again, store.currentState(other.uid()).orElseThrow()), store.currentStates(Set.of(NEW)));
        assertTrue(store.transition(app.uid(), NEW, reElected));

        assertEquals(reElected, store.currentState(app.uid()).orElseThrow());
        assertEquals(List.of(reElected), store.currentStates(Set.of(ELECTED)));
        assertEquals(List.of(initial, elected, again, reElected), store.states(app.uid()));
        assertEquals(Arrays.asList(null, first, null, second),
                store.states(app.uid()).stream().map(ApplicationState::nodeUid).toList());
        assertEquals("Elected node: node-1", store.currentState(app.uid()).orElseThrow().description(),
                "the description stays as written");
    }

    // ======== application tasks ========

    @Test
    void taskRoundTripAndListPerApplication() {
        Application app = createApp("alice", t(1));
        Application otherApp = createApp("bob", t(2));
        ApplicationTask late = task(app, "image", DEALLOCATE, t(5), "{ \"full\" : true }");
        ApplicationTask early = task(app, "snapshot", ALLOCATED, t(3), "{\"b\":1,\"a\":2}");
        ApplicationTask foreign = task(otherApp, "snapshot", ALLOCATED, t(4), "{}");
        store.createTask(late);
        store.createTask(early);
        store.createTask(foreign);

        ApplicationTask read = store.task(late.uid()).orElseThrow();
        assertEquals(late, read);
        assertJsonBytes(late.options(), read.options());
        assertFalse(read.isDone());
        assertEquals(Optional.empty(), store.task(UUID.randomUUID()));
        assertEquals(List.of(early, late), store.tasks(app.uid(), Filter.ALL));
        assertEquals(List.of(early), store.tasks(app.uid(), Filter.eq("when", "ALLOCATED")));
        assertEquals(List.of(late), store.tasks(app.uid(), Filter.eq("task", "image")));
        assertEquals(List.of(foreign), store.tasks(otherApp.uid(), Filter.ALL));
        assertEquals(List.of(), store.tasks(app.uid(), Filter.NONE));
    }

    @Test
    void completeTaskSetsTheResultOnce() {
        Application app = createApp("alice", t(1));
        ApplicationTask task = task(app, "snapshot", ALLOCATED, t(2), "{}");
        store.createTask(task);
        RawJson result = new RawJson("{\"snapshots\": [\"test-snapshot\"], \"when\":\"ALLOCATED\"}");

        assertTrue(store.completeTask(task.uid(), result, t(10)));
        assertFalse(store.completeTask(task.uid(), new RawJson("{\"error\":\"late\"}"), t(11)));

        ApplicationTask done = store.task(task.uid()).orElseThrow();
        assertJsonBytes(result, done.result());
        assertEquals(t(10), done.updatedAt());
        assertTrue(done.isDone());
        assertEquals(task.options(), done.options());
        assertFalse(store.completeTask(UUID.randomUUID(), result, t(12)));
    }

    @Test
    void concurrentCompleteTaskHasOneWinner() throws Exception {
        Application app = createApp("alice", t(1));
        ApplicationTask task = task(app, "snapshot", ALLOCATED, t(2), "{}");
        store.createTask(task);

        List<Boolean> results = race(RACERS,
                i -> store.completeTask(task.uid(), new RawJson("{\"executor\":" + i + "}"), t(10 + i)));

        assertEquals(1, results.stream().filter(r -> r).count());
        int winner = results.indexOf(true);
        ApplicationTask done = store.task(task.uid()).orElseThrow();
        assertEquals("{\"executor\":" + winner + "}", done.result().json());
        assertEquals(t(10 + winner), done.updatedAt());
    }

    // ======== resources ========

    @Test
    void resourceRoundTripWithAndWithoutAuthentication() {
        UUID nodeUid = UUID.randomUUID();
        Resource withAuth = resource(createApp("alice", t(1)), nodeUid, "10.0.0.1", t(2),
                new Authentication("admin", "s3cret", "-----BEGIN KEY-----\nabc\n", 2222));
        Resource withoutAuth = resource(createApp("bob", t(3)), nodeUid, "10.0.0.2", t(4), null);

        store.createResource(withAuth);
        store.createResource(withoutAuth);

        Resource read = store.resource(withAuth.uid()).orElseThrow();
        assertEquals(withAuth, read);
        assertJsonBytes(withAuth.metadata(), read.metadata());
        assertEquals(withoutAuth, store.resource(withoutAuth.uid()).orElseThrow());
        assertNull(store.resource(withoutAuth.uid()).orElseThrow().authentication());
        assertEquals(withAuth, store.resourceOfApplication(withAuth.applicationUid()).orElseThrow());
        assertEquals(Optional.empty(), store.resource(UUID.randomUUID()));
        assertEquals(Optional.empty(), store.resourceOfApplication(UUID.randomUUID()));
    }

    @Test
    void secondResourceOfAnApplicationConflictsAndChangesNothing() {
        Application app = createApp("alice", t(1));
        Resource first = resource(app, UUID.randomUUID(), "10.0.0.1", t(2), null);
        store.createResource(first);

        FishException e = assertConflict(() -> store.createResource(resource(app, UUID.randomUUID(), "10.0.0.2", t(3), null)));

        assertTrue(e.getMessage().contains(app.uid().toString()), e.getMessage());

        assertEquals(List.of(first), store.resources(Filter.ALL));
        assertEquals(first, store.resourceOfApplication(app.uid()).orElseThrow());
    }

    @Test
    void resourcesOfNodeAndLookupByIp() {
        UUID nodeA = UUID.randomUUID();
        UUID nodeB = UUID.randomUUID();
        Resource aLate = resource(createApp("alice", t(1)), nodeA, "10.0.0.2", t(5), null);
        Resource aEarly = resource(createApp("alice", t(2)), nodeA, "10.0.0.1", t(4), null);
        Resource bSameIp = resource(createApp("alice", t(3)), nodeB, "10.0.0.1", t(6), null);
        store.createResource(aLate);
        store.createResource(aEarly);
        store.createResource(bSameIp);

        assertEquals(List.of(aEarly, aLate), store.resourcesOfNode(nodeA));
        assertEquals(List.of(bSameIp), store.resourcesOfNode(nodeB));
        assertEquals(List.of(), store.resourcesOfNode(UUID.randomUUID()));
        assertEquals(List.of(aEarly), store.resourcesByIp(nodeA, "10.0.0.1"));
        assertEquals(List.of(bSameIp), store.resourcesByIp(nodeB, "10.0.0.1"));
        assertEquals(List.of(), store.resourcesByIp(nodeB, "10.0.0.2"));
        assertEquals(List.of(), store.resourcesByIp(nodeA, "10.0.0.3"));
        // An address shared by several resources of one node: all of them, oldest first.
        Resource aReused = resource(createApp("alice", t(7)), nodeA, "10.0.0.1", t(8), null);
        store.createResource(aReused);
        assertEquals(List.of(aEarly, aReused), store.resourcesByIp(nodeA, "10.0.0.1"));
    }

    @Test
    void resourcesFilterAndDelete() {
        UUID nodeA = UUID.randomUUID();
        Resource first = resource(createApp("alice", t(1)), nodeA, "10.0.0.1", t(2), null);
        Resource second = resource(createApp("alice", t(3)), UUID.randomUUID(), "10.0.0.1", t(4), null);
        store.createResource(second);
        store.createResource(first);

        assertEquals(List.of(first, second), store.resources(Filter.ALL));
        assertEquals(List.of(first), store.resources(Filter.eq("node_uid", nodeA.toString())));
        assertEquals(List.of(second), store.resources(Filter.eq("ip_addr", "10.0.0.1")
                .and(Filter.eq("application_uid", second.applicationUid().toString()))));
        assertEquals(List.of(), store.resources(Filter.eq("definition_index", 7L)));
        assertEquals(List.of(), store.resources(Filter.NONE));

        assertTrue(store.deleteResource(first.uid()));
        assertFalse(store.deleteResource(first.uid()));
        assertEquals(List.of(second), store.resources(Filter.ALL));
        assertEquals(Optional.empty(), store.resourceOfApplication(first.applicationUid()));
    }

    // ======== votes ========

    @Test
    void addVoteIsUniquePerApplicationNodeAndRound() {
        UUID app = UUID.randomUUID();
        UUID nodeA = UUID.randomUUID();
        UUID nodeB = UUID.randomUUID();
        Vote first = vote(app, nodeA, 1, t(1), 0);
        Vote again = vote(app, nodeA, 1, t(2), 1);
        Vote otherNode = vote(app, nodeB, 1, t(3), Vote.CANNOT_SERVE);
        Vote nextRound = vote(app, nodeA, 2, t(4), 1);

        assertTrue(store.addVote(first));
        assertFalse(store.addVote(again));
        assertTrue(store.addVote(otherNode));
        assertTrue(store.addVote(nextRound));

        assertEquals(List.of(first, otherNode), store.votes(roundOf(app, 1)));
        assertEquals(List.of(nextRound), store.votes(roundOf(app, 2)));
        assertEquals(List.of(), store.votes(roundOf(app, 3)));
    }

    @Test
    void concurrentDuplicateVotesHaveOneWinner() throws Exception {
        UUID app = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        List<Vote> candidates = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            candidates.add(vote(app, node, 1, t(i), i));
        }

        List<Boolean> results = race(RACERS, i -> store.addVote(candidates.get(i)));

        assertEquals(1, results.stream().filter(r -> r).count());
        assertEquals(List.of(candidates.get(results.indexOf(true))), store.votes(roundOf(app, 1)));
    }

    @Test
    void addVotesAddsEachVoteOnceAndRefusesOnlyTheDuplicates() {
        UUID app = UUID.randomUUID();
        UUID otherApp = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        Vote earlier = vote(app, node, 1, t(1), 0);
        assertTrue(store.addVote(earlier));
        Vote duplicate = vote(app, node, 1, t(2), 1);
        Vote nextRound = vote(app, node, 2, t(3), 1);
        Vote other = vote(otherApp, node, 1, t(4), Vote.CANNOT_SERVE);
        Vote sameKeyInBatch = vote(otherApp, node, 1, t(5), 0);

        assertEquals(List.of(false, true, true, false),
                store.addVotes(List.of(duplicate, nextRound, other, sameKeyInBatch)));

        assertEquals(List.of(earlier, nextRound), store.votes(Filter.eq("application_uid", app.toString())));
        assertEquals(List.of(other), store.votes(Filter.eq("application_uid", otherApp.toString())));
        assertEquals(List.of(), store.addVotes(List.of()));
    }

    @Test
    void concurrentVoteBatchesHaveOneWinnerPerKey() throws Exception {
        UUID node = UUID.randomUUID();
        List<UUID> apps = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<List<Vote>> batches = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            List<Vote> batch = new ArrayList<>();
            for (UUID app : apps) {
                batch.add(vote(app, node, 1, t(i), i));
            }
            Collections.rotate(batch, i); // racers take the keys in different orders
            batches.add(batch);
        }

        List<List<Boolean>> results = race(RACERS, i -> store.addVotes(batches.get(i)));

        for (UUID app : apps) {
            List<Vote> stored = store.votes(roundOf(app, 1));
            assertEquals(1, stored.size(), "votes of " + app + ": " + stored);
            long winners = 0;
            for (int i = 0; i < RACERS; i++) {
                for (int j = 0; j < apps.size(); j++) {
                    Vote v = batches.get(i).get(j);
                    if (v.applicationUid().equals(app) && results.get(i).get(j)) {
                        winners++;
                        assertEquals(v, stored.get(0));
                    }
                }
            }
            assertEquals(1, winners, "racers told they added the vote of " + app);
        }
    }

    @Test
    void votesFilterAndDelete() {
        UUID app = UUID.randomUUID();
        UUID otherApp = UUID.randomUUID();
        Vote late = vote(app, UUID.randomUUID(), 1, t(3), 0);
        Vote early = vote(app, UUID.randomUUID(), 1, t(1), 0);
        Vote round2 = vote(app, early.nodeUid(), 2, t(4), 0);
        Vote foreign = vote(otherApp, early.nodeUid(), 1, t(2), 0);
        List.of(late, early, round2, foreign).forEach(store::addVote);

        assertEquals(List.of(early, foreign, late, round2), store.votes(Filter.ALL));
        assertEquals(List.of(early, late), store.votes(roundOf(app, 1)));
        assertEquals(List.of(), store.votes(Filter.NONE));

        assertEquals(3, store.deleteVotes(app));
        assertEquals(0, store.deleteVotes(app));
        assertEquals(List.of(foreign), store.votes(Filter.ALL));
    }

    // ======== locations ========

    @Test
    void locationsRoundTripOrderFilterAndConflict() {
        Location west = new Location("west", t(2), "West DC");
        Location east = new Location("east", t(1), null);
        store.createLocation(west);
        store.createLocation(east);

        FishException e = assertConflict(() -> store.createLocation(new Location("west", t(3), "other")));

        assertTrue(e.getMessage().contains("west"), e.getMessage());
        assertEquals(List.of(east, west), store.locations(Filter.ALL));
        assertEquals("", store.locations(Filter.eq("name", "east")).get(0).description());
        assertEquals(List.of(west), store.locations(Filter.eq("description", "West DC")));
        assertEquals(List.of(), store.locations(Filter.NONE));
    }

    // ======== service mappings ========

    @Test
    void serviceMappingRoundTripAndClusterWideDefault() {
        UUID app = UUID.randomUUID();
        ServiceMapping forApp = new ServiceMapping(UUID.randomUUID(), t(1), "https://github.com",
                "https://mirror.local/github", "west", app);
        ServiceMapping clusterWide = new ServiceMapping(UUID.randomUUID(), t(2), "https://pypi.org",
                "https://mirror.local/pypi", null, null);
        store.createServiceMapping(forApp);
        store.createServiceMapping(clusterWide);

        assertEquals(forApp, store.serviceMapping(forApp.uid()).orElseThrow());
        ServiceMapping read = store.serviceMapping(clusterWide.uid()).orElseThrow();
        assertEquals(clusterWide, read);
        assertEquals(ServiceMapping.ANY_APPLICATION, read.applicationUid());
        assertEquals("", read.locationName());
        assertEquals(Optional.empty(), store.serviceMapping(UUID.randomUUID()));
    }

    @Test
    void duplicateServiceMappingConflictsAndChangesNothing() {
        UUID app = UUID.randomUUID();
        ServiceMapping original = mapping("svc", "west", app, t(1));
        store.createServiceMapping(original);

        FishException e = assertConflict(() -> store.createServiceMapping(mapping("svc", "west", app, t(2))));

        assertTrue(e.getMessage().contains("svc"), e.getMessage());

        assertEquals(List.of(original), store.serviceMappings(Filter.ALL));
        store.createServiceMapping(mapping("svc", "west", ServiceMapping.ANY_APPLICATION, t(3)));
        store.createServiceMapping(mapping("svc", "east", app, t(4)));
        store.createServiceMapping(mapping("other", "west", app, t(5)));
        assertEquals(4, store.serviceMappings(Filter.ALL).size());
    }

    @Test
    void serviceMappingsOrderFilterAndDelete() {
        ServiceMapping late = mapping("b", "west", null, t(2));
        ServiceMapping early = mapping("a", "east", null, t(1));
        store.createServiceMapping(late);
        store.createServiceMapping(early);

        assertEquals(List.of(early, late), store.serviceMappings(Filter.ALL));
        assertEquals(List.of(late), store.serviceMappings(Filter.eq("location_name", "west")));
        assertEquals(List.of(early, late), store.serviceMappings(
                Filter.eq("application_uid", ServiceMapping.ANY_APPLICATION.toString())));
        assertEquals(List.of(), store.serviceMappings(Filter.NONE));

        assertTrue(store.deleteServiceMapping(early.uid()));
        assertFalse(store.deleteServiceMapping(early.uid()));
        assertEquals(List.of(late), store.serviceMappings(Filter.ALL));
    }

    // ======== filters a user wrote ========

    @Test
    void userFilterSelectsAsTheSameBuiltFilter() {
        Label v1 = label("ubuntu", 1, t(1));
        Label v2 = label("ubuntu", 2, t(2));
        store.createLabel(v1);
        store.createLabel(v2);
        store.createLabel(label("debian", 1, t(3)));
        assertEquals(3, store.labels(Filter.ALL).size());

        Filter typed = Filter.parse("name = 'ubuntu' AND version = 2", Entity.LABEL.filterColumns());
        assertTrue(typed.fromUserText());
        assertEquals(List.of(v2), store.labels(typed));
        assertEquals(List.of(v1, v2), store.labels(Filter.parse("name LIKE 'ub%u'", Entity.LABEL.filterColumns())));
    }

    /**
     * A filter a user wrote gets an answer at the time limit: unavailable (503), and the store goes on
     * serving, without a time limit for anything else. A 1 ms limit stands in for a costly filter; the
     * filter is made for work (the longest pattern the limits allow, matched at every position of long
     * names) so that the limit, checked between rows, is reached well before the last row.
     */
    @Test
    void userFilterPastItsTimeLimitIsUnavailableAndTheStoreGoesOn() {
        int rows = 600;
        String longName = "a".repeat(240) + "-";
        for (int i = 0; i < rows; i++) {
            store.createLabel(label(longName + i, 1, t(i)));
        }
        assertEquals(rows, store.labels(Filter.ALL).size());
        Filter scan = Filter.parse("name LIKE '%" + "a".repeat(125) + "_b'", Entity.LABEL.filterColumns());
        assertEquals(List.of(), store.labels(scan), "within the default limit");
        limitUserQueries(store, new UserQueryLimit(Duration.ofMillis(1), 4));

        FishException e = assertThrows(FishException.class, () -> store.labels(scan));

        assertEquals(FishException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("The filter did not finish within 1 ms"), e.getMessage());
        for (int i = 0; i < 20; i++) {
            assertEquals(rows, store.labels(Filter.ALL).size(), "no time limit left on the store's connections");
        }
    }

    // ======== persistence ========

    @Test
    void reopenedStoreKeepsEverything() {
        User user = user("alice", t(1), argon("s4lt-ali", (byte) 3));
        Node node = node("node-1", "west", t(1), "{\"k\": [1, 2]}");
        Label label = richLabel("ubuntu", 1, t(1));
        Application app = createApp("alice", t(2));
        ApplicationState elected = elected(app, t(3), "node-1", node.uid());
        ApplicationTask task = task(app, "snapshot", ALLOCATED, t(4), "{ \"a\" : 1 }");
        Resource resource = resource(app, node.uid(), "10.0.0.1", t(5),
                new Authentication("u", "p", "", 22));
        Vote vote = vote(app.uid(), node.uid(), 1, t(6), 0);
        Location location = new Location("west", t(7), "West");
        ServiceMapping mapping = mapping("svc", "west", app.uid(), t(8));
        store.createUser(user);
        store.putNode(node);
        store.createLabel(label);
        assertTrue(store.transition(app.uid(), NEW, elected));
        store.createTask(task);
        store.createResource(resource);
        store.addVote(vote);
        store.createLocation(location);
        store.createServiceMapping(mapping);
        List<ApplicationState> states = store.states(app.uid());

        store = reopenStore(store);

        assertEquals(user, store.user("alice").orElseThrow());
        assertEquals(node, store.node(node.uid()).orElseThrow());
        assertEquals(label, store.label(label.uid()).orElseThrow());
        assertEquals(app, store.application(app.uid()).orElseThrow());
        assertEquals(elected, store.currentState(app.uid()).orElseThrow());
        assertEquals(states, store.states(app.uid()));
        assertEquals(task, store.task(task.uid()).orElseThrow());
        assertEquals(List.of(resource), store.resourcesByIp(node.uid(), "10.0.0.1"));
        assertEquals(List.of(vote), store.votes(roundOf(app.uid(), 1)));
        assertEquals(List.of(location), store.locations(Filter.ALL));
        assertEquals(mapping, store.serviceMapping(mapping.uid()).orElseThrow());
        // The rules survive too, not just the rows.
        assertConflict(() -> store.createLabel(label("ubuntu", 1, t(9))));
        assertFalse(store.addVote(vote(app.uid(), node.uid(), 1, t(9), 1)));
        assertFalse(store.transition(app.uid(), NEW, state(app, ELECTED, t(9), "")));
        assertTrue(store.transition(app.uid(), ELECTED, state(app, ALLOCATED, t(9), "")));
    }

    // ======== history retention ========

    /** Moves {@code app} (status NEW) through {@code path} at one second apart from {@code at}; returns the last state. */
    private ApplicationState walk(Application app, Instant at, ApplicationStatus... path) {
        ApplicationStatus previous = NEW;
        ApplicationState last = null;
        for (int i = 0; i < path.length; i++) {
            last = state(app, path[i], at.plusSeconds(i), "");
            assertTrue(store.transition(app.uid(), previous, last));
            previous = path[i];
        }
        return last;
    }

    @Test
    void finishedBeforeListsOnlyFinalApplicationsOldestFinishFirst() {
        createApp("alice", t(1));
        Application allocated = createApp("alice", t(2));
        walk(allocated, t(3), ELECTED, ALLOCATED);
        Application deallocating = createApp("alice", t(3));
        walk(deallocating, t(4), ELECTED, ALLOCATED, DEALLOCATE);
        Application recalled = createApp("alice", t(4));
        ApplicationState recalledAt = walk(recalled, t(10), RECALLED);
        Application failed = createApp("bob", t(5));
        ApplicationState failedAt = walk(failed, t(5), ELECTED, ERROR);
        Application deallocated = createApp("bob", t(6));
        ApplicationState deallocatedAt = walk(deallocated, t(17), ELECTED, ALLOCATED, DEALLOCATE, DEALLOCATED);

        FinishedApplication f = new FinishedApplication(failed.uid(), failedAt.createdAt());
        FinishedApplication r = new FinishedApplication(recalled.uid(), recalledAt.createdAt());
        FinishedApplication d = new FinishedApplication(deallocated.uid(), deallocatedAt.createdAt());
        assertEquals(t(6), f.finishedAt());
        assertEquals(List.of(f, r), store.finishedBefore(t(15), 10));
        assertEquals(List.of(f, r, d), store.finishedBefore(t(1000), 10));
        assertEquals(List.of(f, r), store.finishedBefore(t(1000), 2));
        assertEquals(List.of(f), store.finishedBefore(t(10), 10), "finished before, not at, the cutoff");
        assertEquals(List.of(), store.finishedBefore(t(6), 10));
        assertEquals(List.of(), store.finishedBefore(t(1000), 0));

        store = reopenStore(store);
        assertEquals(List.of(f, r, d), store.finishedBefore(t(1000), 10), "the finish time is stored");
    }

    @Test
    void finishedApplicationWhoseResourceRowRemainsIsLeftOutUntilItsNodeReleasesIt() {
        Application app = createApp("alice", t(1));
        walk(app, t(2), ELECTED, ALLOCATED, DEALLOCATE);
        Resource held = resource(app, UUID.randomUUID(), "10.0.0.1", t(2), null);
        store.createResource(held);
        ApplicationState failed = state(app, ERROR, t(9), "Unable to deallocate the resource");
        assertTrue(store.transition(app.uid(), DEALLOCATE, failed));

        assertEquals(List.of(), store.finishedBefore(t(100), 10));
        assertTrue(store.deleteResource(held.uid()));
        assertEquals(List.of(new FinishedApplication(app.uid(), t(9))), store.finishedBefore(t(100), 10));
    }

    @Test
    void deleteApplicationHistoryRemovesTheApplicationAndWhatHangsOffItOnce() {
        UUID node = UUID.randomUUID();
        Application gone = createApp("alice", t(1));
        store.createTask(task(gone, "snapshot", DEALLOCATE, t(2), "{}"));
        assertTrue(store.addVote(vote(gone.uid(), node, 1, t(2), 1)));
        store.createLocation(new Location("eu", t(1), ""));
        store.createServiceMapping(mapping("pypi", "eu", gone.uid(), t(2)));
        walk(gone, t(3), ELECTED, ALLOCATED, DEALLOCATE, DEALLOCATED);
        Application kept = createApp("bob", t(2));
        ApplicationTask keptTask = task(kept, "snapshot", ALLOCATED, t(3), "{}");
        store.createTask(keptTask);
        Vote keptVote = vote(kept.uid(), node, 1, t(3), 1);
        assertTrue(store.addVote(keptVote));
        ServiceMapping keptMapping = mapping("pypi", "eu", kept.uid(), t(3));
        store.createServiceMapping(keptMapping);
        List<ApplicationState> keptStates = store.states(kept.uid());

        assertTrue(store.deleteApplicationHistory(gone.uid()));

        assertEquals(Optional.empty(), store.application(gone.uid()));
        assertEquals(Optional.empty(), store.currentState(gone.uid()));
        assertEquals(List.of(), store.states(gone.uid()));
        assertEquals(List.of(), store.tasks(gone.uid(), Filter.ALL));
        assertEquals(List.of(), store.votes(Filter.eq("application_uid", gone.uid().toString())));
        assertEquals(List.of(), store.serviceMappings(Filter.eq("application_uid", gone.uid().toString())));
        assertEquals(List.of(), store.finishedBefore(t(1000), 10));
        assertEquals(List.of(kept), store.applications(Filter.ALL));
        // The unique keys went with the rows.
        assertTrue(store.addVote(vote(gone.uid(), node, 1, t(20), 1)));
        store.createServiceMapping(mapping("pypi", "eu", gone.uid(), t(20)));

        assertFalse(store.deleteApplicationHistory(gone.uid()), "a second delete");
        assertEquals(keptStates, store.states(kept.uid()));
        assertEquals(List.of(keptTask), store.tasks(kept.uid(), Filter.ALL));
        assertEquals(List.of(keptVote), store.votes(Filter.eq("application_uid", kept.uid().toString())));
        assertEquals(List.of(keptMapping), store.serviceMappings(Filter.eq("application_uid", kept.uid().toString())));
        assertEquals(List.of(new Location("eu", t(1), "")), store.locations(Filter.ALL));
    }

    @Test
    void deleteApplicationHistoryOfAnApplicationNotFinishedChangesNothing() {
        Application fresh = createApp("alice", t(1));
        Application allocated = createApp("alice", t(2));
        walk(allocated, t(3), ELECTED, ALLOCATED);
        Application deallocating = createApp("alice", t(3));
        walk(deallocating, t(4), ELECTED, ALLOCATED, DEALLOCATE);
        Resource resource = resource(deallocating, UUID.randomUUID(), "10.0.0.2", t(4), null);
        store.createResource(resource);

        for (Application app : List.of(fresh, allocated, deallocating)) {
            List<ApplicationState> states = store.states(app.uid());
            assertFalse(store.deleteApplicationHistory(app.uid()), "status " + states.get(states.size() - 1).status());
            assertEquals(app, store.application(app.uid()).orElseThrow());
            assertEquals(states, store.states(app.uid()));
            assertEquals(states.get(states.size() - 1), store.currentState(app.uid()).orElseThrow());
        }
        assertEquals(Optional.of(resource), store.resourceOfApplication(deallocating.uid()));
        assertFalse(store.deleteApplicationHistory(UUID.randomUUID()));
    }

    @Test
    void deleteApplicationHistoryLeavesAResourceRowToItsNode() {
        Application app = createApp("alice", t(1));
        walk(app, t(2), ELECTED, RECALLED);
        // An allocation that finished after the application was recalled: its node releases the resource.
        Resource late = resource(app, UUID.randomUUID(), "10.0.0.3", t(9), null);
        store.createResource(late);

        assertTrue(store.deleteApplicationHistory(app.uid()));

        assertEquals(Optional.empty(), store.application(app.uid()));
        assertEquals(Optional.of(late), store.resource(late.uid()));
    }

    @Test
    void concurrentDeletesOfOneApplicationHaveOneWinner() throws Exception {
        Application app = createApp("alice", t(1));
        store.createTask(task(app, "snapshot", DEALLOCATE, t(2), "{}"));
        walk(app, t(3), ELECTED, ERROR);

        List<Boolean> results = race(RACERS, i -> store.deleteApplicationHistory(app.uid()));

        assertEquals(1, results.stream().filter(r -> r).count());
        assertEquals(Optional.empty(), store.application(app.uid()));
        assertEquals(List.of(), store.states(app.uid()));
        assertEquals(List.of(), store.tasks(app.uid(), Filter.ALL));
    }

    // ======== fixtures ========

    protected static PasswordHash argon(String salt, byte seed) {
        byte[] hash = new byte[32];
        for (int i = 0; i < hash.length; i++) {
            hash[i] = (byte) (seed * 31 + i * 7 - 128);
        }
        return new PasswordHash("Argon2id", 65536, 1, 8, salt.getBytes(StandardCharsets.UTF_8), hash);
    }

    protected static User user(String name, Instant createdAt, PasswordHash hash) {
        return new User(name, createdAt, createdAt.plusSeconds(1), hash);
    }

    protected static Node node(String name, String location, Instant createdAt, String definition) {
        return new Node(UUID.randomUUID(), createdAt, createdAt.plusSeconds(5), name, new RawJson(definition),
                location, "127.0.0.1:8001", "pubkey-of-" + name);
    }

    protected static Label label(String name, int version, Instant createdAt) {
        Resources resources = new Resources(1, 2, null, null, null, false, false, false, null);
        return new Label(UUID.randomUUID(), createdAt, name, version,
                List.of(new LabelDefinition("test", resources, null, null)), null);
    }

    /** A label using every field: ordered disks, raw options with odd spacing, with and without authentication. */
    protected static Label richLabel(String name, int version, Instant createdAt) {
        Map<String, ResourcesDisk> disks = new LinkedHashMap<>();
        disks.put("zz-first", new ResourcesDisk("hfs+", "Data", 100, true, "snap-1"));
        disks.put("aa-second", new ResourcesDisk("exfat", "", 5, false, null));
        Resources full = new Resources(4, 8, disks, "nat", List.of("OS:darwin", "Arch:*"), true, true, false, "2h");
        Resources minimal = new Resources(1, 2, null, null, null, false, false, true, "-1s");
        LabelDefinition first = new LabelDefinition("vmx/big",
                full, new RawJson("{ \"image\" : \"macos-1015\",\"images\":[{\"url\":\"https://x\", \"sum\":\"sha256:00\"}],"
                + "\"n\": 1.50, \"u\":\"\u00fc\\u00e9\" }"),
                new Authentication("admin", "hunter2", "ssh-ed25519 AAAA", 22));
        LabelDefinition second = new LabelDefinition("test", minimal, null, null);
        return new Label(UUID.randomUUID(), createdAt, name, version, List.of(first, second),
                new RawJson("{\"z\": 1,  \"a\": {\"nested\": [true, null]}}"));
    }

    protected static Application application(String owner, Instant createdAt, String metadata) {
        return new Application(UUID.randomUUID(), createdAt, owner, UUID.randomUUID(), new RawJson(metadata));
    }

    protected static ApplicationState state(Application app, ApplicationStatus status, Instant at, String description) {
        return new ApplicationState(UUID.randomUUID(), at, app.uid(), status, description);
    }

    /** An ELECTED state as the election writes it: the node's name for clients, its UID for the nodes. */
    protected static ApplicationState elected(Application app, Instant at, String nodeName, UUID nodeUid) {
        return new ApplicationState(UUID.randomUUID(), at, app.uid(), ELECTED, "Elected node: " + nodeName, nodeUid);
    }

    /** Creates an application in status NEW. */
    protected Application createApp(String owner, Instant createdAt) {
        Application app = application(owner, createdAt, "{}");
        store.createApplication(app, state(app, NEW, createdAt, ""));
        return app;
    }

    protected static ApplicationTask task(Application app, String name, ApplicationStatus when, Instant at,
                                          String options) {
        return new ApplicationTask(UUID.randomUUID(), at, at, app.uid(), name, when, new RawJson(options), null);
    }

    protected static Resource resource(Application app, UUID nodeUid, String ip, Instant at, Authentication auth) {
        return new Resource(UUID.randomUUID(), at, at, app.uid(), nodeUid, app.labelUid(), 1, "test-abc123", ip,
                "00:11:22:33:44:55", new RawJson("{ \"JENKINS_AGENT_NAME\" : \"agent-1\" }"), auth);
    }

    /** The votes of one election round, as the REST API's {@code filter=} would ask for them. */
    protected static Filter roundOf(UUID app, int round) {
        return Filter.eq("application_uid", app.toString()).and(Filter.eq("round", (long) round));
    }

    protected static Vote vote(UUID app, UUID node, int round, Instant at, int available) {
        return new Vote(UUID.randomUUID(), at, app, node, round, available, at.getNano() + 31L * available);
    }

    protected static ServiceMapping mapping(String service, String location, UUID app, Instant at) {
        return new ServiceMapping(UUID.randomUUID(), at, service, "https://mirror.local/" + service, location, app);
    }

    protected static FishException assertConflict(Executable write) {
        FishException e = assertThrows(FishException.class, write);
        assertEquals(FishException.Kind.CONFLICT, e.kind());
        return e;
    }

    protected static void assertJsonBytes(RawJson expected, RawJson actual) {
        assertArrayEquals(expected.json().getBytes(StandardCharsets.UTF_8), actual.json().getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code action(i)} on {@code threads} threads released at the same moment; results in thread order. */
    protected static <T> List<T> race(int threads, IntFunction<T> action) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    go.await();
                    return action.apply(n);
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
