package io.aquarium.fish.core.lifecycle;

import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverTask;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.node.MonotonicClock;
import io.aquarium.fish.core.store.FishStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Runs an application's pending tasks for one status, in creation order, on the node that holds the
 * resource. A task the driver lacks, or one that fails, still gets a result so it is never retried forever.
 */
public final class TaskRunner {
    static final RawJson NOT_AVAILABLE = new RawJson("{\"error\":\"task not available in driver\"}");
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final FishStore store;
    private final MonotonicClock clock;

    public TaskRunner(FishStore store, MonotonicClock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void runPending(Driver driver, Resource resource, ApplicationStatus when) {
        for (ApplicationTask task : store.tasks(resource.applicationUid(), Filter.ALL)) {
            if (task.when() != when || task.isDone()) {
                continue;
            }
            store.completeTask(task.uid(), run(driver, resource, task, when), clock.now());
        }
    }

    private static RawJson run(Driver driver, Resource resource, ApplicationTask task, ApplicationStatus when) {
        Optional<DriverTask> action = driver.task(task.task());
        if (action.isEmpty()) {
            return NOT_AVAILABLE;
        }
        try {
            RawJson result = action.get().run(resource.identifier(), task.options(), when);
            return result == null || result.isEmptyObject() ? new RawJson("{\"done\":true}") : result;
        } catch (RuntimeException e) {
            LOG.warn("Task {} {} of application {} failed: {}", task.task(), task.uid(), task.applicationUid(),
                    e.getMessage());
            return new RawJson("{\"error\":" + jsonString(e.getMessage() == null ? "task failed" : e.getMessage()) + "}");
        }
    }

    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
