package io.aquarium.fish.drivers.nativeproc;

import io.aquarium.fish.core.auth.MetaTokens;
import io.aquarium.fish.core.driver.AllocatedResource;
import io.aquarium.fish.core.driver.AllocationRequest;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.driver.DriverTask;
import io.aquarium.fish.core.driver.Usage;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.drivers.common.RandomNames;
import io.aquarium.fish.drivers.common.WorkloadEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

/**
 * Runs each resource as a local process tree: {@code setsid} makes the workload its own session
 * (so it outlives the node, and a node's Ctrl-C does not reach it), in a fresh workspace directory,
 * with the merged metadata and its Meta API token ({@code FISH_META_TOKEN}) in its environment. The
 * workspace {@code <workspace_path>/<identifier>/} holds {@code resource.json} (how to find the
 * workload again), {@code output.log} and {@code home/}, the workload's working directory.
 *
 * <p>Only the workload may read its home and log (0700/0600, its own user's with
 * {@code user_per_resource}); the workspace directories stay the node's, so a workload cannot
 * change the record the node trusts, and other users may pass through them (to reach their own
 * home) but not list them.
 */
public final class NativeDriver implements Driver {
    private static final Logger LOG = LoggerFactory.getLogger(NativeDriver.class);
    static final Pattern IDENTIFIER = Pattern.compile("native-[a-z0-9]{10}");
    static final String RECORD = "resource.json";
    static final String HOME = "home";
    static final String OUTPUT = "output.log";
    private static final String IP_ADDR = "127.0.0.1";
    private static final int MAX_NAME_ATTEMPTS = 100;
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SESSION_WAIT = Duration.ofSeconds(5);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** Traversable but not listable: the workload's user passes through to its home. */
    private static final FileAttribute<Set<PosixFilePermission>> PASS_THROUGH_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x"));
    /** The helper programs this driver runs; user tools are null unless users are made per resource. */
    record Tools(Path setsid, Path sh, Path setpriv, OsUsers users) {
    }

    private final String name;
    private final NativeDriverConfig config;
    private final Tools tools;
    private final Cgroups cgroups;
    private final ProcessTree tree;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<String, String> nodeEnv;

    NativeDriver(String name, NativeDriverConfig config, Tools tools, ProcessTree tree, Clock clock,
                 RandomGenerator random, Map<String, String> nodeEnv) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.cgroups = new Cgroups(config.cgroupPath());
        this.tree = Objects.requireNonNull(tree, "tree");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.nodeEnv = Map.copyOf(nodeEnv);
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
    public boolean runsOnTheHost() {
        return true;
    }

    public NativeDriverConfig config() {
        return config;
    }

    @Override
    public void validate(LabelDefinition definition) {
        NativeDriverOptions.parse(definition.options());
    }

    @Override
    public Map<String, Integer> totals() {
        return config.capacity().totals();
    }

    @Override
    public int availableCapacity(Usage usage, LabelDefinition definition) {
        NativeDriverOptions.parse(definition.options());
        return config.capacity().available(usage, definition.resources());
    }

    @Override
    public AllocatedResource allocate(AllocationRequest request) {
        LabelDefinition definition = request.definition();
        NativeDriverOptions options = NativeDriverOptions.parse(definition.options());
        Map<String, String> env = environment(request, options);
        requireProgram(options.command().get(0), env.get("PATH"));
        String identifier = createWorkspace();
        Path dir = config.workspacePath().resolve(identifier);
        try {
            start(identifier, dir, definition.resources(), options, env);
        } catch (RuntimeException | IOException e) {
            try {
                deallocate(identifier);
            } catch (RuntimeException cleanup) {
                LOG.warn("native driver {}: unable to clean up the failed resource {}: {}", name, identifier,
                        cleanup.getMessage());
            }
            throw e instanceof DriverException d ? d
                    : new DriverException("native driver: unable to start the workload: " + e.getMessage(), e);
        }
        LOG.info("native driver {}: allocated {} for application {}", name, identifier, request.applicationUid());
        return new AllocatedResource(identifier, IP_ADDR, "", definition.authentication());
    }

    private void start(String identifier, Path dir, Resources resources, NativeDriverOptions options,
                       Map<String, String> env) throws IOException {
        Path recordFile = dir.resolve(RECORD);
        Path home = Files.createDirectory(dir.resolve(HOME), PRIVATE_DIR);
        Path output = Files.createFile(dir.resolve(OUTPUT), PRIVATE_FILE);
        env.putIfAbsent("HOME", home.toString());
        ProcessRecord record = ProcessRecord.EMPTY;
        if (tools.users() != null) {
            String user = "fish-" + identifier.substring("native-".length());
            // Recorded before it exists: a crash in between must not leave an unknown user behind.
            record = record.withUser(user);
            record.write(recordFile);
            tools.users().create(user, home);
            tools.users().give(user, output);
            env.put("USER", user);
            env.put("LOGNAME", user);
        }
        // The process joins its cgroup through a shell before it runs anything, so no child escapes it.
        Optional<Path> cgroup = tools.sh() == null ? Optional.empty()
                : cgroups.create(identifier, resources.cpu(), resources.ram());
        if (cgroup.isPresent()) {
            record = record.withCgroup(cgroup.get().toString());
        }
        record.write(recordFile);

        List<String> argv = new ArrayList<>();
        argv.add(tools.setsid().toString());
        cgroup.ifPresent(cg -> argv.addAll(List.of(tools.sh().toString(), "-c", "echo $$ > \"$0\" && exec \"$@\"",
                cg.resolve("cgroup.procs").toString())));
        if (tools.users() != null) {
            argv.addAll(List.of(tools.setpriv().toString(), "--reuid=" + record.user(), "--regid=" + record.user(),
                    "--clear-groups", "--"));
        }
        argv.addAll(options.command());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        long pid = process.pid();
        // The leader's identity is taken once it is its own session, i.e. once setsid ran.
        awaitOwnSession(process);
        record = record.withProcess(pid, tree.identity(pid).orElse(""));
        record.write(recordFile);
    }

    /** Waits until {@code process} leads its own session; Java's children never lead a group, so setsid does not fork. */
    private void awaitOwnSession(Process process) {
        long pid = process.pid();
        Instant deadline = clock.instant().plus(SESSION_WAIT);
        while (clock.instant().isBefore(deadline)) {
            if (!process.isAlive()) {
                if (process.exitValue() != 0) {
                    throw new DriverException("native driver: the workload ended at once with exit code "
                            + process.exitValue());
                }
                return;
            }
            if (tree.session(pid).orElse(pid) == pid) {
                return;
            }
            pause(POLL);
        }
        throw new DriverException("native driver: the workload did not start its own session");
    }

    /**
     * Metadata first, then the driver's own variables, then the definition's env, then the Meta API
     * token: a process shares the host's address, so the token is how it reads its metadata.
     */
    private Map<String, String> environment(AllocationRequest request, NativeDriverOptions options) {
        Map<String, String> env = WorkloadEnvironment.fromMetadata(request);
        env.put("PATH", nodeEnv.getOrDefault("PATH", DEFAULT_PATH));
        String user = nodeEnv.getOrDefault("USER", System.getProperty("user.name", ""));
        env.put("USER", user);
        env.put("LOGNAME", user);
        for (String passThrough : List.of("LANG", "TZ")) {
            if (nodeEnv.containsKey(passThrough)) {
                env.put(passThrough, nodeEnv.get(passThrough));
            }
        }
        env.putAll(options.env());
        if (!request.metaToken().isEmpty()) {
            env.put(MetaTokens.VARIABLE, request.metaToken());
        }
        return env;
    }

    private static void requireProgram(String program, String path) {
        boolean found = program.contains("/")
                ? Files.isRegularFile(Path.of(program)) && Files.isExecutable(Path.of(program))
                : Commands.find(program, path).isPresent();
        if (!found) {
            throw new DriverException("native driver: program '" + program + "' not found");
        }
    }

    private String createWorkspace() {
        Path workspace = config.workspacePath();
        // Workloads under their own users pass through to their homes; the node's own user needs no one else to.
        FileAttribute<Set<PosixFilePermission>> mode = tools.users() != null ? PASS_THROUGH_DIR : PRIVATE_DIR;
        try {
            if (!Files.isDirectory(workspace)) {
                Files.createDirectories(workspace, mode);
            }
            for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
                String identifier = "native-" + RandomNames.draw(random, RandomNames.LOWER_ALPHANUMERIC, 10);
                try {
                    Files.createDirectory(workspace.resolve(identifier), mode);
                    return identifier;
                } catch (FileAlreadyExistsException taken) {
                    // Try another name.
                }
            }
        } catch (IOException e) {
            throw new DriverException("native driver: unable to create a workspace in " + workspace + ": "
                    + e.getMessage(), e);
        }
        throw new DriverException("native driver: no free workspace name found in " + workspace);
    }

    @Override
    public Optional<DriverTask> task(String taskName) {
        return Optional.empty();
    }

    /** Ends the workload (every process of its session, cgroup and user), then removes its user, cgroup and workspace. */
    @Override
    public void deallocate(String identifier) {
        Path dir = workspaceOf(identifier);
        if (!Files.isDirectory(dir)) {
            return;
        }
        ProcessRecord record;
        try {
            record = ProcessRecord.read(dir.resolve(RECORD)).orElse(ProcessRecord.EMPTY);
        } catch (IOException e) {
            throw new DriverException("native driver: unable to read the record of " + identifier + ": "
                    + e.getMessage(), e);
        }
        terminate(identifier, record);
        if (!record.cgroup().isEmpty()) {
            cgroups.remove(Path.of(record.cgroup()));
        }
        if (!record.user().isEmpty() && tools.users() != null) {
            tools.users().delete(record.user());
        } else if (!record.user().isEmpty()) {
            LOG.warn("native driver {}: {} ran as user {}, which this instance cannot remove", name, identifier,
                    record.user());
        }
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw new DriverException("native driver: unable to remove the workspace of " + identifier + ": "
                    + e.getMessage(), e);
        }
        LOG.info("native driver {}: deallocated {}", name, identifier);
    }

    /** SIGTERM to all, SIGKILL to whoever is left after the grace period. */
    private void terminate(String identifier, ProcessRecord record) {
        Set<Long> members = tree.members(record, cgroups);
        if (members.isEmpty()) {
            return;
        }
        tree.signal(members, false);
        Instant killAt = clock.instant().plus(config.termGrace());
        while (!(members = tree.members(record, cgroups)).isEmpty() && clock.instant().isBefore(killAt)) {
            // Late children get the same request to end.
            tree.signal(members, false);
            pause(POLL);
        }
        Instant giveUp = clock.instant().plus(KILL_WAIT);
        while (!members.isEmpty()) {
            if (!clock.instant().isBefore(giveUp)) {
                throw new DriverException("native driver: " + members.size() + " process(es) of " + identifier
                        + " survive SIGKILL");
            }
            tree.signal(members, true);
            pause(POLL);
            members = tree.members(record, cgroups);
        }
    }

    /** Removes the workspaces this node does not record: workloads created just before a crash. */
    @Override
    public void reconcile(Set<String> identifiersInUse) {
        Path workspace = config.workspacePath();
        if (!Files.isDirectory(workspace)) {
            return;
        }
        List<String> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workspace)) {
            for (Path d : dirs) {
                String id = d.getFileName().toString();
                if (IDENTIFIER.matcher(id).matches() && !identifiersInUse.contains(id)) {
                    leftovers.add(id);
                }
            }
        } catch (IOException e) {
            throw new DriverException("native driver: unable to list " + workspace + ": " + e.getMessage(), e);
        }
        for (String id : leftovers) {
            LOG.info("native driver {}: removing {}, which no resource of this node records", name, id);
            try {
                deallocate(id);
            } catch (RuntimeException e) {
                LOG.warn("native driver {}: unable to remove {}: {}", name, id, e.getMessage());
            }
        }
    }

    /** The workspace of {@code identifier}; only names this driver makes are accepted, so no path escapes. */
    private Path workspaceOf(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new DriverException("native driver: invalid resource identifier");
        }
        return config.workspacePath().resolve(identifier);
    }

    private static void deleteTree(Path root) throws IOException {
        // Links are removed, never followed: the workload may have planted one pointing anywhere.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("native driver: interrupted", e);
        }
    }
}
