package io.aquarium.fish.core.health;

import io.aquarium.fish.core.cluster.MembershipState;
import io.aquarium.fish.core.cluster.MembershipView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a node is ready to serve, decided on a snapshot alone: its store is open, it has quorum
 * (in a cluster) and at least one driver is available. Each check reads {@code UP} or
 * {@code DOWN: <why>}; the node is ready when every check is up.
 */
public final class Readiness {
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    private Readiness() {
    }

    /**
     * What the decision reads.
     *
     * @param storeOpen  whether the node's store is open
     * @param membership the store's membership view
     * @param drivers    the names of the available driver instances
     */
    public record Snapshot(boolean storeOpen, MembershipView membership, List<String> drivers) {
        public Snapshot {
            Objects.requireNonNull(membership, "membership");
            drivers = List.copyOf(drivers);
        }
    }

    /** The decision: {@code up} and each check by name ({@code store}, {@code quorum}, {@code drivers}), in that order. */
    public record Report(boolean up, Map<String, String> checks) {
        public Report {
            checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }

        public String status() {
            return up ? UP : DOWN;
        }
    }

    public static Report decide(Snapshot s) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("store", s.storeOpen() ? UP : DOWN + ": the store is closed");
        checks.put("quorum", quorum(s.membership()));
        checks.put("drivers", s.drivers().isEmpty() ? DOWN + ": no driver is available" : UP);
        boolean up = checks.values().stream().allMatch(UP::equals);
        return new Report(up, checks);
    }

    private static String quorum(MembershipView m) {
        if (m.state() == MembershipState.STANDALONE || m.hasQuorum()) {
            return UP;
        }
        String why = m.present() + " of " + m.expected() + " nodes visible, " + m.needed() + " needed";
        if (m.state() != MembershipState.MINORITY) {
            why += " (" + m.state().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        return DOWN + ": " + why;
    }
}
