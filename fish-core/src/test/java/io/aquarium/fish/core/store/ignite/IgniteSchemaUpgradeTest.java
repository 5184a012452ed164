package io.aquarium.fish.core.store.ignite;

import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.store.DefinitionsCodec;
import io.aquarium.fish.core.store.FinishedApplication;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.QueryIndex;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store whose caches an earlier version created (no application_current.finished_at, no index on
 * service_mappings.application_uid) gets them when it is opened, and its finished applications their
 * finish time, so history retention finds them.
 */
class IgniteSchemaUpgradeTest {
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00.123456Z");
    private Path workDir;
    private Ignite ignite;

    @AfterEach
    void stop() {
        if (ignite != null) {
            ignite.close();
        }
        IgniteTestNodes.deleteRecursively(workDir);
    }

    @Test
    void anEarlierSchemaGetsTheFinishTimeColumnAndItsValues() throws IOException {
        workDir = Files.createTempDirectory("fish-ignite-upgrade");
        int port = IgniteTestNodes.freePort();
        ignite = Ignition.start(IgniteNodeConfiguration.node(
                IgniteTestNodes.config(workDir, "fish-upgrade-test", false, port, List.of(port))));
        ignite.cluster().state(ClusterState.ACTIVE);
        ignite.getOrCreateCaches(earlierCaches());
        // What the earlier version wrote: a current-status entry with no finished_at field at all.
        IgniteRows rows = new IgniteRows(ignite.binary(), new DefinitionsCodec());
        Application app = new Application(UUID.randomUUID(), T0, "alice", UUID.randomUUID(), new RawJson("{}"));
        ApplicationState recalled = new ApplicationState(UUID.randomUUID(), T0.plusSeconds(5), app.uid(),
                ApplicationStatus.RECALLED, "");
        BinaryObject entry = rows.current(app, recalled).toBuilder().removeField("finished_at").build();
        ignite.<String, BinaryObject>cache(IgniteTable.APPLICATION_CURRENT.cacheName()).withKeepBinary()
                .put(app.uid().toString(), entry);
        Application active = new Application(UUID.randomUUID(), T0, "alice", UUID.randomUUID(), new RawJson("{}"));
        ignite.<String, BinaryObject>cache(IgniteTable.APPLICATION_CURRENT.cacheName()).withKeepBinary()
                .put(active.uid().toString(), rows.current(active, new ApplicationState(UUID.randomUUID(), T0,
                        active.uid(), ApplicationStatus.NEW, "")).toBuilder().removeField("finished_at").build());

        try (IgniteStore store = IgniteStore.wrap(ignite)) {
            assertEquals(List.of(new FinishedApplication(app.uid(), recalled.createdAt())),
                    store.finishedBefore(T0.plusSeconds(60), 10));
            assertTrue(store.deleteApplicationHistory(app.uid()));
        }
        // Opening again finds everything in place and changes nothing.
        try (IgniteStore store = IgniteStore.wrap(ignite)) {
            assertEquals(List.of(), store.finishedBefore(T0.plusSeconds(60), 10));
        }
    }

    /** The cache configurations as the version before history retention declared them. */
    @SuppressWarnings("rawtypes")
    private static List<CacheConfiguration> earlierCaches() {
        List<CacheConfiguration> caches = new ArrayList<>();
        for (CacheConfiguration cache : IgniteNodeConfiguration.caches()) {
            if (cache.getName().equals(IgniteTable.APPLICATION_CURRENT.cacheName())
                    || cache.getName().equals(IgniteTable.SERVICE_MAPPINGS.cacheName())) {
                QueryEntity entity = (QueryEntity) cache.getQueryEntities().iterator().next();
                LinkedHashMap<String, String> fields = new LinkedHashMap<>(entity.getFields());
                fields.remove("finished_at");
                List<QueryIndex> indexes = new ArrayList<>(entity.getIndexes());
                indexes.removeIf(index -> index.getName().endsWith("_finished_at_application_uid")
                        || index.getName().equals("service_mappings_application_uid"));
                cache.setQueryEntities(List.of(entity.setFields(fields).setIndexes(indexes)));
            }
            caches.add(cache);
        }
        return caches;
    }
}
