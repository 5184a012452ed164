package io.aquarium.fish.api.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The node processes of one test: creates them with a log file per test and node under
 * {@code target/it-logs}, and kills every one of them after the test whatever happened, printing
 * the last lines of each when the test failed.
 *
 * <p>{@link #perClass()}, registered on a static field, keeps the nodes for the whole class (a
 * cluster shared by ordered scenarios): one log per node under the class's directory, the last
 * lines printed after a failed test, every node killed after the class whatever happened.
 */
final class FishNodes implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    static final String LOG_DIR_PROPERTY = "fish.it.logs";

    private final List<FishProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final boolean perClass;
    private volatile Path logDir;

    FishNodes() {
        this(false);
    }

    private FishNodes(boolean perClass) {
        this.perClass = perClass;
    }

    /** Nodes that live for the whole test class; register on a static field. */
    static FishNodes perClass() {
        return new FishNodes(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass) {
            logDir = logRoot().resolve(context.getRequiredTestClass().getSimpleName());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            logDir = logRoot().resolve(context.getRequiredTestClass().getSimpleName())
                    .resolve(context.getRequiredTestMethod().getName());
        }
    }

    private static Path logRoot() {
        return Path.of(System.getProperty(LOG_DIR_PROPERTY, "target/it-logs"));
    }

    /** All nodes created so far. */
    List<FishProcess> all() {
        synchronized (processes) {
            return List.copyOf(processes);
        }
    }

    /** A node (not started yet) with {@code configYaml} as its {@code config.yml} in {@code dir}. */
    FishProcess create(String name, Path dir, String configYaml) {
        Path log = logDir.resolve(name + ".log");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FishProcess node = new FishProcess(name, dir, configYaml, log);
        processes.add(node);
        return node;
    }

    /**
     * Kills {@code retired} and forgets them: a test that replaces its nodes (a new cluster after a
     * broken one) keeps the failure reports to the nodes it still uses.
     */
    void retire(List<FishProcess> retired) {
        for (FishProcess node : retired) {
            node.kill();
        }
        processes.removeAll(retired);
    }

    /** Creates and starts one node. */
    FishProcess start(String name, Path dir, String configYaml) {
        return create(name, dir, configYaml).start();
    }

    /** Boots all nodes side by side, then waits for each. */
    static void startAll(FishProcess... nodes) {
        for (FishProcess node : nodes) {
            node.launch();
        }
        for (FishProcess node : nodes) {
            node.awaitReady();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perClass) {
            if (context.getExecutionException().isPresent()) {
                printTails(all());
            }
            return;
        }
        finish(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            finish(context);
        }
    }

    private static void printTails(List<FishProcess> all) {
        for (FishProcess node : all) {
            System.out.println("=== last output of " + node.name() + " (full log: " + node.logFile() + ")");
            node.tail().forEach(System.out::println);
        }
    }

    private void finish(ExtensionContext context) {
        List<FishProcess> all;
        synchronized (processes) {
            all = List.copyOf(processes);
        }
        for (FishProcess node : all) {
            node.kill();
        }
        if (context.getExecutionException().isPresent()) {
            printTails(all);
            return;
        }
        // Checked on every run at debug verbosity: the admin password is printed once, on its own line, and nowhere else.
        for (FishProcess node : all) {
            String password = node.adminPassword();
            assertFalse(password != null && node.printed(password),
                    node.name() + " printed the admin password outside its announcement line");
        }
    }
}
