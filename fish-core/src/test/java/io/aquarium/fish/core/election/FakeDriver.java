package io.aquarium.fish.core.election;

import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverTask;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A driver double: capacity counted in resources, allocations that can be made to fail, a call
 * log, and tasks. It also enforces its capacity on allocate, so an election that over-promises
 * shows up as a failed allocation and in {@link #maxLive()}.
 */
final class FakeDriver implements Driver {
    private final String name;
    private volatile int capacity = Integer.MAX_VALUE;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean alwaysFail;
    private volatile boolean failDeallocate;
    private final AtomicInteger allocateCalls = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxLive = new AtomicInteger();
    private final List<String> log = new ArrayList<>();
    private final List<LabelDefinition> allocated = new ArrayList<>();
    private final Map<String, DriverTask> tasks = new ConcurrentHashMap<>();

    FakeDriver(String name) {
        this.name = name;
    }

    FakeDriver capacity(int resources) {
        this.capacity = resources;
        return this;
    }

    FakeDriver failNextAllocations(int count) {
        failNext.set(count);
        return this;
    }

    FakeDriver alwaysFail(boolean fail) {
        this.alwaysFail = fail;
        return this;
    }

    FakeDriver failDeallocate(boolean fail) {
        this.failDeallocate = fail;
        return this;
    }

    FakeDriver task(String taskName, DriverTask task) {
        tasks.put(taskName, (identifier, options, status) -> {
            record("task " + taskName + " " + status + " " + identifier);
            return task.run(identifier, options, status);
        });
        return this;
    }

    int allocateCalls() {
        return allocateCalls.get();
    }

    Set<String> live() {
        return Set.copyOf(live);
    }

    int maxLive() {
        return maxLive.get();
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    synchronized List<LabelDefinition> allocatedDefinitions() {
        return List.copyOf(allocated);
    }

    private synchronized void record(String line) {
        log.add(line);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    @Override
    public void validate(LabelDefinition definition) {
    }

    @Override
    public int availableCapacity(Usage usage, LabelDefinition definition) {
        return Math.max(0, capacity - usage.count());
    }

    @Override
    public AllocatedResource allocate(AllocationRequest request) {
        LabelDefinition definition = request.definition();
        allocateCalls.incrementAndGet();
        synchronized (this) {
            allocated.add(definition);
        }
        if (alwaysFail || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            record("allocate failed");
            throw new DriverException("boom from " + name);
        }
        if (live.size() >= capacity) {
            record("allocate over capacity");
            throw new DriverException("over capacity on " + name);
        }
        String id = name + "-" + counter.incrementAndGet();
        live.add(id);
        maxLive.accumulateAndGet(live.size(), Math::max);
        record("allocate " + id);
        return new AllocatedResource(id, "10.0.0." + counter.get(), "", null);
    }

    @Override
    public Optional<DriverTask> task(String taskName) {
        return Optional.ofNullable(tasks.get(taskName));
    }

    @Override
    public void deallocate(String identifier) {
        if (failDeallocate) {
            record("deallocate failed " + identifier);
            throw new DriverException("cannot free " + identifier);
        }
        live.remove(identifier);
        record("deallocate " + identifier);
    }
}
