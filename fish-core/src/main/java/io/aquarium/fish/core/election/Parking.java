package io.aquarium.fish.core.election;

import io.aquarium.fish.core.model.ApplicationState;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * NEW applications this node looked at, found decided with no winner it could be, and cannot serve
 * now: they are not evaluated again (nor are their votes read) until something that could change the
 * answer happens. Plain data, carried from one decision to the next:
 * <ul>
 *   <li>the application's state changed (another state UID), or a vote was cast for it by another node
 *       (the loop drops its entry on the event; with votes read, their round or count differs);</li>
 *   <li>the live nodes, the topology members or this node's maintenance differ from {@link #live},
 *       {@link #members}, {@link #maintenance}: every entry goes;</li>
 *   <li>capacity was freed: an application in {@link #held} (a resource, an allocation in flight or a
 *       promised vote of this node) holds nothing any more: every entry goes;</li>
 *   <li>{@link #RECHECK_AFTER} passed since it was parked (the safety net: a driver's capacity may
 *       change without any event).</li>
 * </ul>
 */
public record Parking(Map<UUID, Parked> parked, Set<UUID> live, List<String> members, boolean maintenance,
                      Set<UUID> held) {
    public static final Duration RECHECK_AFTER = Duration.ofSeconds(60);
    public static final Parking EMPTY = new Parking(Map.of(), Set.of(), List.of(), false, Set.of());

    public Parking {
        parked = Map.copyOf(parked);
        live = Set.copyOf(live);
        members = List.copyOf(members);
        held = Set.copyOf(held);
    }

    /** One parked application: its state and current round (with how many votes) when parked, and until when. */
    public record Parked(UUID stateUid, int round, int votes, Instant until) {
    }

    /** Whether the entry for {@code state}'s application still stands on its own (same state, not expired). */
    public boolean holds(ApplicationState state, Instant now) {
        Parked p = parked.get(state.applicationUid());
        return p != null && p.stateUid().equals(state.uid()) && now.isBefore(p.until());
    }

    /** Without the entries of {@code applications} (a vote was cast for them elsewhere). */
    public Parking without(Set<UUID> applications) {
        if (applications.isEmpty()) {
            return this;
        }
        Map<UUID, Parked> rest = new HashMap<>(parked);
        rest.keySet().removeAll(applications);
        return new Parking(rest, live, members, maintenance, held);
    }
}
