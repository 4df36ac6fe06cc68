package io.github.itsvc.target;

import static io.github.itsvc.target.LocalDeployment.SLEEP;
import static io.github.itsvc.target.LocalDeployment.alive;
import static io.github.itsvc.target.LocalDeployment.httpCheck;
import static io.github.itsvc.target.LocalDeployment.role;
import static io.github.itsvc.target.LocalDeployment.service;
import static io.github.itsvc.target.LocalDeployment.site;
import static io.github.itsvc.target.LocalDeployment.tcpCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.target.Change.Action;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning on the local target with real processes: a {@code db} role and a {@code web} role that depends on it,
 * both small HTTP servers in their own JVMs, rendered, started in order, checked, changed, shrunk and destroyed.
 * Every test ends by destroying the site and proving that no process it started is left.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ProvisionerTest {

    /** Generous: two cores shared with other builds, and a JVM to start per instance. */
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private LocalDeployment project;

    @BeforeEach
    void project() throws Exception {
        project = new LocalDeployment(dir)
                .template("db.conf.ftl", "db ${values.dbName} on ${instance.ports.http}\n")
                .template("page.txt.ftl", "Hello ${values.greeting} from ${instance.name} on port"
                        + " ${instance.ports.http}, db at ${instances.db[0].address}:${instances.db[0].ports.http}\n")
                .template("hello.sh.ftl", "#!/bin/sh\necho hello from ${instance.name}\n");
    }

    @AfterEach
    void destroy() throws Exception {
        project.destroyAndCheckNothingLeft();
    }

    /** web (listed first) depends on db, which is slow to listen and checked before web starts. */
    private Service shop(int webs) {
        return service(
                role("web").count(webs).dependsOn("db").run(project.server())
                        .file("page.txt.ftl", "page.txt", "0640")
                        .file("hello.sh.ftl", "bin/hello.sh", "0750")
                        .check(httpCheck("Hello", WITHIN)),
                role("db").run(project.server("--delay-ms=300")).file("db.conf.ftl", "etc/db.conf", null)
                        .check(tcpCheck(WITHIN)));
    }

    private static Site dev(String greeting) {
        return site(Map.of("greeting", greeting, "dbName", "main"));
    }

    private static Map<String, Action> actions(Plan plan) {
        return plan.changes().stream().collect(Collectors.toMap(Change::instance, Change::action));
    }

    private static String get(Instance instance) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://"
                + instance.address() + ":" + instance.ports().get("http") + "/")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void startsEveryInstanceInDependencyOrderOnItsAllocatedPorts() throws Exception {
        Service shop = shop(2);
        Provisioner.Result result = project.provision(shop, dev("world"));

        assertThat(result.applied()).isTrue();
        assertThat(result.plan().changes()).extracting(Change::action, Change::instance).containsExactly(
                tuple(Action.CREATE, "web-1"), tuple(Action.CREATE, "web-2"), tuple(Action.CREATE, "db-1"));
        assertThat(result.instances()).extracting(Instance::name).containsExactly("db-1", "web-1", "web-2");
        assertThat(result.instances()).allSatisfy(i -> {
            assertThat(i.running()).isTrue();
            assertThat(i.address()).isEqualTo("127.0.0.1");
            assertThat(alive(Long.parseLong(i.id()))).isTrue();
        });
        // Each got the port it was placed on, and they are all different.
        for (Change c : result.plan().changes()) {
            Instance now = result.instances().stream().filter(i -> i.name().equals(c.instance())).findFirst()
                    .orElseThrow();
            assertThat(now.ports()).isEqualTo(c.desired().placement().ports());
            assertThat(now.configDigest()).isEqualTo(c.desired().configDigest());
        }
        assertThat(result.instances().stream().map(i -> i.ports().get("http")).distinct()).hasSize(3);
        // Provisioning waited for db only; web is checked here, as test-deployment would.
        project.awaitHealthy(shop, result.instances());

        // db passed its check before any web instance started, and it was checked once the plan was applied.
        List<String> events = project.events();
        assertThat(events).contains("start db-1", "listening db-1", "accepted db-1", "start web-1", "start web-2");
        int dbChecked = events.indexOf("accepted db-1");
        assertThat(dbChecked).isGreaterThan(events.indexOf("listening db-1"));
        assertThat(events.indexOf("start web-1")).isGreaterThan(dbChecked);
        assertThat(events.indexOf("start web-2")).isGreaterThan(dbChecked);
        assertThat(result.readiness()).singleElement().satisfies(r -> {
            assertThat(r.instance()).isEqualTo("db-1");
            assertThat(r.passed()).isTrue();
        });

        // The endpoints serve the rendered pages, which know every instance's real port.
        Instance db = result.instances().get(0);
        Instance web1 = result.instances().get(1);
        assertThat(get(web1)).isEqualTo("instance web-1\nHello world from web-1 on port " + web1.ports().get("http")
                + ", db at 127.0.0.1:" + db.ports().get("http") + "\n");

        // The rendered files are in the instance root, with their modes.
        Path root = project.siteDir.resolve("web-2/root");
        assertThat(root.resolve("page.txt")).content().startsWith("Hello world from web-2 on port");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("page.txt"))))
                .isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/hello.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                project.siteDir.resolve("db-1/root/etc/db.conf")))).isEqualTo("rw-r--r--");
        assertThat(project.log).contains("Plan for shop on site dev (target local):");
    }

    @Test
    void anUnchangedSiteIsANoopAndAnotherRunFindsWhatRuns() throws Exception {
        Provisioner.Result first = project.provision(shop(1), dev("world"));
        project.awaitHealthy(shop(1), first.instances());
        long db = project.pid("db-1");
        long web = project.pid("web-1");

        // Discovery from a new target object, as the next Maven run makes one.
        List<Instance> found = project.discover();
        assertThat(found).extracting(Instance::name, Instance::running, Instance::ports, Instance::configDigest)
                .containsExactlyElementsOf(first.instances().stream().map(i -> tuple(i.name(), true, i.ports(),
                        i.configDigest())).toList());
        assertThat(found).allSatisfy(i -> assertThat(i.since()).isNotNull());

        project.log.clear();
        Provisioner.Result second = project.provision(shop(1), dev("world"));
        assertThat(second.plan().isNoop()).isTrue();
        assertThat(second.plan().changes()).extracting(Change::action).containsOnly(Action.KEEP);
        assertThat(project.pid("db-1")).isEqualTo(db);
        assertThat(project.pid("web-1")).isEqualTo(web);
        assertThat(second.instances()).extracting(Instance::ports)
                .containsExactlyElementsOf(first.instances().stream().map(Instance::ports).toList());
        assertThat(project.log).noneMatch(l -> l.startsWith("Creating") || l.startsWith("Replacing"));
        assertThat(project.events()).filteredOn(e -> e.startsWith("start ")).hasSize(2);
    }

    @Test
    void aChangedSiteValueReplacesOnlyTheInstancesThatUseItOnTheirPorts() throws Exception {
        Provisioner.Result first = project.provision(shop(1), dev("world"));
        long db = project.pid("db-1");
        long web = project.pid("web-1");
        Map<String, Integer> webPorts = first.instances().get(1).ports();

        Provisioner.Result second = project.provision(shop(1), dev("moon"));
        project.awaitHealthy(shop(1), second.instances());

        assertThat(actions(second.plan())).containsExactlyInAnyOrderEntriesOf(Map.of("db-1", Action.KEEP,
                "web-1", Action.REPLACE));
        assertThat(second.plan().forRole("web")).singleElement().extracting(Change::reason).asString()
                .startsWith("config changed (" + first.instances().get(1).configDigest().substring(0, 12) + " -> ");
        assertThat(project.pid("db-1")).isEqualTo(db);
        assertThat(project.pid("web-1")).isNotEqualTo(web);
        assertThat(alive(web)).isFalse();
        Instance web1 = second.instances().get(1);
        assertThat(web1.ports()).isEqualTo(webPorts);
        assertThat(get(web1)).contains("Hello moon from web-1 on port " + webPorts.get("http"));
    }

    @Test
    void aChangedTemplateReplacesOnlyItsRole() throws Exception {
        Provisioner.Result first = project.provision(shop(1), dev("world"));
        long db = project.pid("db-1");
        long web = project.pid("web-1");

        project.template("db.conf.ftl", "db ${values.dbName} on ${instance.ports.http}\nmaxConnections 10\n");
        Provisioner.Result second = project.provision(shop(1), dev("world"));

        assertThat(actions(second.plan())).containsExactlyInAnyOrderEntriesOf(Map.of("db-1", Action.REPLACE,
                "web-1", Action.KEEP));
        assertThat(project.pid("db-1")).isNotEqualTo(db);
        assertThat(project.pid("web-1")).isEqualTo(web);
        // The db keeps its port, so web's page (which names it) did not change.
        assertThat(second.instances().get(0).ports()).isEqualTo(first.instances().get(0).ports());
        assertThat(project.siteDir.resolve("db-1/root/etc/db.conf")).content().contains("maxConnections 10");
        // Replaced after web was started the first time, and checked again before web was kept.
        assertThat(project.events()).filteredOn("start db-1"::equals).hasSize(2);
    }

    @Test
    void fewerInstancesAndARemovedRoleDeleteJustThose() throws Exception {
        Service before = service(role("web").count(2).run(SLEEP).file("page.txt.ftl", "page.txt", null),
                role("db").run(SLEEP), role("worker").ports(Map.of()).run(SLEEP));
        project.provision(before, dev("world"));
        long web1 = project.pid("web-1");
        long web2 = project.pid("web-2");
        long worker = project.pid("worker-1");
        long db = project.pid("db-1");

        Service after = service(role("web").count(1).run(SLEEP).file("page.txt.ftl", "page.txt", null),
                role("db").run(SLEEP));
        Provisioner.Result result = project.provision(after, dev("world"));

        assertThat(result.plan().changes()).extracting(Change::action, Change::instance, Change::reason)
                .containsExactly(
                        tuple(Action.KEEP, "web-1", result.plan().changes().get(0).reason()),
                        tuple(Action.KEEP, "db-1", result.plan().changes().get(1).reason()),
                        tuple(Action.DELETE, "web-2", "role web now has 1 instance"),
                        tuple(Action.DELETE, "worker-1", "role worker is no longer in the service"));
        assertThat(project.pid("web-1")).isEqualTo(web1);
        assertThat(project.pid("db-1")).isEqualTo(db);
        assertThat(alive(web2)).isFalse();
        assertThat(alive(worker)).isFalse();
        assertThat(project.siteDir.resolve("web-2")).doesNotExist();
        assertThat(project.siteDir.resolve("worker-1")).doesNotExist();
        assertThat(project.discover()).extracting(Instance::name).containsExactly("db-1", "web-1");
        assertThat(result.instances()).extracting(Instance::name).containsExactly("web-1", "db-1");
    }

    @Test
    void aNewPortReplacesTheInstanceWhichKeepsItsOtherPorts() throws Exception {
        // No template mentions the ports: the process only learns them from its environment.
        String run = "/bin/sh -c 'env | grep ^ITSVC_PORT_ | sort > ports.txt; exec sleep 600'";
        Provisioner.Result first = project.provision(service(role("web").run(run)), dev("world"));
        int http = first.instances().get(0).ports().get("http");
        long before = project.pid("web-1");

        Service more = service(role("web").ports(Map.of("http", 8080, "admin", 8081)).run(run));
        Provisioner.Result second = project.provision(more, dev("world"));

        assertThat(second.plan().changes()).extracting(Change::action).containsExactly(Action.REPLACE);
        assertThat(alive(before)).isFalse();
        Instance web = second.instances().get(0);
        assertThat(web.ports()).containsEntry("http", http).containsKey("admin");
        Path ports = project.siteDir.resolve("web-1/root/ports.txt");
        LocalDeployment.await("the new process to write its ports", Duration.ofSeconds(20),
                () -> Files.exists(ports) && read(ports).contains("ITSVC_PORT_HTTP"));
        assertThat(read(ports).lines()).containsExactly("ITSVC_PORT_ADMIN=" + web.ports().get("admin"),
                "ITSVC_PORT_HTTP=" + http);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void aDependencyThatFailsItsCheckStopsProvisioningBeforeItsDependents() throws Exception {
        Service shop = service(
                role("web").dependsOn("db").run(project.server()).file("page.txt.ftl", "page.txt", null),
                role("db").run(project.server()).check(httpCheck("never there", Duration.ofSeconds(3))));

        assertThatThrownBy(() -> project.provision(shop, dev("world")))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("db-1 failed its check db-1 http :http/ expects 200 contains \"never there\"")
                .hasMessageContaining("the roles that depend on db were not started")
                .hasMessageContaining("stdout (last")
                .hasMessageContaining("==== itsvc ");

        assertThat(project.events()).noneMatch(e -> e.contains("web-"));
        assertThat(project.siteDir.resolve("web-1")).doesNotExist();
        assertThat(project.discover()).extracting(Instance::name, Instance::running)
                .containsExactly(tuple("db-1", true));
    }

    @Test
    void aDryRunChangesNothing() throws Exception {
        Service shop = service(role("web").run(SLEEP).file("page.txt.ftl", "page.txt", null),
                role("db").run(SLEEP));

        Provisioner.Result planned = project.provision(shop, dev("world"), true);
        assertThat(planned.applied()).isFalse();
        assertThat(planned.plan().changes()).extracting(Change::action).containsOnly(Action.CREATE);
        assertThat(planned.instances()).isEmpty();
        assertThat(project.siteDir).doesNotExist();
        assertThat(project.log).contains("Dry run: nothing changed");

        project.provision(shop, dev("world"));
        long web = project.pid("web-1");
        Path page = project.siteDir.resolve("web-1/root/page.txt");
        String served = Files.readString(page);

        Provisioner.Result replan = project.provision(shop, dev("moon"), true);
        assertThat(actions(replan.plan())).containsExactlyInAnyOrderEntriesOf(Map.of("web-1", Action.REPLACE,
                "db-1", Action.KEEP));
        assertThat(replan.applied()).isFalse();
        assertThat(project.pid("web-1")).isEqualTo(web);
        assertThat(page).hasContent(served);
    }

    @Test
    void aRoleOfFilesOnlyIsKeptWhileItsFilesAreUnchanged() throws Exception {
        Service shop = service(role("docs").ports(Map.of()).file("hello.sh.ftl", "bin/hello.sh", "0755"));

        Provisioner.Result first = project.provision(shop, dev("world"));
        assertThat(first.plan().changes()).extracting(Change::action).containsExactly(Action.CREATE);
        assertThat(project.siteDir.resolve("docs-1/root/bin/hello.sh")).content().contains("hello from docs-1");

        Provisioner.Result second = project.provision(shop, dev("world"));
        assertThat(second.plan().isNoop()).as(second.plan().lines().toString()).isTrue();
        assertThat(second.instances()).singleElement().satisfies(i -> {
            assertThat(i.running()).isTrue();
            assertThat(i.id()).isNull();
        });

        project.template("hello.sh.ftl", "#!/bin/sh\necho bonjour from ${instance.name}\n");
        Provisioner.Result third = project.provision(shop, dev("world"));
        assertThat(third.plan().changes()).extracting(Change::action).containsExactly(Action.REPLACE);
        assertThat(project.siteDir.resolve("docs-1/root/bin/hello.sh")).content().contains("bonjour");
    }
}
