package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.h2.H2Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.aquarium.fish.core.model.ApplicationStatus.ALLOCATED;
import static io.aquarium.fish.core.model.ApplicationStatus.ELECTED;
import static io.aquarium.fish.core.model.ApplicationStatus.NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The machine builds every state record, the first NEW included, over a real H2 store. */
class ApplicationStateMachineTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;
    H2Store store;
    final List<FishEvent> published = new CopyOnWriteArrayList<>();
    ApplicationStateMachine machine;
    UidGenerator uids = new UidGenerator(UUID.randomUUID(), new SecureRandom());

    @BeforeEach
    void open() {
        store = H2Store.open(dir);
        EventBus events = new EventBus();
        events.subscribe(published::add);
        machine = new ApplicationStateMachine(store, uids, new MonotonicClock(Clock.fixed(T0, ZoneOffset.UTC)),
                events);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Application newApplication() {
        Resources resources = new Resources(1, 1, null, null, null, false, false, false, null);
        Label label = new Label(UUID.randomUUID(), T0, "l", 1,
                List.of(new LabelDefinition("test", resources, null, null)), null, null, List.of(), null);
        store.createLabel(label);
        return new Application(uids.next(), T0, "admin", label.uid(), RawJson.EMPTY_OBJECT);
    }

    @Test
    void createWritesTheApplicationWithItsFirstStateNewAndAnnouncesIt() {
        Application app = newApplication();
        ApplicationState initial = machine.create(app);

        assertEquals(NEW, initial.status());
        assertEquals("Created", initial.description());
        assertEquals(app.createdAt(), initial.createdAt());
        assertEquals(app.uid(), initial.applicationUid());
        assertEquals(List.of(initial), store.states(app.uid()));
        assertEquals(List.of(new FishEvent.ApplicationChanged(app.uid(), NEW)), published);
    }

    @Test
    void movesAppendAfterTheFirstStateAndOnlyFromTheExpectedStatus() {
        Application app = newApplication();
        machine.create(app);

        assertTrue(machine.move(app.uid(), NEW, ELECTED, "Elected"));
        assertFalse(machine.move(app.uid(), NEW, ELECTED, "Elected again"));
        assertEquals(List.of(NEW, ELECTED), store.states(app.uid()).stream().map(ApplicationState::status).toList());
        assertThrows(IllegalArgumentException.class, () -> machine.move(app.uid(), NEW, ALLOCATED, "skip"));
    }
}
