package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.cluster.QuorumRule;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.TopologyValidator;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes every fish cache refuse updates in a topology that does not hold a quorum of the expected
 * members (the baseline), so no code path can write on the minority side of a split: Ignite checks
 * it at every topology change, on every node, and refuses puts, removes and transactional locks
 * while it fails (reads still work). The rule is the node's own ({@link IgniteNodeConfiguration#QUORUM_ATTRIBUTE},
 * from {@code cluster_quorum}); the baseline only changes from a topology with quorum
 * ({@link io.aquarium.fish.core.cluster.BaselinePlan}), so a minority can never shrink it.
 */
final class QuorumValidator implements TopologyValidator {
    private static final long serialVersionUID = 1L;

    @IgniteInstanceResource
    private transient Ignite ignite;

    @Override
    public boolean validate(Collection<ClusterNode> nodes) {
        Collection<BaselineNode> baseline = ignite.cluster().currentBaselineTopology();
        if (baseline == null) {
            return true; // not activated yet: caches cannot be written anyway
        }
        Set<String> expected = baseline.stream().map(n -> String.valueOf(n.consistentId())).collect(Collectors.toSet());
        List<String> present = nodes.stream().filter(n -> !n.isClient()).map(n -> String.valueOf(n.consistentId()))
                .toList();
        return rule(ignite.cluster().localNode()).holds(expected, present);
    }

    static QuorumRule rule(ClusterNode local) {
        Object fixed = local.attribute(IgniteNodeConfiguration.QUORUM_ATTRIBUTE);
        return new QuorumRule(fixed == null || fixed.toString().isEmpty() ? null : Integer.valueOf(fixed.toString()));
    }
}
