package io.github.itsvc.target.local;

import static io.github.itsvc.target.local.Testing.await;
import static io.github.itsvc.target.local.Testing.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.binaries.Digests;
import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.target.Change;
import io.github.itsvc.target.Change.Action;
import io.github.itsvc.target.DesiredInstance;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local target on its own, with real (cheap) processes: placement, apply, discovery by another target object,
 * logs and destroy. {@link io.github.itsvc.target.ProvisionerTest} drives it through the provisioner.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LocalTargetTest {

    private static final Location AT = Location.of("src/main/itsvc/service.yaml");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SLEEP = "sleep 600";
    private static final String DIGEST_1 = "1".repeat(64);
    private static final String DIGEST_2 = "2".repeat(64);

    @TempDir
    Path project;

    @RegisterExtension
    final Leftovers leftovers = new Leftovers();

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private Service lastService;

    @AfterEach
    void destroy() throws Exception {
        if (lastService != null) {
            target(lastService).destroy();
            assertThat(site()).doesNotExist();
        }
    }

    private Path site() {
        return project.resolve(".itsvc/dev");
    }

    private LocalTarget target(Service service) {
        lastService = service;
        return new LocalTarget(service, site(), log::add);
    }

    private static Role role(String name, int count, Map<String, Integer> ports, String run,
            Role.Install... install) {
        return new Role(name, count, null, null, ports, List.of(), List.of(install), List.of(), run, List.of(), AT);
    }

    private static Service service(Role... roles) {
        Map<String, Role> map = new LinkedHashMap<>();
        for (Role r : roles) {
            map.put(r.name(), r);
        }
        return new Service("shop", Map.of(), map, AT);
    }

    /** A rendered instance directory as the renderer makes one: {@code root/} with the given files. */
    private Path rendered(String instance, Map<String, String> files) throws IOException {
        Path dir = project.resolve("target/itsvc/dev").resolve(instance);
        Files.createDirectories(dir.resolve("root"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve("root").resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        return dir;
    }

    private Change create(LocalTarget target, Role role, int index, Path rendered, String digest) throws IOException {
        DesiredInstance want = new DesiredInstance(role, index, target.placements().of(role, index), rendered,
                digest);
        leftovers.track(site().resolve(want.name()));
        return new Change(Action.CREATE, want.name(), role.name(), want, null, "new instance");
    }

    private List<Instance> apply(LocalTarget target, Role role, Change... changes) throws Exception {
        List<Instance> now = target.apply(role, List.of(changes), Map.of());
        now.forEach(this::track);
        return now;
    }

    private void track(Instance i) {
        if (i.id() != null) {
            ProcessHandle.of(Long.parseLong(i.id())).ifPresent(leftovers::track);
        }
    }

    private static Instance only(List<Instance> instances, String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + instances));
    }

    @Test
    void placesEveryInstanceOnDistinctFreePortsInItsOwnRoot() throws Exception {
        Role web = role("web", 2, Map.of("http", 8080, "admin", 8081), SLEEP);
        Role db = role("db", 1, Map.of("sql", 5432), SLEEP);
        LocalTarget target = target(service(web, db));

        DataModel.Placements placements = target.placements();

        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            DataModel.Placement p = placements.of(web, i);
            assertThat(p.address()).isEqualTo("127.0.0.1");
            assertThat(p.planned()).isFalse();
            assertThat(p.ports()).containsOnlyKeys("http", "admin");
            assertThat(p.root()).isEqualTo(site().toAbsolutePath().resolve("web-" + i + "/root").toString());
            ports.addAll(p.ports().values());
        }
        assertThat(placements.of(db, 1).ports()).containsOnlyKeys("sql");
        ports.addAll(placements.of(db, 1).ports().values());
        assertThat(ports).doesNotHaveDuplicates().allSatisfy(p -> assertThat(Ports.isFree(p)).isTrue());
        // Placing changes nothing on disk.
        assertThat(site()).doesNotExist();
        // Command checks run in the root the templates are told about, not in the project's directory.
        assertThat(target.checkDirectory("web-2").toString()).isEqualTo(placements.of(web, 2).root());
    }

    @Test
    void startsTheRunCommandInTheRootWithItsPortsAndAnotherTargetFindsIt() throws Exception {
        Role web = role("web", 1, Map.of("http", 8080, "admin-ui", 8081),
                "/bin/sh -c 'env | grep ^ITSVC_ | sort > env.txt; exec sleep 600'");
        Service shop = service(web);
        LocalTarget target = target(shop);
        Path rendered = rendered("web-1", Map.of("etc/app.conf", "x=1\n", "bin/tool", "#!/bin/sh\n"));
        Files.setPosixFilePermissions(rendered.resolve("root/bin/tool"), PosixFilePermissions.fromString("rwxr-x---"));
        Change create = create(target, web, 1, rendered, DIGEST_1);
        Map<String, Integer> ports = create.desired().placement().ports();

        List<Instance> now = apply(target, web, create);

        Instance web1 = only(now, "web-1");
        assertThat(web1.running()).isTrue();
        assertThat(web1.ports()).isEqualTo(ports);
        assertThat(web1.configDigest()).isEqualTo(DIGEST_1);
        Path root = site().resolve("web-1/root");
        Path env = root.resolve("env.txt");
        await("the environment to be written", WAIT, () -> read(env).contains("ITSVC_SERVICE"));
        assertThat(read(env).lines()).contains("ITSVC_INSTANCE=web-1", "ITSVC_ROLE=web", "ITSVC_SERVICE=shop",
                "ITSVC_PORT_HTTP=" + ports.get("http"), "ITSVC_PORT_ADMIN_UI=" + ports.get("admin-ui"));
        assertThat(root.resolve("etc/app.conf")).hasContent("x=1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/tool"))))
                .isEqualTo("rwxr-x---");
        assertThat(log).contains("Creating web-1 (new instance)");

        // Another Maven run: a new target object finds the same process, ports and digest, and keeps its ports.
        LocalTarget next = target(shop);
        Instance found = only(next.discover(), "web-1");
        assertThat(found).isEqualTo(web1);
        assertThat(found.since()).isNotNull();
        assertThat(next.placements().of(web, 1).ports()).isEqualTo(ports);
    }

    @Test
    void destroyStopsEveryInstanceAndRemovesOnlyItsSite() throws Exception {
        Role web = role("web", 2, Map.of("http", 8080), SLEEP);
        Role db = role("db", 1, Map.of("http", 8080), SLEEP);
        Service shop = service(web, db);
        LocalTarget target = target(shop);
        List<Instance> started = new ArrayList<>();
        started.addAll(apply(target, db, create(target, db, 1, rendered("db-1", Map.of()), DIGEST_1)));
        started.addAll(apply(target, web, create(target, web, 1, rendered("web-1", Map.of()), DIGEST_1),
                create(target, web, 2, rendered("web-2", Map.of()), DIGEST_1)));
        Path otherSite = Files.createDirectories(project.resolve(".itsvc/live/web-1"));
        assertThat(started).extracting(Instance::name).containsExactly("db-1", "web-1", "web-2");
        log.clear();

        target(service(db)).destroy(); // as mvn itsvc:destroy, after web was removed from the service

        for (Instance i : started) {
            assertThat(ProcessHandle.of(Long.parseLong(i.id())).filter(Procs::alive)).as(i.name()).isEmpty();
        }
        assertThat(site()).doesNotExist();
        assertThat(otherSite).isDirectory();
        // Dependents first: roles no longer in the service, then the rest in reverse start order.
        assertThat(log).containsExactly("Stopped web-1 (terminated)", "Stopped web-2 (terminated)",
                "Stopped db-1 (terminated)");
        assertThat(target(shop).discover()).isEmpty();
    }

    @Test
    void replaceStartsAFreshRootOnTheSamePorts() throws Exception {
        Role web = role("web", 1, Map.of("http", 8080), SLEEP);
        LocalTarget target = target(service(web));
        Instance before = only(apply(target, web, create(target, web, 1,
                rendered("web-1", Map.of("app.conf", "old")), DIGEST_1)), "web-1");
        Path root = site().resolve("web-1/root");
        Files.writeString(root.resolve("stale.tmp"), "left by the old process");

        LocalTarget next = target(service(web));
        DesiredInstance want = new DesiredInstance(web, 1, next.placements().of(web, 1),
                rendered("web-1", Map.of("app.conf", "new")), DIGEST_2);
        Instance after = only(apply(next, web, new Change(Action.REPLACE, "web-1", "web", want, before,
                "config changed")), "web-1");

        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(ProcessHandle.of(Long.parseLong(before.id())).filter(Procs::alive)).isEmpty();
        assertThat(after.ports()).isEqualTo(before.ports());
        assertThat(after.configDigest()).isEqualTo(DIGEST_2);
        assertThat(root.resolve("app.conf")).hasContent("new");
        assertThat(root.resolve("stale.tmp")).doesNotExist();
    }

    @Test
    void aRunningInstanceKeepsItsPortsWhenItsRoleGainsOne() throws Exception {
        Role web = role("web", 1, Map.of("http", 8080), SLEEP);
        LocalTarget target = target(service(web));
        Instance started = only(apply(target, web, create(target, web, 1, rendered("web-1", Map.of()), DIGEST_1)),
                "web-1");

        Role more = role("web", 1, Map.of("http", 8080, "admin", 8081), SLEEP);
        Role db = role("db", 1, Map.of("http", 8080), SLEEP);
        DataModel.Placements placements = target(service(more, db)).placements();

        Map<String, Integer> ports = placements.of(more, 1).ports();
        assertThat(ports).containsEntry("http", started.ports().get("http")).containsOnlyKeys("http", "admin");
        assertThat(ports.get("admin")).isNotEqualTo(ports.get("http"));
        // Nobody else gets a port the running instance holds.
        assertThat(placements.of(db, 1).ports().values()).doesNotContainAnyElementsOf(ports.values());
    }

    @Test
    void anInstanceWhoseProcessDiedIsStoppedAndGetsItsPortsBack() throws Exception {
        Role web = role("web", 1, Map.of("http", 8080), SLEEP);
        LocalTarget target = target(service(web));
        Instance started = only(apply(target, web, create(target, web, 1, rendered("web-1", Map.of()), DIGEST_1)),
                "web-1");
        ProcessHandle process = ProcessHandle.of(Long.parseLong(started.id())).orElseThrow();
        process.destroyForcibly();
        await("the process to die", WAIT, () -> !Procs.alive(process));

        LocalTarget next = target(service(web));
        Instance found = only(next.discover(), "web-1");
        assertThat(found.running()).isFalse();
        assertThat(found.id()).isNull();
        assertThat(found.since()).isNull();
        assertThat(found.configDigest()).isEqualTo(DIGEST_1);
        assertThat(next.placements().of(web, 1).ports()).isEqualTo(started.ports());
    }

    @Test
    void deletesTheInstancesOfARoleNoLongerInTheService() throws Exception {
        Role web = role("web", 1, Map.of("http", 8080), SLEEP);
        Role worker = role("worker", 1, Map.of(), SLEEP);
        LocalTarget target = target(service(web, worker));
        Instance w = only(apply(target, worker, create(target, worker, 1, rendered("worker-1", Map.of()),
                DIGEST_1)), "worker-1");
        apply(target, web, create(target, web, 1, rendered("web-1", Map.of()), DIGEST_1));

        LocalTarget next = target(service(web));
        List<Instance> left = next.apply(null, List.of(new Change(Action.DELETE, "worker-1", "worker", null, w,
                "role worker is no longer in the service")), Map.of());

        assertThat(left).isEmpty();
        assertThat(ProcessHandle.of(Long.parseLong(w.id())).filter(Procs::alive)).isEmpty();
        assertThat(site().resolve("worker-1")).doesNotExist();
        assertThat(next.discover()).extracting(Instance::name).containsExactly("web-1");
        assertThat(log).contains("Removing worker-1 (role worker is no longer in the service)");
    }

    @Test
    void theLogTailShowsWhatTheInstanceWrote() throws Exception {
        Role web = role("web", 1, Map.of("http", 8080),
                "/bin/sh -c 'w=up; echo \"starting $w\"; f=full; echo \"disk $f\" >&2; exec sleep 600'");
        LocalTarget target = target(service(web));
        Instance web1 = only(apply(target, web, create(target, web, 1, rendered("web-1", Map.of()), DIGEST_1)),
                "web-1");
        // (The header line of each log holds the command, so the output must differ from it.)
        await("the output to be logged", WAIT, () -> read(InstanceLayout.stderrLog(site().resolve("web-1")))
                .contains("disk full")
                && read(InstanceLayout.stdoutLog(site().resolve("web-1"))).contains("starting up"));

        String tail = target(service(web)).logTail(web1, 5);

        assertThat(tail).contains("stdout (last", "  starting up", "stderr (last", "  disk full");
    }

    @Test
    void aRoleOfFilesOnlyIsRecordedAndFoundInPlace() throws Exception {
        Role docs = role("docs", 1, Map.of(), null);
        LocalTarget target = target(service(docs));
        List<Instance> now = apply(target, docs, create(target, docs, 1, rendered("docs-1",
                Map.of("index.html", "<h1>docs</h1>")), DIGEST_1));

        assertThat(now).singleElement().satisfies(i -> {
            assertThat(i.running()).isTrue();
            assertThat(i.id()).isNull();
            assertThat(i.configDigest()).isEqualTo(DIGEST_1);
        });
        assertThat(site().resolve("docs-1/root/index.html")).hasContent("<h1>docs</h1>");
        assertThat(target(service(docs)).discover()).isEqualTo(now);
    }

    @Test
    void installsBinariesThenTheRenderedFilesOverThem() throws Exception {
        Path archive = project.resolve("app-1.0.tar.gz");
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            entry(tar, "app-1.0/bin/app", 0755, "#!/bin/sh\nexec sleep 600\n");
            entry(tar, "app-1.0/conf/app.conf", 0644, "default\n");
        }
        VerifiedBinary app = new VerifiedBinary("app", "file:app-1.0.tar.gz", archive,
                new Digests("a".repeat(64), "a".repeat(128)), null);
        Role web = role("web", 1, Map.of("http", 8080), "opt/app/bin/app",
                new Role.Install("app", "opt/app", 1, AT));
        LocalTarget target = target(service(web));
        Change create = create(target, web, 1, rendered("web-1", Map.of("opt/app/conf/app.conf", "rendered\n")),
                DIGEST_1);

        List<Instance> now = target.apply(web, List.of(create), Map.of("app", app));
        now.forEach(this::track);

        Path root = site().resolve("web-1/root");
        assertThat(root.resolve("opt/app/conf/app.conf")).hasContent("rendered");
        assertThat(Files.isExecutable(root.resolve("opt/app/bin/app"))).isTrue();
        assertThat(only(now, "web-1").running()).isTrue();
    }

    @Test
    void aBinaryThatWasNotVerifiedIsRefusedBeforeAnythingStarts() throws Exception {
        Role web = role("web", 1, Map.of("http", 8080), SLEEP, new Role.Install("app", "opt/app", 1, AT));
        LocalTarget target = target(service(web));
        Change create = create(target, web, 1, rendered("web-1", Map.of()), DIGEST_1);

        assertThatThrownBy(() -> target.apply(web, List.of(create), Map.of()))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("binary 'app' of role web was not verified");
        assertThat(target.discover()).isEmpty();
    }

    private static void entry(TarArchiveOutputStream tar, String name, int mode, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(mode);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
