package io.aquarium.fish.core.store.ignite;

import org.apache.calcite.plan.RelOptPlanner;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cache.query.QueryCancelledException;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.junit.jupiter.api.Test;

import javax.cache.CacheException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which SQL read failures the Ignite store retries: the ones a second try can cure. */
class TransientFailureTest {
    @Test
    void aQueryCancelledByThePlannersTimeLimitIsRetried() {
        // As seen at a node's start on a busy machine: the planner gave up, Ignite cancelled the query.
        CacheException seen = new CacheException(new IgniteException("Unexpected error at query optimizer",
                new QueryCancelledException()));
        assertTrue(IgniteStore.transientFailure(seen).contains("cancelled"));
        assertNotNull(IgniteStore.transientFailure(new IgniteException(
                new RelOptPlanner.CannotPlanException("Volcano planning times out"))));
    }

    @Test
    void aTopologyChangeIsRetried() {
        assertNotNull(IgniteStore.transientFailure(new CacheException(new ClusterTopologyException("node left"))));
    }

    @Test
    void otherFailuresAreNot() {
        assertNull(IgniteStore.transientFailure(new CacheException(new ClassCastException("'abc' to INTEGER"))));
        assertNull(IgniteStore.transientFailure(new IgniteException("Failed to parse query")));
    }
}
