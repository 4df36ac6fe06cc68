package io.github.itsvc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.itsvc.model.Binary.Checksums;
import io.github.itsvc.model.Binary.FileSource;
import io.github.itsvc.model.Binary.MavenSource;
import io.github.itsvc.model.Binary.Signature;
import io.github.itsvc.model.Binary.UrlSource;
import io.github.itsvc.model.Check.Expect;
import io.github.itsvc.model.Check.Kind;
import io.github.itsvc.model.Role.FileSpec;
import io.github.itsvc.model.Role.Image;
import io.github.itsvc.model.Role.Install;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionReaderTest {

    private static final String SERVICE = "src/main/itsvc/service.yaml";

    @TempDir
    Path project;

    private Path definition() {
        return project.resolve("src/main/itsvc");
    }

    private DefinitionReader reader() {
        return new DefinitionReader(project, definition());
    }

    private Service readService(String fixture) throws InvalidInputException {
        Fixture.of(fixture).installAs(project, "service.yaml");
        return reader().readService();
    }

    private void write(String relative, String text) throws IOException {
        Path file = definition().resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    // ---- service

    @Test
    void fullExampleBindsToRecords() throws InvalidInputException {
        Service service = readService("service/good/full.yaml");

        String sha512 = "0123456789abcdef".repeat(8);
        Service expected = new Service("team-wiki", linked(
                "tomcat", new Binary("tomcat", new MavenSource("org.apache.tomcat", "tomcat", "tar.gz", null, "11.0.24"),
                        Map.of("sha512", sha512), null, null, null),
                "tool", new Binary("tool", new UrlSource("https://publisher.example.org/tool-1.2.tar.gz"),
                        Map.of("sha256", "fedcba9876543210".repeat(4)),
                        new Signature(new UrlSource("https://publisher.example.org/tool-1.2.tar.gz.asc"), "keys/tool.asc"),
                        null, null),
                "postgres", new Binary("postgres",
                        new MavenSource("org.example.db", "postgres", "tar.gz", "linux-x86_64", "16.4"), Map.of(), null,
                        new Checksums(new UrlSource("https://db.example.org/16.4/SHA512SUMS"),
                                new Signature(new FileSource("checksums/SHA512SUMS.asc"), "keys/db.asc"),
                                "postgres-16.4-linux-x86_64.tar.gz"),
                        null),
                "debian-12-cloud", new Binary("debian-12-cloud", new FileSource("images/debian-12.qcow2"), Map.of(),
                        null, null, null)),
                linked(
                "web", new Role("web", 2, new Image("debian-12", null), "m1.small", linked("http", 8080, "shutdown", 8005),
                        List.of("db"),
                        List.of(new Install("tomcat", "opt/tomcat", 1, null)),
                        List.of(new FileSpec("tomcat/server.xml.ftl", "opt/tomcat/conf/server.xml", "0644", null),
                                new FileSpec("itsvc/systemd/unit.ftl", "etc/systemd/system/web.service", "0600", null),
                                new FileSpec("bin/start.sh.ftl", "bin/start.sh", "0755", null)),
                        "opt/tomcat/bin/catalina.sh run",
                        List.of(new Check(Kind.HTTP, "/", "http", new Expect(200, "Team Wiki", null, Map.of()),
                                        Duration.ofSeconds(120), Duration.ofSeconds(10), null),
                                new Check(Kind.HTTP, "https://wiki.example.org/health", null,
                                        new Expect(null, null, "Version [0-9.]+",
                                                Map.of("Content-Type", "text/html", "X-Count", "3")),
                                        Duration.ofSeconds(90), Duration.ofMillis(500), null)),
                        null),
                "db", new Role("db", 1, new Image(null, "debian-12-cloud"), null, Map.of("pg", 5432), List.of(),
                        List.of(new Install("postgres", ".", 0, null)), List.of(), "bin/postgres -D data",
                        List.of(new Check(Kind.TCP, null, "pg", Expect.none(), Duration.ofSeconds(60),
                                        Duration.ofSeconds(10), null),
                                new Check(Kind.COMMAND, "bin/pg_isready", null, new Expect(0, null, null, Map.of()),
                                        Duration.ofSeconds(60), Duration.ofSeconds(2), null)),
                        null)),
                null);

        assertThat(service).usingRecursiveComparison().ignoringFieldsMatchingRegexes("(.*\\.)?location")
                .isEqualTo(expected);
        // File order is kept where it means something: roles start in it, ports are listed in it.
        assertThat(service.binaries().keySet()).containsExactly("tomcat", "tool", "postgres", "debian-12-cloud");
        assertThat(service.roles().keySet()).containsExactly("web", "db");
        assertThat(service.roles().get("web").ports().keySet()).containsExactly("http", "shutdown");
        // Locations point at what the user wrote.
        assertThat(service.location()).hasToString(SERVICE + ":2:1");
        assertThat(service.binaries().get("tool").location()).hasToString(SERVICE + ":7:3");
        Role web = service.roles().get("web");
        assertThat(web.location()).hasToString(SERVICE + ":17:3");
        assertThat(web.install().get(0).location()).hasToString(SERVICE + ":24:9");
        assertThat(web.files().get(1).location()).hasToString(SERVICE + ":27:9");
        assertThat(web.checks().get(1).location()).hasToString(SERVICE + ":32:9");
    }

    @Test
    void minimalServiceGetsTheDefaults() throws InvalidInputException {
        Service service = readService("service/good/minimal.yaml");
        Role app = service.roles().get("app");
        assertThat(app).isEqualTo(new Role("app", 1, null, null, Map.of(), List.of(), List.of(), List.of(),
                "bin/hello", List.of(), new Location(SERVICE, 3, 3)));
        assertThat(service.binaries()).isEmpty();
    }

    @Test
    void checkAndFileDefaults() throws Exception {
        write("service.yaml", """
                name: x
                roles:
                  web:
                    ports: { http: 80 }
                    files: [{ template: a.ftl, to: a }]
                    checks: [{ http: /, port: http }]
                """);
        Role web = reader().readService().roles().get("web");
        assertThat(web.files().get(0).mode()).isEqualTo("0644");
        Check check = web.checks().get(0);
        assertThat(check.within()).isEqualTo(Duration.ofSeconds(60));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(check.expect()).isEqualTo(Expect.none());
    }

    @Test
    void aliasesReadLikeCopies() throws InvalidInputException {
        Service service = readService("service/good/anchors.yaml");
        Role a = service.roles().get("worker-a");
        Role b = service.roles().get("worker-b");
        assertThat(b).usingRecursiveComparison().ignoringFields("name", "location").isEqualTo(a);
        assertThat(b.name()).isEqualTo("worker-b");
        assertThat(service.roles().get("front").checks().get(0)).usingRecursiveComparison()
                .isEqualTo(a.checks().get(0));
        assertThat(service.binaries().get("app").source()).isEqualTo(new UrlSource("http://repo.example.org/app-1.0.tar.gz"));
    }

    @Test
    void fileNamesOfEverySource() {
        assertThat(new MavenSource("org.apache.tomcat", "tomcat", "tar.gz", null, "11.0.24").fileName())
                .isEqualTo("tomcat-11.0.24.tar.gz");
        assertThat(new MavenSource("org.example", "db", "zip", "linux-x86_64", "1.0").fileName())
                .isEqualTo("db-1.0-linux-x86_64.zip");
        assertThat(new UrlSource("https://example.org/dist/tool-1.2.tar.gz?mirror=1#x").fileName())
                .isEqualTo("tool-1.2.tar.gz");
        assertThat(new UrlSource("https://example.org/dist/a%20b.zip").fileName()).isEqualTo("a b.zip");
        assertThat(new UrlSource("https://example.org/dist/").fileName()).isNull();
        assertThat(new UrlSource("https://example.org").fileName()).isNull();
        assertThat(new FileSource("images/debian-12.qcow2").fileName()).isEqualTo("debian-12.qcow2");
        assertThat(new FileSource("app.jar").fileName()).isEqualTo("app.jar");
        Binary noFileName = new Binary("tool", new UrlSource("https://example.org/download/"), Map.of(), null, null,
                null);
        assertThat(noFileName.fileName()).isEqualTo("tool");
    }

    @Test
    void checksumListNamesTheEntryOrDefaultsToTheFileName() throws Exception {
        write("service.yaml", """
                name: x
                binaries:
                  a:
                    url: https://example.org/dist/a-1.0.tar.gz
                    sha256: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                    checksums:
                      url: https://example.org/dist/SHA256SUMS
                      signature: { url: https://example.org/dist/SHA256SUMS.asc, keys: keys/a.asc }
                  b:
                    file: lib/b.bin
                    checksums:
                      file: lib/SHA512SUMS
                      signature: { file: lib/SHA512SUMS.sig, keys: keys/b.asc }
                      name: b-linux.bin
                roles:
                  web: { run: x }
                """);
        Service service = reader().readService();
        Binary a = service.binaries().get("a");
        assertThat(a.hashes()).containsExactly(Map.entry("sha256", "a".repeat(64)));
        assertThat(a.checksums()).isEqualTo(new Checksums(new UrlSource("https://example.org/dist/SHA256SUMS"),
                new Signature(new UrlSource("https://example.org/dist/SHA256SUMS.asc"), "keys/a.asc"),
                "a-1.0.tar.gz"));
        assertThat(service.binaries().get("b").checksums()).isEqualTo(new Checksums(new FileSource("lib/SHA512SUMS"),
                new Signature(new FileSource("lib/SHA512SUMS.sig"), "keys/b.asc"), "b-linux.bin"));
    }

    // ---- start order

    @Test
    void startOrderPutsDependenciesFirstAndKeepsFileOrderOtherwise() throws Exception {
        assertThat(names(readService("service/good/full.yaml").startOrder())).containsExactly("db", "web");
        write("service.yaml", """
                name: x
                roles:
                  proxy: { dependsOn: [web], run: a }
                  web: { dependsOn: [db, cache], run: a }
                  worker: { dependsOn: [db], run: a }
                  db: { run: a }
                  cache: { run: a }
                  docs: { run: a }
                """);
        assertThat(names(reader().readService().startOrder()))
                .containsExactly("db", "worker", "cache", "web", "proxy", "docs");
    }

    @Test
    void startOrderWithoutDependenciesIsFileOrder() throws InvalidInputException {
        assertThat(names(readService("service/good/anchors.yaml").startOrder()))
                .containsExactly("worker-a", "worker-b", "front");
    }

    @Test
    void startOrderRefusesACycleBuiltByHand() {
        Role a = new Role("a", 1, null, null, Map.of(), List.of("b"), List.of(), List.of(), "x", List.of(), null);
        Role b = new Role("b", 1, null, null, Map.of(), List.of("a"), List.of(), List.of(), "x", List.of(), null);
        Service service = new Service("s", Map.of(), linked("a", a, "b", b), null);
        assertThatThrownBy(service::startOrder).isInstanceOf(IllegalStateException.class).hasMessageContaining("[a, b]");
    }

    // ---- all problems, message format

    @Test
    void collectsEveryProblemInFileOrderIntoOneMessage() throws IOException {
        write("service.yaml", """
                name: wiki
                roles:
                  web:
                    cont: 2
                    ports: { http: 8080, admin: 8080 }
                    checks:
                      - { http: /, port: http, within: 120 }
                """);
        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readService());
        String nl = System.lineSeparator();
        assertThat(e.getMessage()).isEqualTo("3 problems:" + nl
                + SERVICE + ":4:5: unknown key 'cont' in role 'web'" + nl
                + "    fix: did you mean 'count'? allowed keys: 'count', 'image', 'flavor', 'ports', 'dependsOn',"
                + " 'install', 'files', 'run', 'checks'" + nl
                + SERVICE + ":5:33: port 'admin' of role 'web' has the number 8080, which port 'http' already has" + nl
                + "    fix: give each port of the role its own number" + nl
                + SERVICE + ":7:40: 'within' in check 1 of role 'web' has no unit: 120" + nl
                + "    fix: write 120s");
        assertThat(e.problems()).hasSize(3);
    }

    @Test
    void problemsOfTheWholeFileAreReportedEvenAfterEarlyOnes() throws IOException {
        write("service.yaml", """
                nmae: wiki
                binaries:
                  t: { url: ftp://x }
                roles:
                  web:
                    dependsOn: [web]
                    install: [{ binary: nope, unpack: /abs }]
                    checks: [{ tcp: nope }]
                """);
        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readService());
        assertThat(e.problems()).extracting(p -> p.location().line())
                .containsExactly(1, 1, 3, 6, 7, 7, 8).isSorted();
    }

    // ---- files and names

    @Test
    void missingServiceDefinitionSaysWhatToCreate() {
        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readService());
        assertThat(e.getMessage()).contains(SERVICE + ": the service definition is missing")
                .contains("fix: create " + SERVICE + " with a 'name:'");
    }

    @Test
    void serviceYmlIsRecognized() throws IOException {
        write("service.yml", "name: x\n");
        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readService());
        assertThat(e.problems().get(0).fix()).isEqualTo("rename service.yml to service.yaml");
    }

    @Test
    void locationsAreRelativeToTheProjectWithSlashes() throws IOException {
        Path outside = project.resolve("../elsewhere-" + project.getFileName()).normalize();
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("service.yaml"), "name: 1\nroles: { a: { run: x } }\n");
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> new DefinitionReader(project, outside).readService());
        assertThat(e.problems().get(0).location().file()).isEqualTo(outside.resolve("service.yaml").toString());

        write("service.yaml", "name: 1\nroles: { a: { run: x } }\n");
        e = catchThrowableOfType(InvalidInputException.class,
                () -> new DefinitionReader(project, project.resolve("src/../src/main/itsvc")).readService());
        assertThat(e.problems().get(0).location()).hasToString(SERVICE + ":1:7");
    }

    @Test
    void notUtf8IsAProblemAndABomIsFine() throws Exception {
        Path file = definition().resolve("service.yaml");
        Files.createDirectories(definition());
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readService());
        assertThat(e.problems()).extracting(Problem::message).containsExactly("the file is not valid UTF-8");

        Files.write(file, ("\uFEFFname: x\nroles: { a: { run: b } }\n").getBytes(StandardCharsets.UTF_8));
        assertThat(reader().readService().name()).isEqualTo("x");
    }

    // ---- sites

    @Test
    void readsASubscription() throws Exception {
        Fixture.of("site/good/subscriber.yaml").installAs(project, "sites/subscriber.yaml");
        Site site = reader().readSite("subscriber");
        assertThat(site.subscription()).isNotNull();
        assertThat(site.subscription().upstream()).isEqualTo("git://127.0.0.1/team-wiki.git");
        assertThat(site.subscription().channel()).isEqualTo("live");
        assertThat(site.subscription().accept()).isEqualTo("patch");
        assertThat(site.subscription().keys()).containsExactly("keys/release.asc");
        assertThat(site.subscription().location().line()).isEqualTo(3);
    }

    @Test
    void siteValuesArePlainJavaInFileOrder() throws InvalidInputException {
        Fixture.of("site/good/dev.yaml").installAs(project, "sites/dev.yaml");
        Site site = reader().readSite("dev");
        assertThat(site.name()).isEqualTo("dev");
        assertThat(site.target()).isEqualTo("local");
        assertThat(site.cloud()).isNull();
        assertThat(site.allowHttp()).isTrue();
        assertThat(site.location()).hasToString("src/main/itsvc/sites/dev.yaml:1:1");
        assertThat(site.values().keySet())
                .containsExactly("greeting", "replicas", "big", "ratio", "enabled", "nothing", "admins", "db");
        assertThat(site.values().get("greeting")).isEqualTo("Hello");
        assertThat(site.values().get("replicas")).isEqualTo(3);
        assertThat(site.values().get("big")).isEqualTo(10_000_000_000L);
        assertThat(site.values().get("ratio")).isEqualTo(0.5);
        assertThat(site.values().get("enabled")).isEqualTo(true);
        assertThat(site.values()).containsEntry("nothing", null);
        assertThat(site.values().get("admins")).isEqualTo(List.of("alice", "bob"));
        assertThat(site.values().get("db")).isEqualTo(Map.of("user", "wiki", "port", 5432));
        assertThat(List.copyOf(((Map<?, ?>) site.values().get("db")).keySet())).isEqualTo(List.of("user", "port"));
    }

    @Test
    void openstackSiteAndEmptyValues() throws InvalidInputException {
        Fixture.of("site/good/live.yaml").installAs(project, "sites/live.yaml");
        Fixture.of("site/good/beta.yaml").installAs(project, "sites/beta.yaml");
        assertThat(reader().readSite("live")).usingRecursiveComparison().ignoringFields("location")
                .isEqualTo(new Site("live", "openstack", "company-cloud", false, Map.of("hostname", "wiki.example.org"),
                        null));
        assertThat(reader().readSite("beta").values()).isEmpty();
    }

    @Test
    void largeAndSpecialNumbersInValues() throws Exception {
        write("sites/dev.yaml", "target: local\nvalues: { huge: 123456789012345678901234567890, hex: 0x1F, inf: -.inf }\n");
        Map<String, Object> values = reader().readSite("dev").values();
        assertThat(values.get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(values.get("hex")).isEqualTo(31);
        assertThat(values.get("inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void missingSiteNamesTheSitesThatExist() throws IOException {
        write("sites/dev.yaml", "target: local\n");
        write("sites/live.yaml", "target: openstack\ncloud: c\n");
        write("sites/notes.txt", "not a site");
        assertThat(reader().siteNames()).containsExactly("dev", "live");

        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readSite("beta"));
        assertThat(e.problems()).containsExactly(new Problem(Location.fileOnly("src/main/itsvc/sites"),
                "there is no site 'beta' (sites: 'dev', 'live')",
                "create src/main/itsvc/sites/beta.yaml with 'target: local', or use one of the sites: 'dev', 'live'"));
        assertThat(e.getMessage()).startsWith("1 problem:" + System.lineSeparator()
                + "src/main/itsvc/sites: there is no site 'beta'");

        e = catchThrowableOfType(InvalidInputException.class, () -> reader().readSite("deb"));
        assertThat(e.problems().get(0).fix()).startsWith("did you mean 'dev'? create src/main/itsvc/sites/deb.yaml");
    }

    @Test
    void noSitesAtAll() {
        assertThat(reader().siteNames()).isEmpty();
        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readSite("dev"));
        assertThat(e.problems().get(0).message()).isEqualTo("there is no site 'dev' (no site is defined yet)");
        assertThat(e.problems().get(0).fix()).isEqualTo("create src/main/itsvc/sites/dev.yaml with 'target: local'");
    }

    @Test
    void siteYmlIsRecognized() throws IOException {
        write("sites/dev.yml", "target: local\n");
        var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readSite("dev"));
        assertThat(e.problems().get(0).fix()).isEqualTo("rename src/main/itsvc/sites/dev.yml to dev.yaml");
    }

    @Test
    void siteNamesAreCheckedBeforeTouchingFiles() throws IOException {
        write("sites/dev.yaml", "target: local\n");
        for (String bad : List.of("../service", "Dev", "", "dev/x")) {
            var e = catchThrowableOfType(InvalidInputException.class, () -> reader().readSite(bad));
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.message()).startsWith("the site name \"" + bad + "\" is not valid");
                assertThat(p.fix()).isEqualTo("name the site like 'dev', or use one of the sites: 'dev'");
            });
        }
    }

    private static List<String> names(List<Role> roles) {
        return roles.stream().map(Role::name).toList();
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> linked(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }
}
