package io.github.itsvc.render;

import io.github.itsvc.model.Binary;
import io.github.itsvc.model.Check;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A fixture service built by hand (the YAML parser is not ours to depend on): a team wiki with two Tomcat web
 * instances behind an nginx proxy and a role with nothing to render, and its {@code dev} and {@code live} sites.
 */
final class Fixtures {

    static final String SERVICE_FILE = "src/main/itsvc/service.yaml";

    private Fixtures() {}

    /** The module's base directory (surefire sets {@code basedir}). */
    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    }

    /** The fixture project: its own templates live in {@code src/main/itsvc/templates}. */
    static Path projectDir() {
        return moduleDir().resolve("src/test/resources/render/project");
    }

    static Renderer renderer() {
        return renderer(projectDir());
    }

    static Renderer renderer(Path projectDir) {
        return new Renderer(projectDir, projectDir.resolve("src/main/itsvc/templates"),
                Fixtures.class.getClassLoader());
    }

    static Location at(int line, int column) {
        return new Location(SERVICE_FILE, line, column);
    }

    static Service teamWiki() {
        Binary tomcat = new Binary("tomcat",
                new Binary.MavenSource("org.apache.tomcat", "tomcat", "tar.gz", null, "11.0.24"),
                Map.of("sha512", "ab".repeat(64)), null, null, at(3, 3));
        Role web = new Role("web", 2, new Role.Image("debian-12", null), "m1.small", Map.of("http", 8080),
                List.of(), List.of(new Role.Install("tomcat", "opt/tomcat", 1, at(15, 9))),
                List.of(file("itsvc/tomcat/server.xml.ftl", "opt/tomcat/conf/server.xml", "0644", 17),
                        file("index.html.ftl", "opt/tomcat/webapps/ROOT/index.html", "0644", 18),
                        file("units/role.service.ftl", "etc/itsvc-web.service", "0644", 19)),
                "opt/tomcat/bin/catalina.sh run",
                List.of(new Check(Check.Kind.HTTP, "/", "http", new Check.Expect(200, "Team Wiki", null, Map.of()),
                        Duration.ofSeconds(120), Duration.ofSeconds(5), at(22, 9))),
                at(8, 3));
        Role proxy = new Role("proxy", 1, new Role.Image("debian-12", null), "m1.tiny", Map.of("http", 80),
                List.of("web"), List.of(),
                List.of(file("itsvc/nginx/reverse-proxy.conf.ftl", "etc/nginx/conf.d/team-wiki.conf", null, 30)),
                "/usr/sbin/nginx -g 'daemon off;'", List.of(), at(24, 3));
        // Nothing to render and nothing to run: user-data without write_files must still be valid.
        Role spare = new Role("spare", 1, null, null, Map.of(), List.of(), List.of(), List.of(), null, List.of(),
                at(33, 3));
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put(web.name(), web);
        roles.put(proxy.name(), proxy);
        roles.put(spare.name(), spare);
        return new Service("team-wiki", Map.of("tomcat", tomcat), roles, at(1, 1));
    }

    static Role.FileSpec file(String template, String to, String mode, int line) {
        return new Role.FileSpec(template, to, mode, at(line, 9));
    }

    static Site dev() {
        return new Site("dev", "local", null, false, Map.of("title", "Team Wiki <dev>"),
                Location.of("src/main/itsvc/sites/dev.yaml"));
    }

    static Site live() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("title", "Team Wiki");
        values.put("sshAuthorizedKeys", List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyOps ops@example.org"));
        Map<String, Object> alice = new LinkedHashMap<>();
        alice.put("name", "alice");
        alice.put("sudo", true);
        alice.put("groups", List.of("adm", "systemd-journal"));
        alice.put("sshAuthorizedKeys", List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyAlice alice@example.org"));
        Map<String, Object> bob = new LinkedHashMap<>();
        bob.put("name", "bob");
        bob.put("sudo", "ALL=(ALL) NOPASSWD:/usr/bin/systemctl");
        values.put("users", List.of(alice, bob));
        values.put("proxy", Map.of("serverName", "wiki.example.org"));
        values.put("tomcat", Map.of("maxThreads", 50));
        return new Site("live", "openstack", "acme", false, values, Location.of("src/main/itsvc/sites/live.yaml"));
    }

    /** Every regular file under {@code dir}, by {@code /}-separated relative path. */
    static Map<String, byte[]> tree(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** Writes a text file, creating its parents. */
    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
