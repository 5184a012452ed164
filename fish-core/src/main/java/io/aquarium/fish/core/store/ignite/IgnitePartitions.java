package io.aquarium.fish.core.store.ignite;

import org.apache.ignite.Ignite;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.cache.CacheGroupContext;
import org.apache.ignite.internal.processors.cache.distributed.dht.topology.GridDhtPartitionState;
import org.apache.ignite.internal.util.typedef.internal.CU;

import java.util.UUID;

/**
 * Whether this node holds a full copy of the data: every partition of the fish cache group is
 * OWNING here. Ignite 2 has no public call for "rebalanced on this node" (cache metrics need
 * statistics on, the rebalance future is deprecated), so this reads the group's partition
 * topology through Ignite's internal API, pinned by {@code RelMetadataQueryExTest}'s version check.
 */
final class IgnitePartitions {
    private IgnitePartitions() {
    }

    static boolean ownsAll(Ignite ignite) {
        CacheGroupContext group = ((IgniteEx) ignite).context().cache()
                .cacheGroup(CU.cacheId(IgniteNodeConfiguration.CACHE_GROUP));
        if (group == null) {
            return false;
        }
        UUID local = ignite.cluster().localNode().id();
        for (int p = 0; p < IgniteNodeConfiguration.PARTITIONS; p++) {
            if (group.topology().partitionState(local, p) != GridDhtPartitionState.OWNING) {
                return false;
            }
        }
        return true;
    }
}
