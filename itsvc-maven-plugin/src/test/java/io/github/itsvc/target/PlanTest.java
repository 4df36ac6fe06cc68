package io.github.itsvc.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.target.Change.Action;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Desired against actual, instance by instance: what is created, replaced, deleted or kept, and why. */
class PlanTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static Role role(String name, int count, String run) {
        return new Role(name, count, null, null, Map.of("http", 8080), List.of(), List.of(), List.of(), run,
                List.of(), Location.of("src/main/itsvc/service.yaml"));
    }

    private static Role role(String name, int count) {
        return role(name, count, "bin/run");
    }

    private static DesiredInstance want(Role role, int index, String digest) {
        return new DesiredInstance(role, index,
                new DataModel.Placement("127.0.0.1", Map.of("http", 40000 + index), "/srv/" + role.name(), false),
                Path.of("target/itsvc/dev", role.name(), role.name() + "-" + index), digest);
    }

    private static Instance running(String role, int index, String digest) {
        return new Instance(role, index, "127.0.0.1", Map.of("http", 40000 + index), digest, Instance.State.RUNNING,
                Instant.parse("2025-01-01T00:00:00Z"), Long.toString(1000 + index));
    }

    private static Instance stopped(String role, int index, String digest) {
        return new Instance(role, index, "127.0.0.1", Map.of("http", 40000 + index), digest, Instance.State.STOPPED,
                null, null);
    }

    @Test
    void createsWhatDoesNotExist() {
        Role web = role("web", 2);
        Plan plan = Plan.between(List.of(want(web, 1, A), want(web, 2, A)), List.of());

        assertThat(plan.changes()).extracting(Change::action, Change::instance, Change::role, Change::reason)
                .containsExactly(
                        tuple(Action.CREATE, "web-1", "web", "new instance"),
                        tuple(Action.CREATE, "web-2", "web", "new instance"));
        assertThat(plan.changes()).allSatisfy(c -> {
            assertThat(c.actual()).isNull();
            assertThat(c.desired()).isNotNull();
        });
        assertThat(plan.isNoop()).isFalse();
    }

    @Test
    void keepsWhatRunsTheSameDigest() {
        Role web = role("web", 1);
        Instance have = running("web", 1, A);
        Plan plan = Plan.between(List.of(want(web, 1, A)), List.of(have));

        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.KEEP);
            assertThat(c.actual()).isSameAs(have);
            assertThat(c.reason()).isEqualTo("unchanged (aaaaaaaaaaaa)");
        });
        assertThat(plan.isNoop()).isTrue();
    }

    @Test
    void replacesAChangedDigestAndSaysFromWhatToWhat() {
        Role web = role("web", 1);
        Plan plan = Plan.between(List.of(want(web, 1, B)), List.of(running("web", 1, A)));

        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.REPLACE);
            assertThat(c.reason()).isEqualTo("config changed (aaaaaaaaaaaa -> bbbbbbbbbbbb)");
            assertThat(c.desired().configDigest()).isEqualTo(B);
            assertThat(c.actual().configDigest()).isEqualTo(A);
        });
        assertThat(plan.isNoop()).isFalse();
    }

    @Test
    void replacesAStoppedInstanceEvenWithTheSameDigest() {
        Role web = role("web", 1);
        Plan plan = Plan.between(List.of(want(web, 1, A)), List.of(stopped("web", 1, A)));

        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.REPLACE);
            assertThat(c.reason()).isEqualTo("not running");
        });
        assertThat(plan.isNoop()).isFalse();
    }

    @Test
    void deletesInstancesBeyondTheCountAndSaysSo() {
        Role web = role("web", 1);
        Plan plan = Plan.between(List.of(want(web, 1, A)),
                List.of(running("web", 1, A), running("web", 2, A), stopped("web", 3, A)));

        assertThat(plan.changes()).extracting(Change::action, Change::instance).containsExactly(
                tuple(Action.KEEP, "web-1"),
                tuple(Action.DELETE, "web-2"),
                tuple(Action.DELETE, "web-3"));
        Change delete = plan.changes().get(1);
        assertThat(delete.desired()).isNull();
        assertThat(delete.actual().name()).isEqualTo("web-2");
        assertThat(delete.role()).isEqualTo("web");
        assertThat(delete.reason()).isEqualTo("role web now has 1 instance");
        assertThat(plan.isNoop()).isFalse();
    }

    @Test
    void deletesInstancesOfARoleNoLongerInTheService() {
        Role web = role("web", 1);
        Plan plan = Plan.between(List.of(want(web, 1, A)), List.of(running("cache", 1, A), running("web", 1, A)));

        assertThat(plan.changes()).extracting(Change::action, Change::instance, Change::reason).containsExactly(
                tuple(Action.KEEP, "web-1", "unchanged (aaaaaaaaaaaa)"),
                tuple(Action.DELETE, "cache-1",
                        "role cache is no longer in the service"));
        assertThat(plan.forRole("cache")).singleElement().extracting(Change::role).isEqualTo("cache");
    }

    @Test
    void ordersChangesAsDesiredThenDeletionsInDiscoveryOrder() {
        Role db = role("db", 1);
        Role web = role("web", 2);
        // Discovered in another order than desired: the plan follows the desired order.
        List<Instance> actual = List.of(running("old", 1, A), running("web", 2, B), running("web", 1, A),
                stopped("db", 1, A), running("old", 2, A));
        Plan plan = Plan.between(List.of(want(db, 1, A), want(web, 1, A), want(web, 2, A), want(web, 3, A)),
                actual);

        assertThat(plan.changes()).extracting(Change::action, Change::instance).containsExactly(
                tuple(Action.REPLACE, "db-1"),
                tuple(Action.KEEP, "web-1"),
                tuple(Action.REPLACE, "web-2"),
                tuple(Action.CREATE, "web-3"),
                tuple(Action.DELETE, "old-1"),
                tuple(Action.DELETE, "old-2"));
        assertThat(plan.forRole("web")).extracting(Change::instance).containsExactly("web-1", "web-2", "web-3");
        assertThat(plan.forRole("db")).extracting(Change::instance).containsExactly("db-1");
        assertThat(plan.forRole("old")).extracting(Change::action).containsOnly(Action.DELETE);
        assertThat(plan.forRole("nope")).isEmpty();
    }

    @Test
    void anEmptyPlanIsANoop() {
        assertThat(Plan.between(List.of(), List.of()).isNoop()).isTrue();
        assertThat(Plan.between(List.of(), List.of()).lines()).isEmpty();
    }

    @Test
    void linesShowActionInstanceAndReasonInColumns() {
        Role web = role("web", 2);
        Plan plan = Plan.between(List.of(want(web, 1, A), want(web, 2, B)),
                List.of(running("web", 1, A), running("web", 2, A), running("web", 3, A)));

        assertThat(plan.lines()).containsExactly(
                "keep    web-1            unchanged (aaaaaaaaaaaa)",
                "replace web-2            config changed (aaaaaaaaaaaa -> bbbbbbbbbbbb)",
                "delete  web-3            role web now has 2 instances");
        assertThat(plan.lines()).isUnmodifiable();
    }

    @Test
    void theChangesCannotBeAlteredFromOutside() {
        java.util.ArrayList<Change> list = new java.util.ArrayList<>();
        Plan plan = new Plan(list);
        list.add(new Change(Action.DELETE, "web-1", "web", null, running("web", 1, A), "gone"));
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.changes()).isUnmodifiable();
    }

    @Test
    void aDigestNeverRecordedShowsAsNone() {
        assertThat(Plan.shortDigest(null)).isEqualTo("none");
        assertThat(Plan.shortDigest("abc")).isEqualTo("abc");
    }
}
