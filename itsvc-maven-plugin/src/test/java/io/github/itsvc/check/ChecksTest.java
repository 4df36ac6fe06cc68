package io.github.itsvc.check;

import static io.github.itsvc.check.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.model.Check;
import io.github.itsvc.model.Check.Expect;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChecksTest {

    private static final Duration D = Duration.ofSeconds(10);

    @Test
    void namesSayWhatIsChecked() {
        Endpoint web = Fixtures.web(8080);
        assertThat(Checks.name(Fixtures.http("/", expect(200, "team-wiki", null, Map.of()), D, D), web))
                .isEqualTo("web-1 http :http/ expects 200 contains \"team-wiki\"");
        assertThat(Checks.describe(Fixtures.http("/health", Expect.none(), D, D)))
                .isEqualTo("http :http/health expects 200");
        assertThat(Checks.describe(Fixtures.http("https://example.org/x", expect(302, null, "v[0-9]+",
                new TreeMap<>(Map.of("Location", "/login", "Cache-Control", "no-store"))), D, D)))
                .isEqualTo("http https://example.org/x expects 302 matches \"v[0-9]+\""
                        + " header Cache-Control=\"no-store\" header Location=\"/login\"");
        assertThat(Checks.describe(Fixtures.tcp("db", D, D))).isEqualTo("tcp :db");
        assertThat(Checks.describe(Fixtures.command("bin/health --quick", Expect.none(), D, D)))
                .isEqualTo("command \"bin/health --quick\" expects exit 0");
        assertThat(Checks.describe(Fixtures.command("test \"$(cat x)\" = y", expect(3, "a\tb", null, Map.of()), D,
                D))).isEqualTo("command \"test \\\"$(cat x)\\\" = y\" expects exit 3 contains \"a\\tb\"");
    }

    @Test
    void namesStayOneLineOfBoundedLength() {
        String name = Checks.describe(Fixtures.command("for i in 1 2 3\ndo\n  curl -fsS http://x/$i\ndone"
                + " ".repeat(100) + "# the end", Expect.none(), D, D));

        assertThat(name).doesNotContain("\n").hasSizeLessThan(100)
                .isEqualTo("command \"for i in 1 2 3\\ndo\\n  curl -fsS http://x/$i\\ndone" + " ".repeat(14)
                        + "...\" expects exit 0");
    }

    @Test
    void namesDoNotChangeWithTiming() {
        assertThat(Checks.describe(Fixtures.tcp("db", D, D)))
                .isEqualTo(Checks.describe(Fixtures.tcp("db", Duration.ofMinutes(2), Duration.ofSeconds(1))));
    }

    private static Role role(String name, List<String> dependsOn, List<Check> checks) {
        return new Role(name, 2, null, null, Map.of("http", 8080), dependsOn, List.of(), List.of(), null, checks,
                Location.of("service.yaml"));
    }

    @Test
    void planGoesByStartOrderThenInstanceThenCheck() {
        Check webHealth = Fixtures.http("/health", Expect.none(), D, D);
        Check webPort = Fixtures.tcp("http", D, D);
        Check dbPort = Fixtures.tcp("http", D, D);
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("web", role("web", List.of("db"), List.of(webHealth, webPort)));
        roles.put("db", role("db", List.of(), List.of(dbPort)));
        roles.put("idle", role("idle", List.of(), List.of()));
        Service service = new Service("team-wiki", Map.of(), roles, Location.of("service.yaml"));
        Endpoint web1 = new Endpoint("web", "web-1", "127.0.0.1", Map.of("http", 1));
        Endpoint web2 = new Endpoint("web", "web-2", "127.0.0.1", Map.of("http", 2));
        Endpoint db1 = new Endpoint("db", "db-1", "127.0.0.1", Map.of("http", 3));
        Endpoint stray = new Endpoint("gone", "gone-1", "127.0.0.1", Map.of("http", 4));
        List<Endpoint> endpoints = List.of(web1, web2, stray, db1);

        assertThat(Checks.plan(service, endpoints)).containsExactly(
                new InstanceCheck(dbPort, db1),
                new InstanceCheck(webHealth, web1),
                new InstanceCheck(webPort, web1),
                new InstanceCheck(webHealth, web2),
                new InstanceCheck(webPort, web2));
        assertThat(Checks.plan(roles.get("db"), endpoints)).containsExactly(new InstanceCheck(dbPort, db1));
        assertThat(Checks.plan(roles.get("idle"), endpoints)).isEmpty();
        assertThat(new InstanceCheck(webPort, web2).name()).isEqualTo("web-2 tcp :http");
    }
}
