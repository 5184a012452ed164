package io.aquarium.fish.core.election;

import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.model.Vote;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the store (and this node's allocator) said at the start of one election pass: everything
 * {@link ElectionDecision} looks at, read once, immutable.
 *
 * @param now               when the pass started (the wall clock)
 * @param membership        this node's place in its cluster
 * @param nodes             every node row
 * @param live              nodes with a fresh heartbeat that are in this node's topology (this node included)
 * @param states            current states of NEW, ELECTED, ALLOCATED and DEALLOCATE applications, oldest application first
 * @param votes             votes by application, for the applications in {@code votesRead} (or all, when {@code allVotes})
 * @param votesRead         applications whose votes were read (those without any are absent from {@code votes})
 * @param allVotes          whether every vote in the store was read
 * @param mine              this node's resources by application
 * @param inFlight          definitions this node's allocator is allocating now, by application
 * @param busy              applications with an allocator job queued or running on this node
 * @param applications      rows of the NEW applications to evaluate
 * @param labels            labels of those applications and of this node's resources, by label UID (a missing one is gone)
 * @param failures          allocation attempts so far of the NEW applications to evaluate
 * @param holderMissingSince since when each ELECTED holder has been missing from this node's topology
 * @param maintenance       whether this node is in maintenance
 * @param parking           what the previous pass parked
 */
public record ElectionSnapshot(Instant now, MembershipView membership, List<Node> nodes, Set<UUID> live,
                               Map<UUID, ApplicationState> states, Map<UUID, List<Vote>> votes, Set<UUID> votesRead,
                               boolean allVotes, Map<UUID, Resource> mine, Map<UUID, LabelDefinition> inFlight,
                               Set<UUID> busy, Map<UUID, Application> applications, Map<UUID, Label> labels,
                               Map<UUID, Integer> failures, Map<UUID, Instant> holderMissingSince,
                               boolean maintenance, Parking parking) {

    /** Whether the decision knows the votes of {@code application}. */
    public boolean votesKnown(UUID application) {
        return allVotes || votesRead.contains(application);
    }
}
