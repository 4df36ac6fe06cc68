package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.itsvc.binaries.Lockfile.Entry;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockfileTest {

    private static final String A256 = "a".repeat(64);
    private static final String B512 = "b".repeat(128);
    private static final String DIGITS256 = "0123456789".repeat(6) + "0123";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("itsvc.lock");
    }

    private static Entry entry(String name, String source) {
        return new Entry(name, source, A256, B512, 42L, null);
    }

    @Test
    void formatIsSortedStableAndExact() {
        Lockfile lock = new Lockfile("itsvc.lock", List.of(
                entry("tomcat", "maven:org.apache.tomcat:tomcat:tar.gz:11.0.24"),
                new Entry("app", "https://example.org/app-1.0.tar.gz", DIGITS256, null, null, null)));
        assertThat(lock.format()).isEqualTo(Lockfile.HEADER + """
                binaries:
                  app:
                    source: https://example.org/app-1.0.tar.gz
                    sha256: "%s"
                  tomcat:
                    source: maven:org.apache.tomcat:tomcat:tar.gz:11.0.24
                    sha256: %s
                    sha512: %s
                    size: 42
                """.formatted(DIGITS256, A256, B512));
        Lockfile reversed = new Lockfile("itsvc.lock", List.of(lock.entry("tomcat"), lock.entry("app")));
        assertThat(reversed.format()).isEqualTo(lock.format());
        assertThat(lock.format()).doesNotContain("\r").endsWith("\n").startsWith("# itsvc.lock");
        assertThat(Lockfile.HEADER).contains("mvn itsvc:pin").contains("review").contains("commit");
    }

    @Test
    void emptyLockFile() throws Exception {
        Lockfile empty = Lockfile.empty("itsvc.lock");
        assertThat(empty.format()).isEqualTo(Lockfile.HEADER + "binaries: {}\n");
        empty.write(file());
        assertThat(Lockfile.read(file(), "itsvc.lock").isEmpty()).isTrue();
    }

    @Test
    void missingFileReadsAsEmpty() throws Exception {
        Lockfile lock = Lockfile.read(file(), "itsvc.lock");
        assertThat(lock.isEmpty()).isTrue();
        assertThat(lock.displayName()).isEqualTo("itsvc.lock");
    }

    @Test
    void roundTripKeepsEverythingAndGivesTheSameBytes() throws Exception {
        Lockfile lock = new Lockfile("itsvc.lock", List.of(
                entry("tomcat", "maven:org.apache.tomcat:tomcat:tar.gz:linux:11.0.24"),
                entry("odd", "https://example.org/a file: #1?x=\"y\"&z=\\"),
                entry("null", "file:true"),
                new Entry("digits", "file:lib/d.bin", DIGITS256, null, 0L, null),
                new Entry("big", "https://example.org/big.iso", null, B512, 5_000_000_000L, null)));
        lock.write(file());
        byte[] written = Files.readAllBytes(file());
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(lock.format());

        Lockfile read = Lockfile.read(file(), "itsvc.lock");
        assertThat(read).isEqualTo(lock);
        assertThat(read.entries().keySet()).containsExactly("big", "digits", "null", "odd", "tomcat");
        assertThat(read.entry("odd").source()).isEqualTo("https://example.org/a file: #1?x=\"y\"&z=\\");
        assertThat(read.entry("null").source()).isEqualTo("file:true");
        assertThat(read.entry("digits").sha256()).isEqualTo(DIGITS256);
        assertThat(read.entry("big").size()).isEqualTo(5_000_000_000L);
        assertThat(read.entry("big").sha256()).isNull();
        assertThat(read.entry("tomcat").location()).isEqualTo(new Location("itsvc.lock", 24, 3));

        read.write(file());
        assertThat(Files.readAllBytes(file())).isEqualTo(written);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file()); // no temp file left behind
        }
    }

    @Test
    void handWrittenVariantsAreRead() throws Exception {
        Files.writeString(file(), """
                binaries:
                  app:
                    source: 'https://example.org/app.zip'
                    sha256: %s
                    sha512: %s
                  bare: { source: file:x, sha256: %s }
                """.formatted(A256.toUpperCase(), B512, DIGITS256));
        Lockfile lock = Lockfile.read(file(), "itsvc.lock");
        assertThat(lock.entry("app").sha256()).isEqualTo(A256);
        assertThat(lock.entry("app").size()).isNull();
        assertThat(lock.entry("bare").sha256()).isEqualTo(DIGITS256); // a YAML integer, read as its digits
        assertThat(lock.entry("bare").hashes()).containsOnlyKeys("sha256");
    }

    @Test
    void problemsHaveLocationsAndFixes() throws IOException {
        Files.writeString(file(), """
                binaries:
                  a:
                    source: maven:g:a:jar:1
                    sha256: abc
                    sha521: %s
                  b: [x]
                  c:
                    sha512: %s
                    size: -1
                  d:
                    source: file:d
                  a: { source: file:a, sha256: %s }
                extra: 1
                """.formatted(B512, B512, A256));
        var e = catchThrowableOfType(InvalidInputException.class, () -> Lockfile.read(file(), "itsvc.lock"));
        assertThat(e.problems()).extracting(p -> p.location() + " " + p.message()).containsExactly(
                "itsvc.lock:4:13 'sha256' in the entry of binary 'a' must be 64 hexadecimal digits, not \"abc\"",
                "itsvc.lock:5:5 unknown key 'sha521' in the entry of binary 'a'",
                "itsvc.lock:6:6 the entry of binary 'b' must be a mapping, not a list",
                "itsvc.lock:8:5 the entry of binary 'c' has no 'source'",
                "itsvc.lock:9:11 'size' in the entry of binary 'c' must be a number of bytes, not the integer -1",
                "itsvc.lock:11:5 the entry of binary 'd' pins no hash: it has neither 'sha256' nor 'sha512'",
                "itsvc.lock:12:3 duplicate key 'a' in 'binaries' of itsvc.lock (first at line 2)",
                "itsvc.lock:13:1 unknown key 'extra' in itsvc.lock");
        for (Problem p : e.problems()) {
            assertThat(p.fix()).isNotBlank().doesNotContain("\n");
        }
        assertThat(e.problems().get(5).fix()).contains("mvn itsvc:pin");
    }

    @Test
    void syntaxErrorsAndEmptyFilesAreProblems() throws IOException {
        Files.writeString(file(), "binaries:\n  a: {\n");
        var e = catchThrowableOfType(InvalidInputException.class, () -> Lockfile.read(file(), "x/itsvc.lock"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().file()).isEqualTo("x/itsvc.lock");
            assertThat(p.message()).startsWith("YAML syntax error");
        });
        Files.writeString(file(), "# nothing\n");
        e = catchThrowableOfType(InvalidInputException.class, () -> Lockfile.read(file(), "itsvc.lock"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo("the file is empty");
            assertThat(p.fix()).contains("mvn itsvc:pin");
        });
        Files.writeString(file(), "other: 1\n");
        e = catchThrowableOfType(InvalidInputException.class, () -> Lockfile.read(file(), "itsvc.lock"));
        assertThat(e.problems()).extracting(Problem::message)
                .containsExactly("unknown key 'other' in itsvc.lock", "itsvc.lock has no 'binaries'");
    }

    @Test
    void changesSinceNamesEachChange() {
        Lockfile before = new Lockfile("itsvc.lock", List.of(entry("a", "file:a"), entry("b", "file:b"),
                entry("c", "file:c"), entry("gone", "file:g"),
                new Entry("d", "file:d", A256, null, null, null)));
        Lockfile after = new Lockfile("itsvc.lock", List.of(entry("a", "file:a"), entry("b", "file:b2"),
                new Entry("c", "file:c", "c".repeat(64), B512, 42L, null), entry("d", "file:d"),
                entry("new", "file:n")));
        assertThat(after.changesSince(before)).containsExactly(
                "b: source changed from file:b to file:b2",
                "c: hash changed for file:c",
                "d: completed the pin of file:d",
                "new: pinned file:n",
                "gone: removed (no longer in the service)");
        assertThat(after.changesSince(after)).isEmpty();
    }

    @Test
    void scalarsAreQuotedOnlyWhenYamlWouldMisreadThem() {
        assertThat(Lockfile.scalar("maven:g:a:tar.gz:1.0")).isEqualTo("maven:g:a:tar.gz:1.0");
        assertThat(Lockfile.scalar("https://e.org/a?b=c&d=%20")).isEqualTo("https://e.org/a?b=c&d=%20");
        assertThat(Lockfile.scalar("true")).isEqualTo("\"true\"");
        assertThat(Lockfile.scalar("null")).isEqualTo("\"null\"");
        assertThat(Lockfile.scalar("12e3")).isEqualTo("\"12e3\"");
        assertThat(Lockfile.scalar("a: b")).isEqualTo("\"a: b\"");
        assertThat(Lockfile.scalar("a #b")).isEqualTo("\"a #b\"");
        assertThat(Lockfile.scalar("tab\there")).isEqualTo("\"tab\\there\"");
    }
}
