package io.aquarium.fish.core.runtime;

import io.aquarium.fish.core.auth.MetaTokens;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.election.ElectionPass;
import io.aquarium.fish.core.election.ElectionTimings;
import io.aquarium.fish.core.election.Eligibility;
import io.aquarium.fish.core.events.EventBus;
import io.aquarium.fish.core.lifecycle.Allocator;
import io.aquarium.fish.core.lifecycle.ApplicationStateMachine;
import io.aquarium.fish.core.lifecycle.LifetimePolicy;
import io.aquarium.fish.core.lifecycle.TaskRunner;
import io.aquarium.fish.core.metrics.FishMetrics;
import io.aquarium.fish.core.node.Maintenance;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.node.NodeIdentity;
import io.aquarium.fish.core.node.UidGenerator;
import io.aquarium.fish.core.store.FishStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The allocating half of a node (state machine, allocator, election pass), wired in one place for
 * {@link FishNode} and for the election tests' simulated nodes, so a test runs the same wiring as a
 * node and never a hand copy of it.
 *
 * @param machine   every state append goes through it (the API's application service uses it too)
 * @param allocator runs driver work on {@code driverWork} and records its outcome
 * @param pass      one election pass; a loop (or a test) runs it
 */
public record AllocationParts(ApplicationStateMachine machine, Allocator allocator, ElectionPass pass) {

    /**
     * What the parts are made of.
     *
     * @param drivers         this node's drivers by name
     * @param identifiers     this node's identifiers, matched by a label's node filter
     * @param allocationRetry allocation attempts per application on this node
     * @param driverWork      where driver calls run (a thread pool; a queue a test drains)
     * @param random          the votes' tie-breaker
     * @param metrics         where allocation outcomes are counted ({@link FishMetrics#NOOP} in tests)
     */
    public record Inputs(FishStore store, Function<String, Optional<Driver>> drivers, NodeIdentity identity,
                         UidGenerator uids, MonotonicClock clock, EventBus events, Maintenance maintenance,
                         List<String> identifiers, int allocationRetry, Executor driverWork, MetaTokens metaTokens,
                         LifetimePolicy lifetimes, ElectionTimings timings, RandomGenerator random,
                         FishMetrics metrics) {
        /** Without metrics (simulated nodes). */
        public Inputs(FishStore store, Function<String, Optional<Driver>> drivers, NodeIdentity identity,
                      UidGenerator uids, MonotonicClock clock, EventBus events, Maintenance maintenance,
                      List<String> identifiers, int allocationRetry, Executor driverWork, MetaTokens metaTokens,
                      LifetimePolicy lifetimes, ElectionTimings timings, RandomGenerator random) {
            this(store, drivers, identity, uids, clock, events, maintenance, identifiers, allocationRetry, driverWork,
                    metaTokens, lifetimes, timings, random, FishMetrics.NOOP);
        }
    }

    public static AllocationParts assemble(Inputs in) {
        ApplicationStateMachine machine = new ApplicationStateMachine(in.store(), in.uids(), in.clock(), in.events());
        Allocator allocator = new Allocator(in.store(), in.drivers(), machine, new TaskRunner(in.store(), in.clock()),
                in.identity(), in.uids(), in.clock(), in.allocationRetry(), in.driverWork(), in.events(),
                in.metaTokens(), in.metrics());
        Eligibility eligibility = new Eligibility(in.drivers(), in.identifiers());
        ElectionPass pass = new ElectionPass(in.store(), in.drivers(), eligibility, allocator, machine, in.identity(),
                in.uids(), in.clock(), in.maintenance(), in.lifetimes(), in.timings(), in.random());
        return new AllocationParts(machine, allocator, pass);
    }
}
