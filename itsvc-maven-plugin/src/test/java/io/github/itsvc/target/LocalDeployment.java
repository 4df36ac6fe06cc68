package io.github.itsvc.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.check.Checks;
import io.github.itsvc.model.Check;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.render.Renderer;
import io.github.itsvc.target.local.LocalTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A service project in a temporary directory, provisioned on the local target for real: its templates, its
 * {@code .itsvc/<site>}, and every process it started, so that a test can stop them all and prove that it did.
 */
final class LocalDeployment {

    static final Location AT = Location.of("src/main/itsvc/service.yaml");
    static final String SITE = "dev";

    final Path project;
    final Path siteDir;
    /** Where every {@link HttpServerMain} of the project tells what it did. */
    final Path events;
    /** What the target and the provisioner told. */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final CheckRunner checks = CheckRunner.builder().pauses(Duration.ofMillis(50), Duration.ofMillis(500)).build();

    private final Set<ProcessHandle> seen = new LinkedHashSet<>();
    private Service lastService;

    LocalDeployment(Path project) {
        this.project = project.toAbsolutePath();
        this.siteDir = this.project.resolve(".itsvc").resolve(SITE);
        this.events = this.project.resolve("events.log");
    }

    Path templates() {
        return project.resolve("src/main/itsvc/templates");
    }

    /** Writes a template of the project. */
    LocalDeployment template(String name, String text) throws IOException {
        Path file = templates().resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return this;
    }

    Renderer renderer() {
        return new Renderer(project, templates(), LocalDeployment.class.getClassLoader());
    }

    /** A new target object for the service, as each Maven run makes one. */
    LocalTarget target(Service service) {
        lastService = service;
        return new LocalTarget(service, siteDir, log::add);
    }

    Provisioner provisioner(Target target) {
        return new Provisioner(target, renderer(), project.resolve("target/itsvc"), checks, log::add);
    }

    /** Provisions with a new target, as {@code mvn itsvc:provision} does. */
    Provisioner.Result provision(Service service, Site site) throws InvalidInputException, TargetException,
            IOException {
        return provision(service, site, false);
    }

    Provisioner.Result provision(Service service, Site site, boolean dryRun) throws InvalidInputException,
            TargetException, IOException {
        try {
            Provisioner.Result result = provisioner(target(service)).provision(service, site, List.of(), dryRun);
            track(result.instances());
            return result;
        } finally {
            trackRunning();
        }
    }

    /** Remembers the processes of these instances, to check at the end that they are gone. */
    void track(List<Instance> instances) {
        for (Instance i : instances) {
            if (i.id() != null) {
                ProcessHandle.of(Long.parseLong(i.id())).ifPresent(seen::add);
            }
        }
    }

    /** Remembers every process now running inside the project (what a failed provisioning left, say). */
    void trackRunning() {
        seen.addAll(processesInside());
    }

    /** The pid of a running instance, as the target finds it. */
    long pid(String instance) throws IOException, TargetException {
        Instance found = discover().stream().filter(i -> i.name().equals(instance)).findFirst()
                .orElseThrow(() -> new AssertionError(instance + " was not found"));
        assertThat(found.running()).as(instance + " runs").isTrue();
        return Long.parseLong(found.id());
    }

    List<Instance> discover() throws IOException, TargetException {
        List<Instance> found = target(lastService == null ? service() : lastService).discover();
        track(found);
        return found;
    }

    /**
     * Waits until every check of the service passes on its instances, as test-deployment would: provisioning only
     * waits for the roles others depend on.
     */
    void awaitHealthy(Service service, List<Instance> instances) {
        List<CheckResult> results = Checks.runAll(checks, Checks.plan(service, Provisioner.endpoints(instances)));
        assertThat(results).as("checks").isNotEmpty().allSatisfy(r -> assertThat(r.passed()).as(r.name() + ": "
                + r.detail()).isTrue());
    }

    /** The events of the project's servers so far. */
    List<String> events() {
        try {
            return Files.exists(events) ? Files.readAllLines(events) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Destroys the site (as {@code mvn itsvc:destroy} would, with a new target) and fails if any process the test
     * started outlived it; kills such survivors so the next test starts clean.
     */
    void destroyAndCheckNothingLeft() throws Exception {
        trackRunning();
        Throwable destroyFailed = null;
        try {
            Target target = target(lastService == null ? service() : lastService);
            target.destroy();
        } catch (IOException | TargetException | RuntimeException e) {
            destroyFailed = e;
        }
        Set<ProcessHandle> alive = new LinkedHashSet<>();
        for (ProcessHandle h : seen) {
            if (alive(h)) {
                alive.add(h);
                h.descendants().filter(LocalDeployment::alive).forEach(alive::add);
            }
        }
        alive.addAll(processesInside());
        if (!alive.isEmpty()) {
            String described = alive.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                    .collect(Collectors.joining("; "));
            alive.forEach(ProcessHandle::destroyForcibly);
            await("killed leftovers to go", Duration.ofSeconds(10), () -> alive.stream().noneMatch(
                    LocalDeployment::alive));
            throw new AssertionError("processes outlived destroy (now killed): " + described, destroyFailed);
        }
        if (destroyFailed != null) {
            throw new AssertionError("destroy failed", destroyFailed);
        }
        assertThat(siteDir).doesNotExist();
    }

    /** A service of no roles: enough to destroy what a test left when it never got to make one. */
    private static Service service() {
        return new Service("shop", Map.of(), Map.of(), AT);
    }

    /** Alive and not a zombie (a container's init may never reap an orphan). */
    static boolean alive(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return !Files.isDirectory(Path.of("/proc/self")) && h.isAlive();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(LocalDeployment::alive).orElse(false);
    }

    /** On Linux, every process whose working directory is inside the project: what nothing else leads to. */
    List<ProcessHandle> processesInside() {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return List.of();
        }
        Path root;
        try {
            root = project.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            return all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(p.resolve("cwd")).startsWith(root);
                        } catch (IOException | RuntimeException e) {
                            return false; // gone, or not ours to read
                        }
                    })
                    .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
                    .flatMap(Optional::stream)
                    .filter(LocalDeployment::alive)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    // ---- building services by hand ----

    static Site site(Map<String, Object> values) {
        return new Site(SITE, "local", null, false, new LinkedHashMap<>(values),
                Location.of("src/main/itsvc/sites/dev.yaml"));
    }

    static Service service(RoleSpec... roles) {
        Map<String, Role> map = new LinkedHashMap<>();
        for (RoleSpec r : roles) {
            map.put(r.name, r.build());
        }
        return new Service("shop", Map.of(), map, AT);
    }

    static RoleSpec role(String name) {
        return new RoleSpec(name);
    }

    /** A role, field by field, with defaults for the rest: one instance, port {@code http}, nothing to run. */
    static final class RoleSpec {
        final String name;
        int count = 1;
        Map<String, Integer> ports = Map.of("http", 8080);
        List<String> dependsOn = List.of();
        final List<Role.FileSpec> files = new ArrayList<>();
        String run;
        final List<Check> checks = new ArrayList<>();

        RoleSpec(String name) {
            this.name = name;
        }

        RoleSpec count(int n) {
            count = n;
            return this;
        }

        RoleSpec ports(Map<String, Integer> p) {
            ports = p;
            return this;
        }

        RoleSpec dependsOn(String... roles) {
            dependsOn = List.of(roles);
            return this;
        }

        RoleSpec file(String template, String to, String mode) {
            files.add(new Role.FileSpec(template, to, mode, AT));
            return this;
        }

        RoleSpec run(String command) {
            run = command;
            return this;
        }

        RoleSpec check(Check check) {
            checks.add(check);
            return this;
        }

        Role build() {
            return new Role(name, count, null, null, ports, dependsOn, List.of(), files, run, checks, AT);
        }
    }

    static Check tcpCheck(Duration within) {
        return new Check(Check.Kind.TCP, null, "http", Check.Expect.none(), within, Duration.ofSeconds(5), AT);
    }

    static Check httpCheck(String contains, Duration within) {
        return new Check(Check.Kind.HTTP, "/", "http", new Check.Expect(200, contains, null, Map.of()), within,
                Duration.ofSeconds(5), AT);
    }

    /** {@code run:} for {@link HttpServerMain} on this module's test classes, in a small JVM that starts fast. */
    String server(String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        StringBuilder b = new StringBuilder(quote(java))
                .append(" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx32m -cp ")
                .append(quote(location(HttpServerMain.class)))
                .append(' ').append(HttpServerMain.class.getName())
                .append(' ').append(quote(events.toString()));
        for (String a : args) {
            b.append(' ').append(quote(a));
        }
        return b.toString();
    }

    /** {@code run:} of a process that does nothing for long enough. */
    static final String SLEEP = "sleep 600";

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
