package io.github.itsvc.render;

import static io.github.itsvc.render.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout, atomic replacement, determinism and the digest of a site's rendering. */
class RendererOutputTest {

    @TempDir
    Path out;

    @Test
    void layoutIsSiteRoleInstanceWithRootAndUserData() throws Exception {
        Rendering r = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.dev(), out);

        assertThat(r.siteDir()).isEqualTo(out.resolve("dev"));
        assertThat(r.files()).contains("web/web-1/root/opt/tomcat/conf/server.xml", "web/web-2/cloud-init/user-data",
                "proxy/proxy-1/root/etc/nginx/conf.d/team-wiki.conf", "spare/spare-1/cloud-init/user-data");
        assertThat(r.files()).isSorted();
        assertThat(r.siteDir().resolve("spare/spare-1/root")).as("an empty instance root still exists").isEmptyDirectory();
        assertThat(Files.readString(r.siteDir().resolve("web/web-2/root/opt/tomcat/webapps/ROOT/index.html")))
                .contains("web-2 of 2 at 127.0.0.1:8080");
        assertThat(r.digest()).matches("[0-9a-f]{64}");
    }

    @Test
    void filesGetTheirModeAndUserDataIsOwnerOnly() throws Exception {
        Path project = out.resolve("project");
        write(project.resolve("src/main/itsvc/templates/run.sh.ftl"), "#!/bin/sh\nexec true\n");
        Role role = new Role("app", 1, null, null, Map.of(), List.of(), List.of(),
                List.of(Fixtures.file("run.sh.ftl", "bin/run.sh", "0750", 3)), "bin/run.sh", List.of(),
                Fixtures.at(2, 3));
        Service service = new Service("svc", Map.of(), Map.of("app", role), Fixtures.at(1, 1));

        Rendering r = Fixtures.renderer(project).render(service, Fixtures.dev(), out.resolve("target"));

        assertThat(perms(r.siteDir().resolve("app/app-1/root/bin/run.sh"))).isEqualTo("rwxr-x---");
        assertThat(perms(r.siteDir().resolve("app/app-1/cloud-init/user-data"))).isEqualTo("rw-------");
        assertThat(Files.readString(r.siteDir().resolve("app/app-1/cloud-init/user-data")))
                .contains("permissions: \"0750\"");
    }

    @Test
    void renderingTwiceGivesIdenticalBytesAndDigest() throws Exception {
        Rendering first = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.live(), out.resolve("a"));
        Map<String, byte[]> firstFiles = Fixtures.tree(first.siteDir());

        // A fresh renderer, another directory, another default locale and time zone: still the same bytes.
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        Rendering second;
        try {
            Locale.setDefault(Locale.GERMANY); // would print 8080 as "8.080" if numbers were locale-formatted
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            second = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.live(), out.resolve("b"));
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
        Map<String, byte[]> secondFiles = Fixtures.tree(second.siteDir());

        assertThat(secondFiles.keySet()).containsExactlyElementsOf(firstFiles.keySet());
        // Compared as text for a readable diff; UTF-8 round-trips these files, so equal text is equal bytes.
        firstFiles.forEach((path, bytes) -> assertThat(new String(secondFiles.get(path), StandardCharsets.UTF_8))
                .as(path).isEqualTo(new String(bytes, StandardCharsets.UTF_8)));
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(second.files()).isEqualTo(first.files());
    }

    @Test
    void digestCoversPathsAndBytes() {
        TreeMap<String, SiteOutput.Content> files = new TreeMap<>();
        files.put("a/b", content("x"));
        String digest = SiteOutput.digest(files);

        TreeMap<String, SiteOutput.Content> renamed = new TreeMap<>(Map.of("a/c", content("x")));
        TreeMap<String, SiteOutput.Content> changed = new TreeMap<>(Map.of("a/b", content("y")));
        // Framing: moving a byte from the path to the content must change the digest.
        TreeMap<String, SiteOutput.Content> shifted = new TreeMap<>(Map.of("a/", content("bx")));

        assertThat(SiteOutput.digest(renamed)).isNotEqualTo(digest);
        assertThat(SiteOutput.digest(changed)).isNotEqualTo(digest);
        assertThat(SiteOutput.digest(shifted)).isNotEqualTo(digest);
        assertThat(SiteOutput.digest(new TreeMap<>(Map.of("a/b", content("x"))))).isEqualTo(digest);
        // Mode is not content: the same bytes at the same path are the same config.
        assertThat(SiteOutput.digest(new TreeMap<>(Map.of("a/b", new SiteOutput.Content(bytes("x"), "0755")))))
                .isEqualTo(digest);
    }

    @Test
    void failedRenderLeavesNoSiteDirAndNoTempDir() throws Exception {
        Path project = brokenProject();

        assertThatThrownBy(() -> Fixtures.renderer(project).render(brokenService(), Fixtures.dev(), out))
                .isInstanceOf(InvalidInputException.class);

        assertThat(out.resolve("dev")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void failedRenderKeepsThePreviousRendering() throws Exception {
        Rendering good = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.dev(), out);
        Map<String, byte[]> before = Fixtures.tree(good.siteDir());
        Path project = brokenProject();

        assertThatThrownBy(() -> Fixtures.renderer(project).render(brokenService(), Fixtures.dev(), out))
                .isInstanceOf(InvalidInputException.class);

        Map<String, byte[]> after = Fixtures.tree(out.resolve("dev"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((path, bytes) -> assertThat(after.get(path)).as(path).isEqualTo(bytes));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void failedWriteDeletesItsTempDirAndKeepsThePreviousRendering() throws Exception {
        Rendering good = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.dev(), out);
        Map<String, byte[]> before = Fixtures.tree(good.siteDir());
        // "a" as a file and as a directory: the second write fails half-way through the temp dir.
        TreeMap<String, SiteOutput.Content> clash = new TreeMap<>();
        clash.put("a", content("file"));
        clash.put("a/b", content("needs a to be a directory"));

        assertThatThrownBy(() -> SiteOutput.write(out, "dev", clash, new TreeSet<>())).isInstanceOf(IOException.class);

        assertThat(Fixtures.tree(out.resolve("dev")).keySet()).isEqualTo(before.keySet());
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void successfulRenderReplacesTheWholeSiteDir() throws Exception {
        Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.dev(), out);
        write(out.resolve("dev/web/web-1/root/stray.txt"), "from an older rendering");
        // A killed run's litter is cleaned up by the next one.
        Files.createDirectories(out.resolve(".dev.tmp-123/web"));
        Files.createDirectories(out.resolve(".dev.old-456"));
        Files.createDirectories(out.resolve(".devel.tmp-789")); // another site's: not ours to delete

        Rendering r = Fixtures.renderer().render(Fixtures.teamWiki(), Fixtures.dev(), out);

        assertThat(r.siteDir().resolve("web/web-1/root/stray.txt")).doesNotExist();
        assertThat(Fixtures.tree(r.siteDir()).keySet()).containsExactlyElementsOf(r.files());
        assertThat(leftovers()).containsExactly(".devel.tmp-789");
    }

    private Path brokenProject() throws IOException {
        Path project = out.resolveSibling(out.getFileName() + "-project");
        write(project.resolve("src/main/itsvc/templates/ok.ftl"), "fine\n");
        write(project.resolve("src/main/itsvc/templates/bad.ftl"), "${values.nope}\n");
        return project;
    }

    /** Like the fixture, but its last file is broken: everything before it renders fine. */
    private static Service brokenService() {
        Role role = new Role("web", 2, null, null, Map.of("http", 8080), List.of(), List.of(),
                List.of(Fixtures.file("ok.ftl", "ok", "0644", 3), Fixtures.file("bad.ftl", "bad", "0644", 4)),
                "bin/run", List.of(), Fixtures.at(2, 3));
        return new Service("svc", Map.of(), Map.of("web", role), Fixtures.at(1, 1));
    }

    /** Hidden temp/old directories left in the output root. */
    private List<String> leftovers() throws IOException {
        try (Stream<Path> list = Files.list(out)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    private static String perms(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static SiteOutput.Content content(String text) {
        return new SiteOutput.Content(bytes(text), "0644");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
