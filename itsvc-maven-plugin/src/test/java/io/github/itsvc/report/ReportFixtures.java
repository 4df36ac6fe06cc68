package io.github.itsvc.report;

import io.github.itsvc.check.CheckResult;
import io.github.itsvc.model.Binary;
import io.github.itsvc.model.Check;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.target.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A team wiki of three roles, proxy -> web -> store, built by hand, and what goals might have seen of it. */
final class ReportFixtures {

    static final Instant T0 = Instant.parse("2026-01-02T07:00:00Z");

    private ReportFixtures() {}

    static Location at(int line) {
        return new Location("src/main/itsvc/service.yaml", line, 3);
    }

    static Role role(String name, int count, Map<String, Integer> ports, List<String> dependsOn,
            List<Role.FileSpec> files) {
        Check check = new Check(Check.Kind.TCP, null, ports.isEmpty() ? null : ports.keySet().iterator().next(),
                Check.Expect.none(), Duration.ofSeconds(10), Duration.ofSeconds(1), at(20));
        return new Role(name, count, null, null, ports, dependsOn, List.of(), files, ports.isEmpty() ? null
                : "bin/" + name, ports.isEmpty() ? List.of() : List.of(check), at(10));
    }

    static Service teamWiki() {
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("proxy", role("proxy", 1, Map.of("http", 80), List.of("web"), List.of(
                new Role.FileSpec("/itsvc/nginx/reverse-proxy.conf.ftl", "etc/nginx.conf", null, at(12)))));
        roles.put("web", role("web", 2, Map.of("http", 8080), List.of("store"), List.of(
                new Role.FileSpec("/itsvc/tomcat/server.xml.ftl", "conf/server.xml", null, at(13)),
                new Role.FileSpec("index.html.ftl", "webapps/ROOT/index.html", null, at(14)))));
        roles.put("store", role("store", 1, Map.of(), List.of(), List.of()));
        Map<String, Binary> binaries = new LinkedHashMap<>();
        binaries.put("tomcat", new Binary("tomcat", new Binary.MavenSource("org.apache.tomcat", "tomcat", "tar.gz",
                null, "11.0.24"), Map.of("sha256", "ab".repeat(32)), null, null, at(3)));
        binaries.put("tool", new Binary("tool", new Binary.UrlSource("https://publisher.example.org/tool.tar.gz"),
                Map.of(), new Binary.Signature(new Binary.UrlSource("https://publisher.example.org/tool.tar.gz.asc"),
                        "keys/tool.asc"), null, at(5)));
        return new Service("team-wiki", binaries, roles, at(1));
    }

    static Site dev() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("title", "Team <Wiki> (dev)");
        values.put("adminPassword", "hunter2-do-not-show");
        values.put("db", Map.of("user", "wiki"));
        return new Site("dev", "local", null, false, values, Location.of("src/main/itsvc/sites/dev.yaml"));
    }

    static Instance running(String role, int index, int port, String digest) {
        return new Instance(role, index, "127.0.0.1", port == 0 ? Map.of() : Map.of("http", port), digest,
                Instance.State.RUNNING, T0.minusSeconds(60), Integer.toString(1000 + port));
    }

    static CheckResult passed(String role, String instance, long millis) {
        return new CheckResult(role, instance, instance + " tcp :http", CheckResult.Outcome.PASSED, 1, T0,
                Duration.ofMillis(millis), "connected", at(20));
    }

    static CheckResult failed(String role, String instance, long millis, String why) {
        return new CheckResult(role, instance, instance + " http :http/ expects 200 contains \"Welcome\"",
                CheckResult.Outcome.FAILED, 7, T0, Duration.ofMillis(millis), why + "\nGET / -> 200", at(21));
    }
}
