package io.aquarium.fish.core.election;

import io.aquarium.fish.core.model.Vote;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VoteRuleTest {
    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
    private static final UUID APP = UUID.randomUUID();
    private static final UUID LOW_NODE = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final UUID HIGH_NODE = UUID.fromString("ffffffff-0000-4000-8000-000000000001");

    private static Vote vote(UUID node, int available, long micros, long rand) {
        return new Vote(UUID.randomUUID(), T.plusNanos(micros * 1000), APP, node, 0, available, rand);
    }

    @Test
    void rankRotatesByTheFirstIndex() {
        assertEquals(List.of(0, 1, 2), List.of(VoteRule.rank(0, 0, 3), VoteRule.rank(1, 0, 3), VoteRule.rank(2, 0, 3)));
        // A retry starting at definition 1 prefers 1, then 2, then wraps to 0.
        assertEquals(List.of(2, 0, 1), List.of(VoteRule.rank(0, 1, 3), VoteRule.rank(1, 1, 3), VoteRule.rank(2, 1, 3)));
        assertEquals(0, VoteRule.rank(2, 5, 3), "first index beyond the count wraps");
    }

    @Test
    void bestDefinitionBeatsEarlierVote() {
        Vote early = vote(LOW_NODE, 1, 0, 0);
        Vote late = vote(HIGH_NODE, 0, 500, Long.MAX_VALUE);
        assertEquals(late, VoteRule.winner(List.of(early, late), 0, 2).orElseThrow());
    }

    @Test
    void rotationChangesWhichDefinitionIsBest() {
        Vote def0 = vote(LOW_NODE, 0, 0, 0);
        Vote def1 = vote(HIGH_NODE, 1, 500, 9);
        assertEquals(def0, VoteRule.winner(List.of(def0, def1), 0, 2).orElseThrow());
        assertEquals(def1, VoteRule.winner(List.of(def0, def1), 1, 2).orElseThrow());
    }

    @Test
    void sameDefinitionEarliestVoteWins() {
        Vote early = vote(HIGH_NODE, 0, 1, 999);
        Vote late = vote(LOW_NODE, 0, 2, 1);
        assertEquals(early, VoteRule.winner(List.of(late, early), 0, 1).orElseThrow());
    }

    @Test
    void sameTimeLowestRandomWinsThenNodeUid() {
        Vote highRand = vote(LOW_NODE, 0, 7, 20);
        Vote lowRand = vote(HIGH_NODE, 0, 7, 10);
        assertEquals(lowRand, VoteRule.winner(List.of(highRand, lowRand), 0, 1).orElseThrow());

        // Last resort: UUID's natural order (signed, but the same on every JVM node).
        Vote a = vote(LOW_NODE, 0, 7, 10);
        Vote b = vote(HIGH_NODE, 0, 7, 10);
        Vote expected = LOW_NODE.compareTo(HIGH_NODE) < 0 ? a : b;
        assertEquals(expected, VoteRule.winner(List.of(a, b), 0, 1).orElseThrow());
        assertEquals(expected, VoteRule.winner(List.of(b, a), 0, 1).orElseThrow());
    }

    @Test
    void noVotesOrOnlyNoVotesHaveNoWinner() {
        assertTrue(VoteRule.winner(List.of(), 0, 2).isEmpty());
        assertTrue(VoteRule.winner(List.of(vote(LOW_NODE, -1, 0, 0), vote(HIGH_NODE, -1, 1, 0)), 0, 2).isEmpty());
        Vote yes = vote(HIGH_NODE, 1, 9, 9);
        assertEquals(yes, VoteRule.winner(List.of(vote(LOW_NODE, -1, 0, 0), yes), 0, 2).orElseThrow(),
                "a no vote never wins, however early");
    }

    @Test
    void everyNodeComputesTheSameWinnerWhateverOrderItReadTheVotesIn() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            List<Vote> votes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                votes.add(new Vote(UUID.randomUUID(), T.plusNanos(1000L * random.nextInt(3)), APP, UUID.randomUUID(),
                        0, random.nextInt(4) - 1, random.nextInt(3)));
            }
            int first = random.nextInt(3);
            var expected = VoteRule.winner(votes, first, 3);
            for (int shuffle = 0; shuffle < 5; shuffle++) {
                Collections.shuffle(votes, random);
                assertEquals(expected, VoteRule.winner(votes, first, 3));
            }
        }
    }
}
