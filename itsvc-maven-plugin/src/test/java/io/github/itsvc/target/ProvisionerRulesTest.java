package io.github.itsvc.target;

import static io.github.itsvc.target.LocalDeployment.role;
import static io.github.itsvc.target.LocalDeployment.service;
import static io.github.itsvc.target.LocalDeployment.site;
import static io.github.itsvc.target.LocalDeployment.tcpCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.target.Change.Action;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner's own rules, on a target that only records what it is asked (no processes): which role is applied
 * when and with which changes, what a dry run does, and what stops provisioning.
 */
class ProvisionerRulesTest {

    @TempDir
    Path dir;

    /** Records every call; instances "run" as soon as they are applied, unless told otherwise. */
    static final class RecordingTarget implements Target {
        final List<Instance> existing = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        final List<List<Change>> applied = new ArrayList<>();
        /** How an applied instance comes out: running by default. */
        BiFunction<String, Integer, Instance.State> outcome = (role, index) -> Instance.State.RUNNING;
        int port = 1;

        @Override
        public DataModel.Placements placements() {
            calls.add("placements");
            return (role, index) -> new DataModel.Placement("127.0.0.1", Map.of("http", port),
                    "/srv/" + role.name() + "-" + index, false);
        }

        @Override
        public List<Instance> discover() {
            calls.add("discover");
            return List.copyOf(existing);
        }

        @Override
        public List<Instance> apply(Role role, List<Change> changes, Map<String, VerifiedBinary> binaries) {
            calls.add("apply " + (role == null ? "(gone)" : role.name()));
            applied.add(changes);
            List<Instance> now = new ArrayList<>();
            for (Change c : changes) {
                existing.removeIf(i -> i.name().equals(c.instance()));
                if (c.action() != Action.DELETE) {
                    Instance.State state = c.action() == Action.KEEP ? c.actual().state()
                            : outcome.apply(c.role(), c.desired().index());
                    Instance i = new Instance(c.role(), c.desired().index(), "127.0.0.1",
                            c.desired().placement().ports(), c.desired().configDigest(), state, Instant.now(),
                            state == Instance.State.RUNNING ? "42" : null);
                    existing.add(i);
                    now.add(i);
                }
            }
            return now;
        }

        @Override
        public void destroy() {
            calls.add("destroy");
        }

        @Override
        public String logTail(Instance instance, int lines) {
            calls.add("logTail " + instance.name());
            return "stderr (last 1 lines):\n  " + instance.name() + ": out of memory\n";
        }
    }

    private Provisioner provisioner(Target target, List<String> log) {
        LocalDeployment project = new LocalDeployment(dir);
        return new Provisioner(target, project.renderer(), dir.resolve("target/itsvc"), project.checks, log::add);
    }

    private static Instance running(String role, int index, String digest) {
        return new Instance(role, index, "127.0.0.1", Map.of("http", 1), digest, Instance.State.RUNNING,
                Instant.now(), "7");
    }

    /** web needs api, api needs db; listed the other way round. */
    private static Service chain() {
        return service(role("web").dependsOn("api"), role("api").dependsOn("db"), role("db"));
    }

    @Test
    void appliesRoleByRoleInStartOrderAfterDeletingRolesThatAreGone() throws Exception {
        RecordingTarget target = new RecordingTarget();
        target.existing.add(running("cache", 1, "0".repeat(64)));
        List<String> log = new ArrayList<>();

        Provisioner.Result result = provisioner(target, log).provision(chain(), site(Map.of()), List.of(), false);

        assertThat(target.calls).containsExactly("placements", "discover", "apply (gone)", "apply db", "apply api",
                "apply web");
        assertThat(target.applied).extracting(changes -> changes.stream().map(Change::instance).toList())
                .containsExactly(List.of("cache-1"), List.of("db-1"), List.of("api-1"), List.of("web-1"));
        assertThat(result.applied()).isTrue();
        assertThat(result.instances()).extracting(Instance::name).containsExactly("db-1", "api-1", "web-1");
        assertThat(log).startsWith("Plan for shop on site dev (target local):",
                "  create  web-1            new instance");
    }

    @Test
    void aDryRunPlansAndAppliesNothing() throws Exception {
        RecordingTarget target = new RecordingTarget();
        target.existing.add(running("cache", 1, "0".repeat(64)));
        List<String> log = new ArrayList<>();

        Provisioner.Result result = provisioner(target, log).provision(chain(), site(Map.of()), List.of(), true);

        assertThat(result.applied()).isFalse();
        assertThat(result.plan().changes()).extracting(Change::action, Change::instance).containsExactly(
                tuple(Action.CREATE, "web-1"), tuple(Action.CREATE, "api-1"), tuple(Action.CREATE, "db-1"),
                tuple(Action.DELETE, "cache-1"));
        assertThat(target.calls).doesNotContain("apply (gone)", "apply db", "apply api", "apply web", "destroy");
        assertThat(result.instances()).extracting(Instance::name).containsExactly("cache-1");
        assertThat(log).last().isEqualTo("Dry run: nothing changed");
    }

    @Test
    void aDependencyThatStoppedRightAfterItsStartStopsProvisioning() throws Exception {
        // No check to run: a dead dependency must fail on its own, not pass because nothing could be checked.
        RecordingTarget target = new RecordingTarget();
        target.outcome = (role, index) -> role.equals("db") ? Instance.State.STOPPED : Instance.State.RUNNING;

        assertThatThrownBy(() -> provisioner(target, new ArrayList<>()).provision(chain(), site(Map.of()), List.of(),
                false))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("db-1 is not running")
                .hasMessageContaining("the roles that depend on db were not started")
                .hasMessageContaining("db-1: out of memory");
        assertThat(target.calls).contains("apply db", "logTail db-1").doesNotContain("apply api", "apply web");
    }

    @Test
    void aCheckedDependencyThatStoppedFailsWithoutWaitingForItsChecks() throws Exception {
        RecordingTarget target = new RecordingTarget();
        target.outcome = (role, index) -> role.equals("db") ? Instance.State.STOPPED : Instance.State.RUNNING;
        Service shop = service(role("web").dependsOn("db"), role("db").check(tcpCheck(Duration.ofMinutes(10))));

        long started = System.nanoTime();
        assertThatThrownBy(() -> provisioner(target, new ArrayList<>()).provision(shop, site(Map.of()), List.of(),
                false))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("db-1 is not running");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
        assertThat(target.calls).doesNotContain("apply web");
    }

    @Test
    void onlyRolesOthersDependOnAreCheckedWhileProvisioning() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            RecordingTarget target = new RecordingTarget();
            target.port = listening.getLocalPort();
            // web's check could never pass (within zero, on a port that is ours): it must not even run.
            Service shop = service(role("web").dependsOn("db").check(LocalDeployment.httpCheck("x", Duration.ZERO)),
                    role("db").check(tcpCheck(Duration.ofSeconds(30))));

            Provisioner.Result result = provisioner(target, new ArrayList<>()).provision(shop, site(Map.of()),
                    List.of(), false);

            assertThat(result.readiness()).extracting(r -> r.instance(), r -> r.passed())
                    .containsExactly(tuple("db-1", true));
        }
    }

    @Test
    void aRollingReplacementChecksEachInstanceBeforeTheNextIsReplaced() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            RecordingTarget target = new RecordingTarget();
            target.port = listening.getLocalPort();
            for (int i = 1; i <= 3; i++) {
                target.existing.add(running("db", i, "0".repeat(64)));
            }
            Service shop = service(role("web").dependsOn("db"), role("db").count(3)
                    .check(tcpCheck(Duration.ofSeconds(30))));
            List<String> log = new ArrayList<>();

            provisioner(target, log).provision(shop, site(Map.of()), List.of(), false);

            assertThat(target.applied).extracting(changes -> changes.stream().map(c -> c.action() + " "
                    + c.instance()).toList()).containsExactly(List.of("REPLACE db-1"), List.of("REPLACE db-2"),
                            List.of("REPLACE db-3"), List.of("CREATE web-1"));
            assertThat(log).contains("Waiting for db-1 to pass its checks before the next instance is replaced",
                    "Waiting for db-2 to pass its checks before the next instance is replaced")
                    .anyMatch(l -> l.startsWith("Replaced instances go one at a time"));
        }
    }

    @Test
    void aRollingReplacementStopsAtTheFirstInstanceThatFailsItsChecks() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        RecordingTarget target = new RecordingTarget();
        target.port = closed; // the new configuration's instances never answer
        for (int i = 1; i <= 3; i++) {
            target.existing.add(running("db", i, "0".repeat(64)));
        }
        Service shop = service(role("web").dependsOn("db"), role("db").count(3)
                .check(tcpCheck(Duration.ofSeconds(1))));

        assertThatThrownBy(() -> provisioner(target, new ArrayList<>()).provision(shop, site(Map.of()), List.of(),
                false)).isInstanceOf(TargetException.class).hasMessageContaining("db-1 failed its check")
                .hasMessageContaining("the other instances of db were not replaced");
        assertThat(target.applied).hasSize(1);
        assertThat(target.existing).filteredOn(i -> !i.name().equals("db-1")).extracting(Instance::configDigest)
                .containsOnly("0".repeat(64));
    }

    @Test
    void keptInstancesAreNotTouched() throws Exception {
        RecordingTarget target = new RecordingTarget();
        Provisioner.Result first = provisioner(target, new ArrayList<>()).provision(chain(), site(Map.of()),
                List.of(), false);
        target.calls.clear();
        target.applied.clear();

        Provisioner.Result second = provisioner(target, new ArrayList<>()).provision(chain(), site(Map.of()),
                List.of(), false);

        assertThat(second.plan().isNoop()).isTrue();
        assertThat(second.plan().changes()).extracting(c -> c.desired().configDigest())
                .containsExactlyElementsOf(first.plan().changes().stream().map(c -> c.desired().configDigest())
                        .toList());
        assertThat(target.applied).allSatisfy(changes -> assertThat(changes).extracting(Change::action)
                .containsOnly(Action.KEEP));
    }

    @Test
    void theDigestFollowsThePlacedPorts() throws Exception {
        RecordingTarget target = new RecordingTarget();
        Provisioner.Result first = provisioner(target, new ArrayList<>()).provision(chain(), site(Map.of()),
                List.of(), true);
        target.port = 2;
        Provisioner.Result second = provisioner(target, new ArrayList<>()).provision(chain(), site(Map.of()),
                List.of(), true);
        assertThat(second.plan().changes().get(0).desired().configDigest())
                .isNotEqualTo(first.plan().changes().get(0).desired().configDigest());
    }
}
