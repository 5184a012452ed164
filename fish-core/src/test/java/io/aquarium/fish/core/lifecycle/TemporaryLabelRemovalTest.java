package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.service.ApplicationService;
import io.aquarium.fish.core.service.LabelService;
import io.aquarium.fish.core.store.h2.H2Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expired temporary labels: the pure decision, and the whole path over a real H2 store with services
 * whose clocks stand at chosen instants (one set of services per instant, all on the same store).
 */
class TemporaryLabelRemovalTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant LATER = T0.plus(Duration.ofHours(2));
    private static final User ADMIN = new User(User.ADMIN, T0, T0, null);
    private static final User JENKINS = new User("jenkins", T0, T0, null);
    private static final User BOB = new User("bob", T0, T0, null);
    private static final Resources RESOURCES = new Resources(1, 1, null, null, null, false, false, false, null);

    @TempDir
    Path dir;
    H2Store store;
    EventBus events;
    final List<FishEvent> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = H2Store.open(dir);
        events = new EventBus();
        events.subscribe(published::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Label label(String name, int version, Instant removeAt) {
        return new Label(UUID.randomUUID(), T0, name, version, List.of(new LabelDefinition("test", RESOURCES, null,
                null)), null, "jenkins", List.of("jenkins"), removeAt);
    }

    @Test
    void dueAreExpiredLabelsNoApplicationInUseRefersTo() {
        Label expired = label("expired", 0, T0.minusSeconds(1));
        Label expiresNow = label("now", 0, T0);
        Label inUse = label("used", 0, T0.minusSeconds(60));
        Label future = label("future", 0, T0.plusSeconds(1));
        Label permanent = label("permanent", 1, null);

        assertEquals(List.of(expired, expiresNow), TemporaryLabelRemoval.due(
                List.of(expired, expiresNow, inUse, future, permanent), Set.of(inUse.uid()), T0));
        assertEquals(List.of(), TemporaryLabelRemoval.due(List.of(future, permanent), Set.of(), T0));
    }

    private LabelService labels(Instant at) {
        return new LabelService(store, uids(), new MonotonicClock(Clock.fixed(at, ZoneOffset.UTC)), events,
                new LabelService.RemoveAtWindow(Duration.ofSeconds(30), Duration.ofHours(72)));
    }

    private ApplicationService applications(Instant at) {
        MonotonicClock clock = new MonotonicClock(Clock.fixed(at, ZoneOffset.UTC));
        return new ApplicationService(store, uids(), clock, events,
                new ApplicationStateMachine(store, uids(), clock, events));
    }

    private static UidGenerator uids() {
        return new UidGenerator(UUID.randomUUID(), new SecureRandom());
    }

    private Label createTemporary(String name) {
        return labels(T0).create(JENKINS, new LabelService.NewLabel(name, 0,
                List.of(new LabelDefinition("test", RESOURCES, null, null)), RawJson.EMPTY_OBJECT,
                List.of("jenkins"), T0.plus(Duration.ofHours(1))));
    }

    @Test
    void anExpiredLabelServesNoNewApplicationAndGoesOnceItsApplicationsAreOver() {
        Label tmp = createTemporary("tmp");
        assertEquals("jenkins", tmp.ownerName());
        Application running = applications(T0).create(JENKINS, tmp.uid(), RawJson.EMPTY_OBJECT);

        FishException expired = assertThrows(FishException.class,
                () -> applications(LATER).create(JENKINS, tmp.uid(), RawJson.EMPTY_OBJECT));
        assertEquals(FishException.Kind.BAD_REQUEST, expired.kind());
        assertTrue(expired.getMessage().contains("expired at " + tmp.removeAt()), expired.getMessage());

        TemporaryLabelRemoval job = new TemporaryLabelRemoval(store, Clock.fixed(LATER, ZoneOffset.UTC), events);
        TemporaryLabelRemoval otherNode = new TemporaryLabelRemoval(store, Clock.fixed(LATER, ZoneOffset.UTC),
                events);
        assertEquals(List.of(), job.removeDue(), "its application is still NEW");
        assertTrue(store.label(tmp.uid()).isPresent());

        applications(LATER).deallocate(JENKINS, running.uid());
        assertEquals(ApplicationStatus.RECALLED, store.currentState(running.uid()).orElseThrow().status());
        published.clear();
        assertEquals(List.of(tmp), job.removeDue());
        assertEquals(List.of(new FishEvent.LabelRemoved(tmp)), published);
        assertTrue(store.label(tmp.uid()).isEmpty());
        // Another node running the same pass (or the next pass) finds nothing and announces nothing.
        assertEquals(List.of(), otherNode.removeDue());
        assertEquals(1, published.size());
    }

    @Test
    void aLabelNotYetExpiredStays() {
        Label tmp = createTemporary("young");
        assertEquals(List.of(), new TemporaryLabelRemoval(store, Clock.fixed(T0.plus(Duration.ofMinutes(59)),
                ZoneOffset.UTC), events).removeDue());
        assertEquals(List.of(tmp), store.labels(Filter.ALL));
    }

    @Test
    void usersSeeListAndDeleteOnlyWhatTheRulesAllow() {
        Label tmp = createTemporary("mine");
        Label everyone = labels(T0.plusSeconds(1)).create(ADMIN, new LabelService.NewLabel("shared", 1,
                List.of(new LabelDefinition("test", RESOURCES, null, null)), RawJson.EMPTY_OBJECT));
        LabelService service = labels(T0);

        assertEquals(List.of(tmp.uid(), everyone.uid()), uids(service.list(JENKINS, Filter.ALL)));
        assertEquals(List.of(tmp.uid(), everyone.uid()), uids(service.list(ADMIN, Filter.ALL)));
        assertEquals(List.of(everyone.uid()), uids(service.list(BOB, Filter.ALL)));
        assertEquals(FishException.Kind.NOT_FOUND,
                assertThrows(FishException.class, () -> service.get(BOB, tmp.uid())).kind());
        assertEquals(tmp.uid(), service.get(JENKINS, tmp.uid()).uid());
        // Bob can't use (or learn about) a label he does not see.
        assertThrows(FishException.class, () -> applications(T0).create(BOB, tmp.uid(), RawJson.EMPTY_OBJECT));

        assertEquals(FishException.Kind.CONFLICT, assertThrows(FishException.class,
                () -> createTemporary("mine")).kind(), "(name, version 0) is unique too");
        assertEquals(FishException.Kind.NOT_FOUND,
                assertThrows(FishException.class, () -> service.delete(BOB, tmp.uid())).kind());
        assertEquals(FishException.Kind.FORBIDDEN,
                assertThrows(FishException.class, () -> service.delete(JENKINS, everyone.uid())).kind());
        published.clear();
        service.delete(JENKINS, tmp.uid());
        assertEquals(List.of(new FishEvent.LabelRemoved(tmp)), published);
        service.delete(ADMIN, everyone.uid());
        assertEquals(List.of(), store.labels(Filter.ALL));
    }

    private static List<UUID> uids(List<Label> labels) {
        return labels.stream().map(Label::uid).toList();
    }
}
