package io.github.itsvc.binaries;

import static io.github.itsvc.binaries.TestArchives.tar;
import static io.github.itsvc.binaries.TestArchives.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UnpackerTest {

    @TempDir
    Path dir;

    /** An archive laid out as publishers do: one top directory named for the release. */
    private TestArchives.Tar release() {
        return tar().dir("tool-1.2", 0755)
                .dir("tool-1.2/bin", 0755)
                .file("tool-1.2/bin/catalina.sh", 0755, "#!/bin/sh\necho run\n")
                .file("tool-1.2/bin/setenv.sh", 0644, "X=1\n")
                .dir("tool-1.2/lib", 0755)
                .file("tool-1.2/lib/tool-1.2.jar", 0644, "jar")
                .symlink("tool-1.2/lib/tool.jar", "tool-1.2.jar")
                .symlink("tool-1.2/bin/lib", "../lib")
                .hardLink("tool-1.2/bin/start.sh", "tool-1.2/bin/catalina.sh")
                .file("tool-1.2/README", "read me");
    }

    private Path root() {
        return dir.resolve("instance/opt/tool");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    }

    private boolean posix() throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    /** Everything beside the root: the unpack must leave no temporary directory behind. */
    private List<String> besideRoot() throws IOException {
        Path parent = root().getParent();
        if (!Files.exists(parent)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(parent)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void tarGzWithStripOneKeepsFilesModesAndLinks() throws Exception {
        Path archive = release().writeTarGz(dir.resolve("tool-1.2.tar.gz"));

        Unpacker.unpack(archive, root(), 1);

        Path root = root();
        assertThat(read(root.resolve("bin/catalina.sh"))).isEqualTo("#!/bin/sh\necho run\n");
        assertThat(read(root.resolve("README"))).isEqualTo("read me");
        assertThat(Files.readSymbolicLink(root.resolve("lib/tool.jar"))).isEqualTo(Path.of("tool-1.2.jar"));
        assertThat(read(root.resolve("lib/tool.jar"))).isEqualTo("jar");
        assertThat(read(root.resolve("bin/lib/tool-1.2.jar"))).isEqualTo("jar");
        assertThat(Files.isSymbolicLink(root.resolve("bin/start.sh"))).isFalse();
        assertThat(read(root.resolve("bin/start.sh"))).isEqualTo("#!/bin/sh\necho run\n");
        if (posix()) {
            assertThat(mode(root.resolve("bin/catalina.sh"))).isEqualTo("rwxr-xr-x");
            assertThat(mode(root.resolve("bin/setenv.sh"))).isEqualTo("rw-r--r--");
            assertThat(mode(root)).isEqualTo("rwxr-xr-x");
            assertThat(Files.isExecutable(root.resolve("bin/catalina.sh"))).isTrue();
        }
        assertThat(besideRoot()).containsExactly("tool");
    }

    @Test
    void stripZeroKeepsTheTopDirectory() throws Exception {
        Unpacker.unpack(release().writeTarGz(dir.resolve("a.tgz")), root(), 0);

        assertThat(root().resolve("tool-1.2/bin/catalina.sh")).isRegularFile();
        assertThat(read(root().resolve("tool-1.2/lib/tool.jar"))).isEqualTo("jar");
    }

    @Test
    void stripTwoSkipsEntriesWithTooFewComponents() throws Exception {
        Path archive = tar().dir("tool-1.2", 0755).dir("tool-1.2/bin", 0755)
                .file("tool-1.2/bin/catalina.sh", 0755, "run").symlink("tool-1.2/bin/start.sh", "catalina.sh")
                .file("tool-1.2/README", "skipped").dir("tool-1.2/lib/ext", 0755).file("tool-1.2/lib/ext/a.jar", "a")
                .writeTarGz(dir.resolve("a.tgz"));

        Unpacker.unpack(archive, root(), 2);

        try (Stream<Path> files = Files.walk(root())) {
            assertThat(files.map(p -> root().relativize(p).toString()).sorted())
                    .containsExactly("", "catalina.sh", "ext", "ext/a.jar", "start.sh");
        }
        assertThat(read(root().resolve("start.sh"))).isEqualTo("run");
    }

    @Test
    void aLinkThatStripMakesPointAboveTheRootIsRefused() {
        // bin/lib -> ../lib is fine with strip 1; with strip 2 it lands in the root and points above it.
        Path archive = release().writeTarGz(dir.resolve("a.tgz"));

        assertThatThrownBy(() -> Unpacker.unpack(archive, root(), 2))
                .hasMessageContaining("entry \"tool-1.2/bin/lib\" is a symbolic link to \"../lib\", outside");
    }

    @Test
    void dotSlashCountsAsAComponentAsInGnuTar() throws Exception {
        Path archive = tar().dir("./", 0755).dir("./tool", 0755).file("./tool/bin/run", 0755, "x")
                .writeTarGz(dir.resolve("dot.tgz"));

        Unpacker.unpack(archive, root(), 1);

        assertThat(root().resolve("tool/bin/run")).isRegularFile();
    }

    @Test
    void plainTarIsDetectedByContent() throws Exception {
        Path archive = release().writeTar(dir.resolve("misnamed.zip"));

        Unpacker.unpack(archive, root(), 1);

        assertThat(read(root().resolve("bin/catalina.sh"))).startsWith("#!/bin/sh");
    }

    @Test
    void zipKeepsUnixModesAndLinks() throws Exception {
        Path archive = zip().dir("tool-1.2", 0755)
                .file("tool-1.2/bin/run.sh", 0755, "#!/bin/sh\n")
                .file("tool-1.2/conf/app.conf", 0600, "secret=no\n")
                .plainFile("tool-1.2/README.txt", "made on Windows")
                .symlink("tool-1.2/bin/conf", "../conf")
                .write(dir.resolve("tool-1.2.tar.gz"));

        Unpacker.unpack(archive, root(), 1);

        assertThat(read(root().resolve("bin/conf/app.conf"))).isEqualTo("secret=no\n");
        assertThat(read(root().resolve("README.txt"))).isEqualTo("made on Windows");
        if (posix()) {
            assertThat(mode(root().resolve("bin/run.sh"))).isEqualTo("rwxr-xr-x");
            assertThat(mode(root().resolve("conf/app.conf"))).isEqualTo("rw-------");
            assertThat(mode(root().resolve("README.txt"))).isEqualTo("rw-r--r--");
        }
    }

    @Test
    void modesLoseGroupAndOtherWriteAndSpecialBitsButDirectoriesStayOwnerWritable() throws Exception {
        assumeTrue(posix());
        Path archive = tar().dir("t/locked", 0555).file("t/locked/x", 0444, "x")
                .file("t/open", 0777, "o").file("t/suid", 04755, "s").dir("t/private", 0700)
                .writeTarGz(dir.resolve("a.tgz"));

        Unpacker.unpack(archive, root(), 1);

        assertThat(mode(root().resolve("open"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(root().resolve("suid"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(root().resolve("locked"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(root().resolve("locked/x"))).isEqualTo("r--r--r--");
        assertThat(mode(root().resolve("private"))).isEqualTo("rwx------");
    }

    @Test
    void anExistingRootIsReplacedWhole() throws Exception {
        Files.createDirectories(root().resolve("old/dir"));
        Files.writeString(root().resolve("old/dir/stale.txt"), "stale");

        Unpacker.unpack(release().writeTarGz(dir.resolve("a.tgz")), root(), 1);

        assertThat(root().resolve("old")).doesNotExist();
        assertThat(root().resolve("bin/catalina.sh")).isRegularFile();
        assertThat(besideRoot()).containsExactly("tool");
    }

    @Test
    void aLaterCopyOfAFileWins() throws Exception {
        Path archive = tar().file("t/a", "first").file("t/a", "second").writeTarGz(dir.resolve("a.tgz"));

        Unpacker.unpack(archive, root(), 1);

        assertThat(read(root().resolve("a"))).isEqualTo("second");
    }

    @Test
    void danglingLinksInsideTheRootAreKept() throws Exception {
        Path archive = tar().symlink("t/logs", "../var/logs").dir("t/x", 0755).symlink("t/x/up", "..")
                .writeTarGz(dir.resolve("a.tgz"));

        Unpacker.unpack(archive, root(), 0);

        assertThat(Files.readSymbolicLink(root().resolve("t/logs"))).isEqualTo(Path.of("../var/logs"));
        assertThat(Files.isSymbolicLink(root().resolve("t/x/up"))).isTrue();
    }

    static Stream<Arguments> escapingTars() {
        return Stream.of(
                Arguments.of(tar().file("tool/ok", "x").file("../evil", "x"), "\"../evil\" goes up with .."),
                Arguments.of(tar().file("tool/a/../../evil", "x"), "\"tool/a/../../evil\" goes up with .."),
                Arguments.of(tar().file("/etc/evil", "x"), "\"/etc/evil\" is an absolute path"),
                Arguments.of(tar().file("C:/evil", "x"), "\"C:/evil\" starts with a Windows drive letter"),
                Arguments.of(tar().file("tool\\..\\..\\evil", "x"), "\"tool\\..\\..\\evil\" holds a backslash"),
                Arguments.of(tar().symlink("tool/passwd", "/etc/passwd"),
                        "\"tool/passwd\" is a symbolic link to the absolute path \"/etc/passwd\""),
                Arguments.of(tar().symlink("tool/etc", "../../etc"),
                        "\"tool/etc\" is a symbolic link to \"../../etc\", outside the unpack directory"),
                Arguments.of(tar().symlink("./tool/up", "../../x"),
                        "\"./tool/up\" is a symbolic link to \"../../x\", outside the unpack directory"),
                Arguments.of(tar().symlink("tool/win", "..\\..\\x"), "\"tool/win\" is a symbolic link to the Windows"),
                Arguments.of(tar().dir("tool/a/b", 0755).symlink("tool/a/b/up", "../../..")
                                .symlink("tool/a/b/out", "up/.."),
                        "\"tool/a/b/out\" is a symbolic link to \"up/..\", which leads outside the unpack directory"
                                + " through other links"),
                Arguments.of(tar().symlink("tool/loop1", "loop2").symlink("tool/loop2", "loop1"),
                        "\"tool/loop1\" is a symbolic link to \"loop2\", which passes more than 40 links (a loop?)"),
                Arguments.of(tar().symlink("tool/conf", "lib").dir("tool/lib", 0755).file("tool/conf/x", "x"),
                        "\"tool/conf/x\" would be written through the symbolic link \"tool/conf\""),
                Arguments.of(tar().dir("tool/d", 0755).symlink("tool/d", "x"),
                        "\"tool/d\" would replace the directory"),
                Arguments.of(tar().symlink("tool/l", "x").file("tool/l", "x"),
                        "\"tool/l\" would replace the symbolic link"),
                Arguments.of(tar().hardLink("tool/shadow", "/etc/shadow"),
                        "\"tool/shadow\" is a hard link to \"/etc/shadow\", which is an absolute path"),
                Arguments.of(tar().hardLink("tool/x", "tool/../../x"),
                        "\"tool/x\" is a hard link to \"tool/../../x\", which goes up with .."),
                Arguments.of(tar().hardLink("tool/early", "tool/later").file("tool/later", "x"),
                        "\"tool/early\" is a hard link to \"tool/later\", which is not a file unpacked before it"),
                Arguments.of(tar().dir("tool/d", 0755).hardLink("tool/h", "tool/d"),
                        "\"tool/h\" is a hard link to \"tool/d\", which is not a file unpacked before it"),
                Arguments.of(tar().file("tool/a", "x").symlink("tool/b", ".").hardLink("tool/h", "tool/b/a"),
                        "\"tool/h\" is a hard link to \"tool/b/a\" through a symbolic link"),
                Arguments.of(tar().special("tool/null", TarConstants.LF_CHR), "\"tool/null\" is a device or FIFO"),
                Arguments.of(tar().special("tool/sda", TarConstants.LF_BLK), "\"tool/sda\" is a device or FIFO"),
                Arguments.of(tar().special("tool/pipe", TarConstants.LF_FIFO), "\"tool/pipe\" is a device or FIFO"));
    }

    @ParameterizedTest
    @MethodSource("escapingTars")
    void unsafeTarEntriesAreRefusedAndNothingChanges(TestArchives.Tar archive, String message) throws Exception {
        Path file = archive.writeTarGz(dir.resolve("evil.tar.gz"));
        Files.createDirectories(root());
        Files.writeString(root().resolve("keep.txt"), "previous unpack");

        assertThatThrownBy(() -> Unpacker.unpack(file, root(), 0))
                .isInstanceOf(BinaryException.class)
                .hasMessageStartingWith("cannot unpack " + file + " into " + root() + ": ")
                .hasMessageContaining(message);

        try (Stream<Path> files = Files.walk(root())) {
            assertThat(files.map(p -> root().relativize(p).toString())).containsExactlyInAnyOrder("", "keep.txt");
        }
        assertThat(besideRoot()).containsExactly("tool");
        assertThat(dir.getParent().resolve("evil")).doesNotExist();
        assertThat(dir.resolve("instance/evil")).doesNotExist();
    }

    @Test
    void unsafeZipEntriesAreRefused() throws Exception {
        Path up = zip().file("tool/ok", 0644, "x").file("../evil", 0644, "x").write(dir.resolve("up.zip"));
        Path absolute = zip().file("/tmp/evil", 0644, "x").write(dir.resolve("abs.zip"));
        Path link = zip().symlink("tool/etc", "../../etc").write(dir.resolve("link.zip"));
        Path fifo = zip().special("tool/pipe", 0010000).write(dir.resolve("fifo.zip"));

        assertThatThrownBy(() -> Unpacker.unpack(up, root(), 0)).hasMessageContaining("\"../evil\" goes up with ..");
        assertThatThrownBy(() -> Unpacker.unpack(absolute, root(), 0))
                .hasMessageContaining("\"/tmp/evil\" is an absolute path");
        assertThatThrownBy(() -> Unpacker.unpack(link, root(), 0))
                .hasMessageContaining("\"tool/etc\" is a symbolic link to \"../../etc\", outside");
        assertThatThrownBy(() -> Unpacker.unpack(fifo, root(), 0))
                .hasMessageContaining("\"tool/pipe\" is a device, FIFO or socket");
        assertThat(root()).doesNotExist();
        assertThat(besideRoot()).isEmpty();
    }

    @Test
    void aDotDotIsRefusedEvenWhereStripWouldDropIt() {
        Path archive = tar().file("../tool/bin/run", "x").writeTarGz(dir.resolve("a.tgz"));

        assertThatThrownBy(() -> Unpacker.unpack(archive, root(), 1)).hasMessageContaining("goes up with ..");
    }

    @Test
    void aHardLinkWhoseTargetIsStrippedAwayIsRefused() {
        Path archive = tar().file("top", "x").hardLink("tool/h", "top").writeTarGz(dir.resolve("a.tgz"));

        assertThatThrownBy(() -> Unpacker.unpack(archive, root(), 1))
                .hasMessageContaining("\"tool/h\" is a hard link to \"top\", which is not unpacked (strip 1)");
    }

    @Test
    void decompressionBombsAreStopped() throws Exception {
        Path archive = tar().file("t/a", "x".repeat(600)).file("t/b", "x".repeat(600)).writeTarGz(dir.resolve("b.tgz"));

        assertThatThrownBy(() -> Unpacker.unpack(archive, root(), 0, 1000))
                .hasMessageContaining("entry \"t/b\" makes the archive unpack to more than 1000 bytes");
        assertThat(besideRoot()).isEmpty();
        Unpacker.unpack(archive, root(), 0, 1200);
        assertThat(root().resolve("t/b")).isRegularFile();
    }

    @Test
    void corruptAndUnknownArchivesAreRefused() throws Exception {
        byte[] tgz = Files.readAllBytes(release().writeTarGz(dir.resolve("full.tgz")));
        Path truncated = TestArchives.write(dir.resolve("truncated.tgz"), Arrays.copyOf(tgz, tgz.length / 2));
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        random[0] = 'x';
        Path garbage = TestArchives.write(dir.resolve("garbage.tar.gz"), random);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write("just a gzipped text file\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        }
        Path notTar = TestArchives.write(dir.resolve("text.gz"), gz.toByteArray());
        Path xz = TestArchives.write(dir.resolve("a.tar.xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0});
        Path missing = dir.resolve("missing.tgz");
        String incompressible = new Random(2).ints(5000, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        byte[] zipBytes = Files.readAllBytes(zip().file("a", 0644, incompressible).write(dir.resolve("z.zip")));
        Path truncatedZip = TestArchives.write(dir.resolve("truncated.zip"), Arrays.copyOf(zipBytes, 2000));

        assertThatThrownBy(() -> Unpacker.unpack(truncated, root(), 1))
                .hasMessageContaining("the tar.gz archive is corrupt or truncated");
        assertThatThrownBy(() -> Unpacker.unpack(garbage, root(), 1))
                .hasMessageEndingWith(": it is not a tar.gz, tar or zip archive");
        assertThatThrownBy(() -> Unpacker.unpack(notTar, root(), 1))
                .hasMessageEndingWith(": it is gzip-compressed but holds no tar archive");
        assertThatThrownBy(() -> Unpacker.unpack(xz, root(), 1))
                .hasMessageEndingWith("it is not a tar.gz, tar or zip archive (it is xz-compressed)");
        assertThatThrownBy(() -> Unpacker.unpack(missing, root(), 1))
                .hasMessage("cannot unpack " + missing + " into " + root() + ": the archive does not exist");
        assertThatThrownBy(() -> Unpacker.unpack(truncatedZip, root(), 0))
                .hasMessageContaining("the zip archive is corrupt or truncated");
        assertThat(besideRoot()).isEmpty();
    }

    @Test
    void longNamesSurvive() throws Exception {
        String deep = "t/" + "d".repeat(120) + "/" + "f".repeat(120) + ".txt";
        Path archive = tar().file(deep, "long").writeTarGz(dir.resolve("long.tgz"));

        Unpacker.unpack(archive, root(), 1);

        assertThat(read(root().resolve(deep.substring(2)))).isEqualTo("long");
    }
}
