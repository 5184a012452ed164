package io.aquarium.fish.api.metrics;

import io.aquarium.fish.core.cluster.MembershipView;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.metrics.FishMetrics;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.runtime.FishNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The node's meters (one Prometheus registry per node, never Micrometer's global one): the JVM and
 * process families, and the {@code fish_*} ones. The core reports allocations and election passes
 * through {@link FishMetrics}; gauges read the node through {@link #bindNode} from values cached for
 * {@link #REFRESH} (held strongly: Micrometer's gauges hold theirs weakly), so a scrape costs at most one store query per refresh whatever its size.
 */
public final class FishMeters implements FishMetrics, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FishMeters.class);
    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final String CPU = "cpu";
    private static final String RAM = "ram";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Timer electionPass;
    private final Counter electionPasses;
    private final Timer allocationDuration;

    public FishMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        electionPasses = Counter.builder("fish.election.passes").description("Election passes run by this node")
                .register(registry);
        electionPass = Timer.builder("fish.election.pass.duration").description("Duration of one election pass")
                .publishPercentileHistogram().register(registry);
        allocationDuration = Timer.builder("fish.allocation.duration")
                .description("From an application's creation to ALLOCATED, for allocations made by this node")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1)).register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text format of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void allocationEnded(String driver, boolean allocated, Duration sinceCreated) {
        Counter.builder("fish.allocations").description("Allocation attempts ended on this node")
                .tag("driver", driver == null ? "" : driver).tag("result", allocated ? "allocated" : "failed")
                .register(registry).increment();
        if (allocated) {
            allocationDuration.record(sinceCreated.isNegative() ? Duration.ZERO : sinceCreated);
        }
    }

    @Override
    public void electionPass(Duration took) {
        electionPasses.increment();
        electionPass.record(took);
    }

    /** Gauges over the started node: applications by status, cluster membership, Argon2 waiting, drivers. */
    public void bindNode(FishNode node) {
        Cached<Map<ApplicationStatus, Long>> counts = new Cached<>(() -> countByStatus(node));
        for (ApplicationStatus status : ApplicationStatus.values()) {
            Gauge.builder("fish.applications", counts, c -> {
                        Map<ApplicationStatus, Long> m = c.get();
                        return m == null ? 0 : m.getOrDefault(status, 0L);
                    })
                    .description("Applications in the cluster by current status (refreshed at most every 5 s)")
                    .tag("status", status.name()).strongReference(true).register(registry);
        }
        Cached<MembershipView> membership = new Cached<>(() -> node.store().membership());
        Gauge.builder("fish.cluster.has.quorum", membership, m -> m.get() != null && m.get().hasQuorum() ? 1 : 0)
                .description("1 when this node's store has quorum (may write), else 0").strongReference(true)
                .register(registry);
        Gauge.builder("fish.cluster.nodes.visible", membership, m -> m.get() == null ? 0 : m.get().present())
                .description("Expected cluster members this node sees (itself included)").strongReference(true)
                .register(registry);
        Gauge.builder("fish.auth.argon2.waiting", node.hashPermits(), p -> p.waiting())
                .description("Password hashes waiting for Argon2 memory").strongReference(true)
                .register(registry);
        bindDrivers(node);
    }

    /**
     * {@code fish_driver_capacity} (what each driver hands out at most, for the resources it limits) and
     * {@code fish_driver_used} (the CPU and RAM of this node's resources of each driver, as their label
     * definitions ask), both tagged {@code driver} and {@code resource} ({@code cpu}, {@code ram}).
     */
    private void bindDrivers(FishNode node) {
        Map<UUID, Label> labels = new ConcurrentHashMap<>(); // labels are immutable: read each once
        Cached<Map<String, Map<String, Long>>> used = new Cached<>(() -> usedByDriver(node, labels));
        for (Driver driver : node.drivers()) {
            driver.totals().forEach((resource, total) ->
                    Gauge.builder("fish.driver.capacity", () -> total)
                            .description("What the driver hands out at most (cpu: vCPUs, ram: GB), overbooking aside")
                            .tag("driver", driver.name()).tag("resource", resource).strongReference(true)
                            .register(registry));
            for (String resource : List.of(CPU, RAM)) {
                Gauge.builder("fish.driver.used", used, u -> {
                            Map<String, Map<String, Long>> m = u.get();
                            return m == null ? 0 : m.getOrDefault(driver.name(), Map.of()).getOrDefault(resource, 0L);
                        })
                        .description("CPU (vCPUs) and RAM (GB) of this node's resources of the driver, as their "
                                + "label definitions ask (refreshed at most every 5 s)")
                        .tag("driver", driver.name()).tag("resource", resource).strongReference(true)
                        .register(registry);
            }
        }
    }

    private static Map<String, Map<String, Long>> usedByDriver(FishNode node, Map<UUID, Label> labels) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (Resource r : node.store().resourcesOfNode(node.identity().uid())) {
            Label label = labels.get(r.labelUid());
            if (label == null) {
                label = node.store().label(r.labelUid()).orElse(null);
                if (label == null) {
                    continue;
                }
                labels.put(label.uid(), label);
            }
            LabelDefinition d = label.definition(r.definitionIndex()).orElse(null);
            if (d == null) {
                continue;
            }
            Map<String, Long> sums = out.computeIfAbsent(d.driver(), k -> new HashMap<>());
            sums.merge(CPU, (long) d.resources().cpu(), Long::sum);
            sums.merge(RAM, (long) d.resources().ram(), Long::sum);
        }
        return out;
    }

    private static Map<ApplicationStatus, Long> countByStatus(FishNode node) {
        Map<ApplicationStatus, Long> out = new EnumMap<>(ApplicationStatus.class);
        for (ApplicationState s : node.store().currentStates(EnumSet.allOf(ApplicationStatus.class))) {
            out.merge(s.status(), 1L, Long::sum);
        }
        return out;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** A value read at most once per {@link #REFRESH}; the last one (or null) while the source fails. */
    static final class Cached<T> {
        private final Supplier<T> source;
        private T value;
        private long readAt;
        private boolean read;

        Cached(Supplier<T> source) {
            this.source = source;
        }

        synchronized T get() {
            long now = System.nanoTime();
            if (!read || now - readAt >= REFRESH.toNanos()) {
                read = true;
                readAt = now;
                try {
                    value = source.get();
                } catch (RuntimeException e) {
                    LOG.debug("Metric source failed: {}", e.getMessage());
                }
            }
            return value;
        }
    }
}
