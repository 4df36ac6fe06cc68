package io.github.itsvc.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.binaries.Digests;
import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What decides whether an instance is kept: everything it runs, and nothing else. */
class InstanceDigestTest {

    private static final Location AT = Location.of("src/main/itsvc/service.yaml");

    @TempDir
    Path site;

    private Path web1;
    private Path web2;

    @BeforeEach
    void render() throws IOException {
        web1 = site.resolve("web/web-1");
        web2 = site.resolve("web/web-2");
        for (Path instance : List.of(web1, web2)) {
            write(instance.resolve("root/etc/app.conf"), "port=8080\n");
            write(instance.resolve("root/bin/start.sh"), "#!/bin/sh\nexec app\n");
            write(instance.resolve("cloud-init/user-data"), "#cloud-config\n");
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static Role role(String run, Role.Install... install) {
        return new Role("web", 2, null, null, Map.of("http", 8080), List.of(), List.of(install), List.of(), run,
                List.of(), AT);
    }

    private static Role.Install install(String binary, String unpack, int strip) {
        return new Role.Install(binary, unpack, strip, AT);
    }

    private static VerifiedBinary binary(String name, char hex) {
        return new VerifiedBinary(name, "https://example.org/" + name + ".tar.gz", Path.of("/cache/" + name),
                new Digests(String.valueOf(hex).repeat(64), String.valueOf(hex).repeat(128)), null);
    }

    private static final Role ROLE = role("opt/app/bin/app run", install("app", "opt/app", 1));
    private static final Map<String, Integer> PORTS = Map.of("http", 41000);
    private static final Map<String, VerifiedBinary> BINARIES = Map.of("app", binary("app", 'a'));

    private String digest(Path rendered) throws IOException {
        return InstanceDigest.of(ROLE, PORTS, rendered, BINARIES);
    }

    @Test
    void sameInputsGiveTheSameDigest() throws IOException {
        String first = digest(web1);
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(digest(web1)).isEqualTo(first);
        // Another instance rendered the same way, equal records built anew: the same digest.
        assertThat(InstanceDigest.of(role("opt/app/bin/app run", install("app", "opt/app", 1)),
                new LinkedHashMap<>(Map.of("http", 41000)), web2, Map.of("app", binary("app", 'a'))))
                .isEqualTo(first);
    }

    @Test
    void aChangedByteChangesIt() throws IOException {
        String before = digest(web1);
        Files.writeString(web1.resolve("root/etc/app.conf"), "port=8081\n");
        assertThat(digest(web1)).isNotEqualTo(before);
    }

    @Test
    void aChangedUserDataChangesIt() throws IOException {
        String before = digest(web1);
        Files.writeString(web1.resolve("cloud-init/user-data"), "#cloud-config\nhostname: web-1\n");
        assertThat(digest(web1)).isNotEqualTo(before);
    }

    @Test
    void aRenamedFileChangesIt() throws IOException {
        String before = digest(web1);
        Files.move(web1.resolve("root/etc/app.conf"), web1.resolve("root/etc/app.cfg"));
        assertThat(digest(web1)).isNotEqualTo(before);
    }

    @Test
    void anAddedOrRemovedFileChangesIt() throws IOException {
        String before = digest(web1);
        write(web1.resolve("root/etc/empty"), "");
        String added = digest(web1);
        assertThat(added).isNotEqualTo(before);
        Files.delete(web1.resolve("root/etc/empty"));
        assertThat(digest(web1)).isEqualTo(before);
        Files.delete(web1.resolve("root/bin/start.sh"));
        assertThat(digest(web1)).isNotEqualTo(before);
    }

    @Test
    void bytesMovedFromOneFileToTheNextChangeIt() throws IOException {
        write(web1.resolve("root/a"), "xy");
        write(web1.resolve("root/b"), "z");
        String before = digest(web1);
        Files.writeString(web1.resolve("root/a"), "x");
        Files.writeString(web1.resolve("root/b"), "yz");
        assertThat(digest(web1)).isNotEqualTo(before);
    }

    @Test
    void aChangedFileModeChangesIt() throws IOException {
        Path script = web1.resolve("root/bin/start.sh");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        String before = digest(web1);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(digest(web1)).isNotEqualTo(before);
    }

    @Test
    void aChangedBinaryHashChangesIt() throws IOException {
        assertThat(InstanceDigest.of(ROLE, PORTS, web1, Map.of("app", binary("app", 'b'))))
                .isNotEqualTo(digest(web1));
    }

    @Test
    void aBinaryTheRoleDoesNotInstallDoesNotChangeIt() throws IOException {
        assertThat(InstanceDigest.of(ROLE, PORTS, web1, Map.of("app", binary("app", 'a'), "other", binary("other",
                'c')))).isEqualTo(digest(web1));
    }

    @Test
    void aChangedUnpackPathOrStripChangesIt() throws IOException {
        String before = digest(web1);
        String run = ROLE.run();
        assertThat(InstanceDigest.of(role(run, install("app", "opt/app2", 1)), PORTS, web1, BINARIES))
                .isNotEqualTo(before);
        assertThat(InstanceDigest.of(role(run, install("app", "opt/app", 0)), PORTS, web1, BINARIES))
                .isNotEqualTo(before);
        assertThat(InstanceDigest.of(role(run), PORTS, web1, BINARIES)).isNotEqualTo(before);
        // The same binary unpacked twice is not the same as once.
        assertThat(InstanceDigest.of(role(run, install("app", "opt/app", 1), install("app", "opt/app", 1)), PORTS,
                web1, BINARIES)).isNotEqualTo(before);
    }

    @Test
    void aChangedRunCommandChangesIt() throws IOException {
        String before = digest(web1);
        Role changed = role("opt/app/bin/app run --debug", install("app", "opt/app", 1));
        assertThat(InstanceDigest.of(changed, PORTS, web1, BINARIES)).isNotEqualTo(before);
        Role none = role(null, install("app", "opt/app", 1));
        assertThat(InstanceDigest.of(none, PORTS, web1, BINARIES)).isNotEqualTo(before);
    }

    @Test
    void changedPortsChangeIt() throws IOException {
        // The process gets its ports in its environment (ITSVC_PORT_<NAME>), whether templates use them or not.
        String before = digest(web1);
        assertThat(InstanceDigest.of(ROLE, Map.of("http", 41001), web1, BINARIES)).isNotEqualTo(before);
        assertThat(InstanceDigest.of(ROLE, Map.of("web", 41000), web1, BINARIES)).isNotEqualTo(before);
        assertThat(InstanceDigest.of(ROLE, Map.of("http", 41000, "admin", 41002), web1, BINARIES))
                .isNotEqualTo(before);
    }

    @Test
    void theOrderPortsAreGivenInDoesNotMatter() throws IOException {
        Map<String, Integer> ab = new LinkedHashMap<>();
        ab.put("http", 1);
        ab.put("admin", 2);
        Map<String, Integer> ba = new LinkedHashMap<>();
        ba.put("admin", 2);
        ba.put("http", 1);
        assertThat(InstanceDigest.of(ROLE, ab, web1, BINARIES)).isEqualTo(InstanceDigest.of(ROLE, ba, web1, BINARIES));
    }

    @Test
    void filesOfOtherInstancesDoNotChangeIt() throws IOException {
        String before = digest(web1);
        Files.writeString(web2.resolve("root/etc/app.conf"), "port=9999\n");
        write(web2.resolve("root/etc/extra.conf"), "more\n");
        write(site.resolve("web/web-10/root/etc/app.conf"), "another instance whose name starts alike\n");
        write(site.resolve("db/db-1/root/etc/db.conf"), "another role\n");
        assertThat(digest(web1)).isEqualTo(before);
    }

    @Test
    void anInstanceWithNothingRenderedStillHasADigest() throws IOException {
        Path missing = site.resolve("web/web-3");
        String none = digest(missing);
        assertThat(none).matches("[0-9a-f]{64}");
        Files.createDirectories(missing.resolve("root"));
        assertThat(digest(missing)).isEqualTo(none);
    }
}
