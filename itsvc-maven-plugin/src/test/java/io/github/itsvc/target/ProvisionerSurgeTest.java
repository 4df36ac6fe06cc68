package io.github.itsvc.target;

import static io.github.itsvc.target.LocalDeployment.role;
import static io.github.itsvc.target.LocalDeployment.service;
import static io.github.itsvc.target.LocalDeployment.site;
import static io.github.itsvc.target.LocalDeployment.httpCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.target.Change.Action;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * New before old ("surge") on a target that records what it is asked: every replaced instance's successor is placed on
 * a fresh address, comes up, passes its role's checks (real HTTP checks against loopback addresses, 127.0.0.0/8) and
 * only then is its predecessor retired; a successor that fails is withdrawn and the old instance kept.
 */
@EnabledOnOs(OS.LINUX) // the whole of 127.0.0.0/8 answers on loopback
class ProvisionerSurgeTest {

    @TempDir
    Path dir;

    /** What happened, in order: target calls and the checks' connections, by the address they reached. */
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    HttpServer listening;

    @AfterEach
    void close() {
        if (listening != null) {
            listening.stop(0);
        }
    }

    /**
     * Answers (and records, before answering, so a check passes only once it is recorded) every check's request;
     * bound to {@code bind}, or to every address if null.
     */
    private int listen(InetAddress bind) throws Exception {
        listening = HttpServer.create(new InetSocketAddress(bind, 0), 50);
        listening.createContext("/", exchange -> {
            events.add("checked " + exchange.getLocalAddress().getAddress().getHostAddress());
            byte[] body = "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listening.start();
        return listening.getAddress().getPort();
    }

    /** Instances on loopback addresses; a successor gets a fresh one (from .50 up) and stands beside the old one. */
    final class SurgeTarget implements Target {
        final Map<String, Instance> live = new LinkedHashMap<>();
        final Map<String, Instance> successors = new LinkedHashMap<>();
        final Map<String, String> placed = new LinkedHashMap<>();
        final Map<String, String> fresh = new LinkedHashMap<>();
        final int port;
        int next = 10;
        int nextFresh = 50;
        int ids = 1;

        SurgeTarget(int port) {
            this.port = port;
        }

        @Override
        public boolean surge() {
            return true;
        }

        @Override
        public DataModel.Placements placements() {
            return (role, index) -> {
                String name = DataModel.instanceName(role.name(), index);
                Instance have = live.get(name);
                String address = have != null ? have.address()
                        : placed.computeIfAbsent(name, n -> "127.0.0." + next++);
                return new DataModel.Placement(address, Map.of("http", port), "/srv/" + name, false);
            };
        }

        @Override
        public DataModel.Placements placements(Set<String> renewed) {
            DataModel.Placements current = placements();
            return (role, index) -> {
                String name = DataModel.instanceName(role.name(), index);
                return renewed.contains(name) ? new DataModel.Placement(fresh.computeIfAbsent(name,
                        n -> "127.0.0." + nextFresh++), Map.of("http", port), "/srv/" + name, false)
                        : current.of(role, index);
            };
        }

        @Override
        public List<Instance> discover() {
            return List.copyOf(live.values());
        }

        @Override
        public List<Instance> apply(Role role, List<Change> changes, Map<String, VerifiedBinary> binaries) {
            for (Change c : changes) {
                if (c.action() == Action.DELETE) {
                    live.remove(c.instance());
                } else if (c.action() != Action.KEEP) {
                    Instance made = new Instance(c.role(), c.desired().index(), c.desired().placement().address(),
                            c.desired().placement().ports(), c.desired().configDigest(), Instance.State.RUNNING,
                            Instant.now(), "s" + ids++);
                    events.add((c.action() == Action.CREATE ? "create " : "boot successor ") + c.instance() + " "
                            + made.address());
                    (c.action() == Action.CREATE ? live : successors).put(c.instance(), made);
                }
            }
            Map<String, Instance> now = new LinkedHashMap<>(live);
            now.putAll(successors);
            return now.values().stream().filter(i -> i.role().equals(role.name()))
                    .sorted(Comparator.comparingInt(Instance::index)).toList();
        }

        @Override
        public void retire(Role role, List<Change> replaced) {
            for (Change c : replaced) {
                events.add("retire " + c.instance() + " " + c.actual().address());
                live.put(c.instance(), successors.remove(c.instance()));
                fresh.remove(c.instance());
            }
        }

        @Override
        public void withdraw(List<Change> replaced) {
            for (Change c : replaced) {
                events.add("withdraw " + c.instance() + (successors.remove(c.instance()) != null ? " (booted)" : ""));
                fresh.remove(c.instance());
            }
        }

        @Override
        public void destroy() {}

        @Override
        public String logTail(Instance instance, int lines) {
            return "";
        }
    }

    private Provisioner provisioner(Target target, List<String> log) {
        LocalDeployment project = new LocalDeployment(dir);
        return new Provisioner(target, project.renderer(), dir.resolve("target/itsvc"), project.checks, log::add);
    }

    /** db (two, checked) names nothing; web names db-1's address. */
    private Service shop() throws Exception {
        new LocalDeployment(dir).template("db.conf.ftl", "db ${values.v}\n")
                .template("web.conf.ftl", "db at ${instances.db[0].address}\n");
        return service(role("web").dependsOn("db").file("web.conf.ftl", "web.conf", null),
                role("db").count(2).file("db.conf.ftl", "db.conf", null).check(httpCheck("ok", Duration.ofSeconds(30))));
    }

    @Test
    void eachSuccessorIsUpAndCheckedBeforeItsPredecessorGoesAndPeersNamingItFollow() throws Exception {
        SurgeTarget target = new SurgeTarget(listen(null));
        Service shop = shop();
        provisioner(target, new ArrayList<>()).provision(shop, site(Map.of("v", "1")), List.of(), false);
        assertThat(target.live.values()).extracting(Instance::name, Instance::address).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("web-1", "127.0.0.10"),
                org.assertj.core.groups.Tuple.tuple("db-1", "127.0.0.11"),
                org.assertj.core.groups.Tuple.tuple("db-2", "127.0.0.12"));
        events.clear();
        List<String> log = new ArrayList<>();

        Provisioner.Result result = provisioner(target, log).provision(shop, site(Map.of("v", "2")), List.of(),
                false);

        // db's configuration changed; web's only because it names db-1, whose successor has a new address.
        assertThat(result.plan().changes()).extracting(c -> c.action() + " " + c.instance()).containsExactly(
                "REPLACE web-1", "REPLACE db-1", "REPLACE db-2");
        Change web = result.plan().changes().get(0);
        assertThat(web.reason()).contains("as it names a peer's new address")
                .contains("its successor comes up on a new address, 127.0.0.").contains("before the old one goes");
        assertThat(result.plan().changes().get(1).reason()).startsWith("config changed (")
                .doesNotContain("peer's");
        assertThat(dir.resolve("target/itsvc/dev/web/web-1/root/web.conf")).content()
                .isEqualTo("db at " + result.plan().changes().get(1).desired().placement().address() + "\n");

        List<String> order = events.stream().distinct().toList();
        assertThat(order).containsSubsequence("boot successor db-1 127.0.0.50", "checked 127.0.0.50",
                "retire db-1 127.0.0.11", "boot successor db-2 127.0.0.51", "checked 127.0.0.51",
                "retire db-2 127.0.0.12", "boot successor web-1 127.0.0.52", "retire web-1 127.0.0.10");
        // The old db-2 was still there (not retired) when db-1's successor was checked.
        assertThat(order.indexOf("checked 127.0.0.50")).isLessThan(order.indexOf("retire db-1 127.0.0.11"));
        assertThat(order.indexOf("retire db-1 127.0.0.11")).isLessThan(order.indexOf(
                "boot successor db-2 127.0.0.51"));
        assertThat(order).noneMatch(e -> e.startsWith("withdraw"));
        assertThat(target.live.values()).extracting(Instance::name, Instance::address).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("web-1", "127.0.0.52"),
                org.assertj.core.groups.Tuple.tuple("db-1", "127.0.0.50"),
                org.assertj.core.groups.Tuple.tuple("db-2", "127.0.0.51"));
        assertThat(result.instances()).extracting(Instance::address).containsExactly("127.0.0.50", "127.0.0.51",
                "127.0.0.52");
        assertThat(log).contains("Waiting for the successor of db-1 to pass its checks before the old one goes");

        // Again: the successors are the instances now, and nothing changes.
        events.clear();
        Provisioner.Result again = provisioner(target, new ArrayList<>()).provision(shop, site(Map.of("v", "2")),
                List.of(), false);
        assertThat(again.plan().isNoop()).isTrue();
        assertThat(events).noneMatch(e -> e.startsWith("boot") || e.startsWith("retire"));
    }

    @Test
    void aSuccessorFailingItsChecksIsWithdrawnAndTheOldInstancesKeepServing() throws Exception {
        // Only 127.0.0.10-12 (the old instances) could answer; the successors' fresh addresses refuse.
        SurgeTarget target = new SurgeTarget(listen(InetAddress.getByName("127.0.0.10")));
        Service shop = service(role("db").count(2).check(httpCheck("ok", Duration.ofMillis(500))));
        for (int i = 1; i <= 2; i++) {
            target.live.put("db-" + i, new Instance("db", i, "127.0.0.1" + (i - 1), Map.of("http", target.port),
                    "0".repeat(64), Instance.State.RUNNING, Instant.now(), "old" + i));
        }

        assertThatThrownBy(() -> provisioner(target, new ArrayList<>()).provision(shop, site(Map.of()), List.of(),
                false)).isInstanceOf(TargetException.class).hasMessageContaining("db-1 failed its check")
                .hasMessageContaining("its successor was removed again and db-1 still runs its previous"
                        + " configuration on its old address");

        assertThat(events).containsExactly("boot successor db-1 127.0.0.50", "withdraw db-1 (booted)",
                "withdraw db-2");
        assertThat(target.live.values()).extracting(Instance::id, Instance::configDigest).containsExactly(
                org.assertj.core.groups.Tuple.tuple("old1", "0".repeat(64)),
                org.assertj.core.groups.Tuple.tuple("old2", "0".repeat(64)));
        assertThat(target.successors).isEmpty();
    }
}
