package io.github.itsvc.target.local;

import io.github.itsvc.io.FileTrees;
import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.Unpacker;
import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.target.Change;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Target;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@code local} target: every instance is a folder {@code .itsvc/<site>/<role>-<n>/} of the project (outside
 * {@code target/}, so {@code mvn clean} cannot orphan a running process) holding its instance root, logs and state,
 * and a process started from the role's {@code run} on 127.0.0.1 with free ports. The same binaries, rendered files
 * and checks as on a cloud: a dev appliance on any machine.
 */
public final class LocalTarget implements Target {

    /** How long a stopping instance gets between SIGTERM and SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(20);
    static final String ADDRESS = "127.0.0.1";
    /** The command recorded for an instance of a role without {@code run}: files only, nothing to run. */
    private static final String FILES_ONLY = "";

    private final Service service;
    private final Path siteDir;
    private final LocalProcesses processes;
    private final Consumer<String> log;

    /**
     * @param service the service
     * @param siteDir the site's instances, {@code <project>/.itsvc/<site>}
     * @param log where progress is told
     */
    public LocalTarget(Service service, Path siteDir, Consumer<String> log) {
        this.service = service;
        this.siteDir = siteDir.toAbsolutePath().normalize();
        this.processes = new LocalProcesses();
        this.log = log;
    }

    @Override
    public DataModel.Placements placements() throws IOException {
        // Afresh for every provisioning: what runs, and which ports are free, change between calls.
        Map<String, DataModel.Placement> placed = place();
        return (role, index) -> placed.get(DataModel.instanceName(role.name(), index));
    }

    /**
     * Running instances keep their ports (a port the role gained is fresh); others get their previous ports back when
     * free, else fresh ones.
     */
    private Map<String, DataModel.Placement> place() throws IOException {
        PortAllocator ports = new PortAllocator();
        Map<String, Map<String, Integer>> previous = new HashMap<>();
        for (Path dir : LocalProcesses.instanceDirs(siteDir)) {
            InstanceStatus status = processes.discover(dir);
            status.recorded().ifPresent(state -> {
                previous.put(dir.getFileName().toString(), state.ports());
                if (status.running()) {
                    state.ports().values().forEach(ports::reserve);
                }
            });
        }
        Map<String, DataModel.Placement> placed = new LinkedHashMap<>();
        for (Role role : service.roles().values()) {
            for (int index = 1; index <= role.count(); index++) {
                String name = DataModel.instanceName(role.name(), index);
                Path dir = InstanceLayout.instanceDir(siteDir, role.name(), index);
                InstanceStatus status = processes.discover(dir);
                Map<String, Integer> had = previous.getOrDefault(name, Map.of());
                Map<String, Integer> given = status.running() ? keep(role, had, ports)
                        : ports.allocate(role.ports().keySet(), had);
                placed.put(name, new DataModel.Placement(ADDRESS, given,
                        InstanceLayout.root(dir).toString(), false));
            }
        }
        return placed;
    }

    /**
     * The ports of a running instance: those it has (reserved for it, though not free while it runs) for the names
     * the role still has, fresh ones for names it did not have, in the role's order.
     */
    private static Map<String, Integer> keep(Role role, Map<String, Integer> had, PortAllocator ports)
            throws IOException {
        List<String> missing = role.ports().keySet().stream().filter(n -> !had.containsKey(n)).toList();
        Map<String, Integer> fresh = missing.isEmpty() ? Map.of() : ports.allocate(missing, Map.of());
        Map<String, Integer> given = new LinkedHashMap<>();
        for (String name : role.ports().keySet()) {
            given.put(name, had.containsKey(name) ? had.get(name) : fresh.get(name));
        }
        return given;
    }

    @Override
    public List<Instance> discover() throws IOException {
        List<Instance> found = new ArrayList<>();
        for (Path dir : LocalProcesses.instanceDirs(siteDir)) {
            InstanceStatus status = processes.discover(dir);
            if (status.recorded().isEmpty()) {
                continue;
            }
            InstanceState state = status.state();
            if (filesOnly(state)) {
                // Nothing to run: in place is all it can be.
                found.add(new Instance(InstanceLayout.role(dir), InstanceLayout.index(dir), ADDRESS, state.ports(),
                        state.configDigest(), Instance.State.RUNNING, state.since(), null));
                continue;
            }
            found.add(new Instance(InstanceLayout.role(dir), InstanceLayout.index(dir), ADDRESS, state.ports(),
                    state.configDigest(), status.running() ? Instance.State.RUNNING : Instance.State.STOPPED,
                    status.running() ? state.since() : null,
                    status.running() ? Long.toString(state.pid()) : null));
        }
        return found;
    }

    @Override
    public List<Instance> apply(Role role, List<Change> changes, Map<String, VerifiedBinary> binaries)
            throws TargetException, IOException {
        for (Change change : changes) {
            Path dir = siteDir.resolve(change.instance());
            switch (change.action()) {
                case KEEP -> { }
                case DELETE -> {
                    log.accept("Removing " + change.instance() + " (" + change.reason() + ")");
                    processes.stop(dir, GRACE);
                    FileTrees.delete(dir);
                }
                case CREATE, REPLACE -> {
                    log.accept((change.action() == Change.Action.CREATE ? "Creating " : "Replacing ")
                            + change.instance() + " (" + change.reason() + ")");
                    processes.stop(dir, GRACE);
                    prepareRoot(role, change, dir, binaries);
                    start(role, change, dir);
                }
            }
        }
        if (role == null) {
            return List.of();
        }
        return discover().stream().filter(i -> i.role().equals(role.name()) && i.index() <= role.count()).toList();
    }

    /** A fresh instance root: the binaries unpacked, then the rendered files over them. */
    private void prepareRoot(Role role, Change change, Path dir, Map<String, VerifiedBinary> binaries)
            throws TargetException, IOException {
        Path root = InstanceLayout.root(dir);
        FileTrees.delete(root);
        Files.createDirectories(root);
        for (Role.Install install : role.install()) {
            VerifiedBinary binary = binaries.get(install.binary());
            if (binary == null) {
                throw new TargetException("binary '" + install.binary() + "' of role " + role.name()
                        + " was not verified: run verify-binaries first");
            }
            try {
                Unpacker.unpack(binary.file(), root.resolve(install.unpack()).normalize(), install.strip());
            } catch (BinaryException e) {
                throw new TargetException(change.instance() + ": cannot install " + install.binary() + ": "
                        + e.getMessage(), e);
            }
        }
        copyTree(change.desired().rendered().resolve("root"), root);
    }

    private void start(Role role, Change change, Path dir) throws TargetException, IOException {
        if (role.run() == null) {
            // A role of files only: nothing to run, but its state is recorded so that the next run finds it (and
            // keeps it while its digest holds) instead of creating it again and again.
            try (InstanceLock lock = InstanceLock.acquire(dir)) {
                StateFile.write(InstanceLayout.stateFile(dir), new InstanceState(FILES_ONLY,
                        change.desired().placement().ports(), change.desired().configDigest(), processes.launcher(),
                        0, null, Instant.now(), null, null));
            }
            return;
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ITSVC_SERVICE", service.name());
        environment.put("ITSVC_ROLE", role.name());
        environment.put("ITSVC_INSTANCE", change.instance());
        Map<String, Integer> ports = change.desired().placement().ports();
        ports.forEach((name, port) -> environment.put("ITSVC_PORT_" + envName(name), Integer.toString(port)));
        // Java services (Tomcat's catalina.sh among them) find the Java that runs this build.
        if (System.getenv("JAVA_HOME") == null) {
            environment.put("JAVA_HOME", System.getProperty("java.home"));
        }
        try {
            processes.start(dir, new ProcessSpec(role.run(), environment, ports, change.desired().configDigest()));
        } catch (IllegalStateException e) {
            throw new TargetException(change.instance() + " is already running: " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy() throws IOException {
        IOException failed = null;
        for (Path dir : stopOrder(LocalProcesses.instanceDirs(siteDir))) {
            StopOutcome outcome;
            try {
                outcome = processes.stop(dir, GRACE);
            } catch (IOException e) {
                // Stop the others anyway, and keep this one's folder: its state is what finds the survivor again.
                log.accept("Could not stop " + dir.getFileName() + ": " + e.getMessage());
                if (failed == null) {
                    failed = new IOException("could not stop everything of " + siteDir + ": " + e.getMessage(), e);
                } else {
                    failed.addSuppressed(e);
                }
                continue;
            }
            log.accept("Stopped " + dir.getFileName() + " (" + outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + ")");
        }
        if (failed != null) {
            throw failed;
        }
        FileTrees.delete(siteDir);
    }

    /**
     * Dependents before what they depend on: roles no longer in the service first, then the service's roles in
     * reverse start order, instances by number.
     */
    private List<Path> stopOrder(List<Path> dirs) {
        List<String> order = new ArrayList<>(service.startOrder().stream().map(Role::name).toList());
        Collections.reverse(order);
        return dirs.stream()
                .sorted(Comparator.comparingInt((Path d) -> order.indexOf(InstanceLayout.role(d)))
                        .thenComparing(InstanceLayout::role)
                        .thenComparingInt(InstanceLayout::index))
                .toList();
    }

    @Override
    public Path checkDirectory(String instance) {
        return InstanceLayout.root(siteDir.resolve(instance));
    }

    @Override
    public String logTail(Instance instance, int lines) throws IOException {
        return LogTail.read(siteDir.resolve(instance.name()), lines).format();
    }

    private static boolean filesOnly(InstanceState state) {
        return FILES_ONLY.equals(state.command());
    }

    private static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Copies files with their POSIX modes (the renderer sets them). */
    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.sorted().toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
