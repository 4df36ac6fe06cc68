package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.github.itsvc.model.Binary;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Problem;
import io.github.itsvc.model.Service;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify and pin against a real HTTP publisher on loopback, a throwaway Maven repository and project files. */
class BinariesTest {

    private static final String NL = System.lineSeparator();
    private static final String SERVICE = "src/main/itsvc/service.yaml";

    @TempDir
    Path project;

    @TempDir
    Path home;

    private Publisher publisher;
    private BinaryCache cache;
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger resolutions = new AtomicInteger();

    private final byte[] tool = bytes(200_000, 1);
    private final byte[] other = bytes(200_000, 2);
    private Digests toolDigests;

    @BeforeEach
    void start() throws Exception {
        publisher = new Publisher();
        publisher.file("/dist/tool-1.2.tar.gz", tool).file("/dist/other.tar.gz", other);
        cache = new BinaryCache(home.resolve("cache"));
        toolDigests = HasherTest.expected(tool);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private Path definition() {
        return project.resolve("src/main/itsvc");
    }

    /** Reads a service.yaml whose 'binaries:' are {@code binaries} (indented by two). */
    private Service service(String binaries) throws Exception {
        Files.createDirectories(definition());
        Files.writeString(definition().resolve("service.yaml"), "name: s\nbinaries:\n" + binaries.stripTrailing().indent(2)
                + "roles:\n  web: { run: x }\n");
        return new DefinitionReader(project, definition()).readService();
    }

    private Binaries.Options options() {
        return Binaries.Options.defaults(project, definition(), cache, source -> {
            resolutions.incrementAndGet();
            Path file = project.resolve("repo").resolve(source.groupId().replace('.', '/')).resolve(source.artifactId())
                    .resolve(source.version()).resolve(source.fileName());
            if (!Files.isRegularFile(file)) {
                throw new BinaryException("Could not find artifact " + source.describe().substring(6)
                        + " in throwaway (file:repo)");
            }
            return file;
        }).withAllowHttp(true).withProgress(progress::add).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private Binaries binaries(Binaries.Options options) {
        return new Binaries(options);
    }

    private Binaries binaries() {
        return binaries(options());
    }

    private List<VerifiedBinary> verify(Service service) throws Exception {
        return binaries().verify(service, Lockfile.empty("itsvc.lock"));
    }

    private BinaryException verifyFails(Binaries binaries, Service service, Lockfile lock) {
        BinaryException e = catchThrowableOfType(BinaryException.class, () -> binaries.verify(service, lock));
        assertThat(e).as("verify must fail").isNotNull();
        return e;
    }

    private BinaryException verifyFails(Service service) {
        return verifyFails(binaries(), service, Lockfile.empty("itsvc.lock"));
    }

    private BinaryException pinFails(Service service) {
        BinaryException e = catchThrowableOfType(BinaryException.class,
                () -> binaries().pin(service, Lockfile.empty("itsvc.lock"), false));
        assertThat(e).as("pin must fail").isNotNull();
        return e;
    }

    private String pinned(String path, Digests digests) {
        return "tool:\n  url: " + publisher.url(path) + "\n  sha256: " + digests.sha256() + "\n";
    }

    /**
     * What a download checked by its SHA-256 alone knows: its SHA-512 is not computed (see {@code Binaries.Pins}).
     */
    static Digests sha256Only(Digests digests) {
        return new Digests(digests.sha256(), null);
    }

    /** Nothing half-done stays in the cache: no temp file, and no entry but those listed. */
    private void assertCacheHolds(Digests... entries) throws Exception {
        Path tmp = cache.root().resolve("tmp");
        if (Files.isDirectory(tmp)) {
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files).as("temp files").isEmpty();
            }
        }
        List<String> expected = Stream.of(entries).map(Digests::sha256).toList();
        Path sha256 = cache.root().resolve("sha256");
        List<String> actual = List.of();
        if (Files.isDirectory(sha256)) {
            try (Stream<Path> files = Files.walk(sha256)) {
                actual = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                        .filter(n -> n.length() == 64).toList();
            }
        }
        assertThat(actual).as("cache entries").containsExactlyInAnyOrderElementsOf(expected);
    }

    // ---- https/http sources

    @Test
    void aGoodFileIsFetchedOnceThenServedFromTheCache() throws Exception {
        Service service = service(pinned("/dist/tool-1.2.tar.gz", toolDigests));
        List<VerifiedBinary> verified = verify(service);

        assertThat(verified).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("tool");
            assertThat(v.source()).isEqualTo(publisher.url("/dist/tool-1.2.tar.gz"));
            assertThat(v.digests()).isEqualTo(sha256Only(toolDigests));
            assertThat(v.file()).isEqualTo(cache.entryPath(toolDigests.sha256())).hasBinaryContent(tool);
            assertThat(v.signedBy()).isNull();
        });
        assertThat(publisher.hits("/dist/tool-1.2.tar.gz")).isEqualTo(1);

        // A second build: no network at all, no rehash; offline works too.
        publisher.close();
        BinaryCache warm = new BinaryCache(cache.root());
        cache = warm;
        assertThat(binaries(options().withOffline(true)).verify(service, Lockfile.empty("itsvc.lock"))).singleElement()
                .extracting(VerifiedBinary::digests).isEqualTo(sha256Only(toolDigests));
        assertThat(warm.rehashes()).isZero();
        assertCacheHolds(toolDigests);
    }

    @Test
    void aSha512PinAloneFindsTheCachedCopyToo() throws Exception {
        Service service = service("tool:\n  url: " + publisher.url("/dist/tool-1.2.tar.gz") + "\n  sha512: "
                + toolDigests.sha512() + "\n");
        verify(service);
        verify(service);
        assertThat(publisher.hits("/dist/tool-1.2.tar.gz")).isEqualTo(1);
    }

    @Test
    void redirectsAreFollowedUpToFive() throws Exception {
        publisher.redirect("/r1", 301, publisher.url("/r2"))
                .redirect("/r2", 302, "/r3") // relative
                .redirect("/r3", 303, "r4")
                .redirect("/r4", 307, publisher.url("/r5"))
                .redirect("/r5", 308, "/dist/tool-1.2.tar.gz");
        assertThat(verify(service(pinned("/r1", toolDigests)))).singleElement()
                .extracting(VerifiedBinary::digests).isEqualTo(sha256Only(toolDigests));

        publisher.redirect("/r0", 302, "/r1"); // six redirects
        cache = new BinaryCache(home.resolve("cold"));
        BinaryException e = verifyFails(service(pinned("/r0", toolDigests)));
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (" + publisher.url("/r0") + "): "
                + publisher.url("/r0") + " redirects more than 5 times (the last time to "
                + publisher.url("/dist/tool-1.2.tar.gz") + ")" + NL
                + "    fix: use the final URL the publisher documents; a browser shows where the redirects lead");
    }

    @Test
    void plainHttpIsRefusedUnlessTheSiteAllowsIt() throws Exception {
        Service service = service(pinned("/dist/tool-1.2.tar.gz", toolDigests));
        Binaries refusing = binaries(options().withAllowHttp(false));
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> refusing.verify(service, Lockfile.empty("itsvc.lock")));
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        assertThat(e.problems()).singleElement().hasToString(SERVICE + ":3:3: binary 'tool' (" + url + "): " + url
                + " is plain http, which is refused: anyone on the way could swap the file or learn what you download"
                + NL + "    fix: use the publisher's https:// URL, or allow plain http for the site with"
                + " 'allowHttp: true' in its file under src/main/itsvc/sites/");
        assertThat(publisher.totalHits()).isZero();
        assertCacheHolds();

        // Cached by a site that allows http, it is still refused here: the next machine has no cache.
        binaries().verify(service, Lockfile.empty("itsvc.lock"));
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> refusing.verify(service, Lockfile.empty("itsvc.lock"))).problems()).hasSize(1);
    }

    @Test
    void anHttpsUrlMustNotRedirectToPlainHttp() throws Exception {
        java.net.URI https = java.net.URI.create("https://publisher.example.org/tool.tar.gz");
        java.net.URI http = java.net.URI.create("http://127.0.0.1:8080/tool.tar.gz");
        Failure f = catchThrowableOfType(Failure.class, () -> HttpFetcher.checkScheme(https, http, false));
        assertThat(f.getMessage()).isEqualTo("https://publisher.example.org/tool.tar.gz redirects to"
                + " http://127.0.0.1:8080/tool.tar.gz, plain http, which is refused: an https URL must not lead to an"
                + " unprotected download");
        assertThat(f.fix).contains("'allowHttp: true'");
        // allowed by the site: fine; https to https and http to https always are
        HttpFetcher.checkScheme(https, http, true);
        HttpFetcher.checkScheme(http, https, false);
        HttpFetcher.checkScheme(null, https, false);
        assertThat(catchThrowableOfType(Failure.class, () -> HttpFetcher.checkScheme(https,
                java.net.URI.create("ftp://e.org/x"), true)).getMessage()).endsWith("which is neither https nor http");
        assertThat(catchThrowableOfType(Failure.class, () -> HttpFetcher.checkScheme(https,
                java.net.URI.create("file:///etc/passwd"), true))).isNotNull();
    }

    @Test
    void aWrongFileIsRefusedWithBothHashesAndNeverCached() throws Exception {
        publisher.file("/dist/tool-1.3.tar.gz", other);
        Service service = service(pinned("/dist/tool-1.3.tar.gz", toolDigests));
        BinaryException e = verifyFails(service);
        String url = publisher.url("/dist/tool-1.3.tar.gz");
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' does not match its pin: " + url + NL
                + "    expected sha256: " + toolDigests.sha256() + " (" + SERVICE + ":3:3)" + NL
                + "    actual sha256:   " + HasherTest.expected(other).sha256() + NL
                + "    fix: do not use this file. If the publisher really changed it, find out why; then correct the"
                + " hash in service.yaml");
        assertCacheHolds();
    }

    @Test
    void notFound() throws Exception {
        BinaryException e = verifyFails(service(pinned("/dist/missing.tar.gz", toolDigests)));
        String url = publisher.url("/dist/missing.tar.gz");
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (" + url + "): " + url
                + " answered HTTP 404 Not Found" + NL + "    fix: check the URL in service.yaml: publishers move old"
                + " releases (often to an archive URL)");
        assertCacheHolds();
    }

    @Test
    void serverErrorsAndRedirectsWithoutLocation() throws Exception {
        publisher.status("/busy", 503).status("/lost", 302);
        assertThat(verifyFails(service(pinned("/busy", toolDigests))).getMessage())
                .contains("answered HTTP 503 Service Unavailable").contains("try again later");
        assertThat(verifyFails(service(pinned("/lost", toolDigests))).getMessage())
                .contains("answered 302 without saying where to");
        assertCacheHolds();
    }

    @Test
    void aTruncatedDownloadFailsAndLeavesNothing() throws Exception {
        publisher.truncated("/dist/cut.tar.gz", tool, 50_000);
        BinaryException e = verifyFails(service(pinned("/dist/cut.tar.gz", toolDigests)));
        String url = publisher.url("/dist/cut.tar.gz");
        assertThat(e.getMessage()).startsWith(SERVICE + ":3:3: binary 'tool' (" + url + "): the download of " + url
                + " broke off after ").contains(" of 200000 bytes (")
                .endsWith(NL + "    fix: try again; if it keeps breaking off, check the network or proxy, or tell the"
                        + " publisher");
        assertCacheHolds();
    }

    @Test
    void aLargeDownloadCutShortAcrossSeveralBuffersFailsAndLeavesNothing() throws Exception {
        // More than the Hasher's ring of buffers holds, so the cut comes while helper threads hash and write.
        byte[] big = bytes((Hasher.BUFFERS + 2) * Hasher.CHUNK + 12_345, 4);
        int sent = (Hasher.BUFFERS + 1) * Hasher.CHUNK + 777;
        publisher.truncated("/dist/big-cut.iso", big, sent);
        Service service = service("big:\n  url: " + publisher.url("/dist/big-cut.iso") + "\n  sha256: "
                + HasherTest.expected(big).sha256() + "\n");
        BinaryException e = verifyFails(service);
        assertThat(e.getMessage()).contains("the download of " + publisher.url("/dist/big-cut.iso") + " broke off after "
                + sent + " of " + big.length + " bytes (the server closed the connection)");
        assertCacheHolds();
    }

    @Test
    void aStalledBodyTimesOut() throws Exception {
        publisher.stalling("/dist/slow.tar.gz", tool, 10_000, Duration.ofSeconds(30));
        Binaries.Options options = options().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700));
        long start = System.nanoTime();
        BinaryException e = verifyFails(binaries(options), service(pinned("/dist/slow.tar.gz", toolDigests)),
                Lockfile.empty("itsvc.lock"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(e.getMessage()).contains(publisher.url("/dist/slow.tar.gz") + " sent nothing for 700ms after")
                .contains(" of 200000; gave up").contains("fix: try again; if the server is just slow, raise the read"
                        + " timeout");
        assertCacheHolds();
    }

    @Test
    void anAnswerThatNeverComesTimesOut() throws Exception {
        publisher.slowAnswer("/dist/late.tar.gz", tool, Duration.ofSeconds(30));
        Binaries.Options options = options().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700));
        BinaryException e = verifyFails(binaries(options), service(pinned("/dist/late.tar.gz", toolDigests)),
                Lockfile.empty("itsvc.lock"));
        assertThat(e.getMessage()).contains(publisher.url("/dist/late.tar.gz") + " did not answer within 700ms");
        assertCacheHolds();
    }

    @Test
    void aBodyWithoutLengthIsFine() throws Exception {
        publisher.chunked("/dist/chunked.tar.gz", tool);
        assertThat(verify(service(pinned("/dist/chunked.tar.gz", toolDigests)))).singleElement()
                .extracting(VerifiedBinary::digests).isEqualTo(sha256Only(toolDigests));
    }

    @Test
    void offlineWithAnEmptyCacheNamesWhatIsMissing() throws Exception {
        BinaryException e = verifyFails(binaries(options().withOffline(true)),
                service(pinned("/dist/tool-1.2.tar.gz", toolDigests)), Lockfile.empty("itsvc.lock"));
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (" + url + "): it is not in the cache,"
                + " and the build is offline (-o)" + NL + "    fix: run the build once without -o, so it downloads "
                + url + " into the cache (" + cache.root() + ")");
        assertThat(publisher.totalHits()).isZero();
    }

    @Test
    void largeDownloadsReportProgressSmallOnesDoNot() throws Exception {
        byte[] big = bytes(3_000_000, 3);
        publisher.file("/dist/big.iso", big);
        verify(service("big:\n  url: " + publisher.url("/dist/big.iso") + "\n  sha256: "
                + HasherTest.expected(big).sha256() + "\n"));
        assertThat(progress).isNotEmpty().allMatch(l -> l.matches("big: [0-9.]+ of 3\\.0 MB \\([0-9]+%\\)"))
                .last().isEqualTo("big: 3.0 of 3.0 MB (100%)");
        assertThat(progress.size()).isLessThanOrEqualTo(10);

        progress.clear();
        verify(service(pinned("/dist/tool-1.2.tar.gz", toolDigests)));
        assertThat(progress).isEmpty();
    }

    @Test
    void everyFailureIsReportedTogether() throws Exception {
        Service service = service(pinned("/dist/missing.tar.gz", toolDigests) + "good:\n  url: "
                + publisher.url("/dist/other.tar.gz") + "\n  sha256: " + HasherTest.expected(other).sha256() + "\n"
                + "bad:\n  url: " + publisher.url("/dist/other.tar.gz") + "\n  sha256: " + toolDigests.sha256());
        BinaryException e = verifyFails(service);
        assertThat(e.getMessage()).startsWith("2 binaries failed:" + NL + SERVICE + ":3:3: binary 'tool'")
                .contains(NL + SERVICE + ":9:3: binary 'bad' does not match its pin");
    }

    // ---- pins

    @Test
    void anUnpinnedBinaryFailsWithTheCommandToPinIt() throws Exception {
        Service service = service("tool:\n  url: " + publisher.url("/dist/tool-1.2.tar.gz") + "\n");
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> binaries().verify(service, Lockfile.empty("itsvc.lock")));
        assertThat(e.problems()).containsExactly(new Problem(new io.github.itsvc.model.Location(SERVICE, 3, 3),
                "binary 'tool' (" + publisher.url("/dist/tool-1.2.tar.gz") + ") is not pinned: neither service.yaml"
                        + " nor itsvc.lock holds its hash",
                "run 'mvn itsvc:pin' (it writes itsvc.lock; commit it)"));
        assertThat(publisher.totalHits()).isZero();
    }

    @Test
    void pinWritesBothHashesAndSizeAndVerifyThenUsesThem() throws Exception {
        Service service = service("tool:\n  url: " + publisher.url("/dist/tool-1.2.tar.gz") + "\n"
                + "other:\n  url: " + publisher.url("/dist/other.tar.gz") + "\n");
        Lockfile lock = binaries().pin(service, Lockfile.empty("itsvc.lock"), false);
        assertThat(lock.entries().keySet()).containsExactly("other", "tool");
        assertThat(lock.entry("tool")).isEqualTo(new Lockfile.Entry("tool", publisher.url("/dist/tool-1.2.tar.gz"),
                toolDigests, 200_000));
        Path file = project.resolve("itsvc.lock");
        lock.write(file);
        Lockfile read = Lockfile.read(file, "itsvc.lock");

        assertThat(binaries().verify(service, read)).extracting(VerifiedBinary::name).containsExactly("tool", "other");
        assertThat(publisher.hits("/dist/tool-1.2.tar.gz")).isEqualTo(1);

        // Pinning again without force: from the cache, same file, same bytes.
        assertThat(binaries().pin(service, read, false).format()).isEqualTo(lock.format());
        assertThat(publisher.hits("/dist/tool-1.2.tar.gz")).isEqualTo(1);
    }

    @Test
    void aLockPinnedBinaryIsCheckedBySha256AloneAndPinStillWritesBoth() throws Exception {
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        Service service = service("tool:\n  url: " + url + "\n");
        Lockfile lock = new Lockfile("itsvc.lock", List.of(new Lockfile.Entry("tool", url, toolDigests, 200_000)));

        // The lock's SHA-512 was computed with its SHA-256: a file with that SHA-256 is that file.
        assertThat(binaries().verify(service, lock)).singleElement().extracting(VerifiedBinary::digests)
                .isEqualTo(sha256Only(toolDigests));

        // pin writes both, from the cached copy: hashed once for its SHA-512, not downloaded again.
        assertThat(binaries().pin(service, lock, false).format()).isEqualTo(lock.format());
        assertThat(publisher.hits("/dist/tool-1.2.tar.gz")).isEqualTo(1);
        assertThat(cache.rehashes()).isEqualTo(1);
        assertCacheHolds(toolDigests);
    }

    @Test
    void aSha512InServiceYamlIsCheckedEvenWhenTheSha256Matches() throws Exception {
        // Both pins written by the user are checked, so a wrong one is found.
        Digests otherDigests = HasherTest.expected(other);
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        BinaryException e = verifyFails(service("tool:\n  url: " + url + "\n  sha256: " + toolDigests.sha256()
                + "\n  sha512: " + otherDigests.sha512() + "\n"));
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' does not match its pin: " + url + NL
                + "    expected sha512: " + otherDigests.sha512() + " (" + SERVICE + ":3:3)" + NL
                + "    actual sha512:   " + toolDigests.sha512() + NL
                + "    fix: do not use this file. If the publisher really changed it, find out why; then correct the"
                + " hash in service.yaml");
        assertCacheHolds();
    }

    @Test
    void aSha512OnlyPinAfterASha256OnlyDownloadGetsTheSha512Indexed() throws Exception {
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        verify(service(pinned("/dist/tool-1.2.tar.gz", toolDigests)));
        Service bySha512 = service("tool:\n  url: " + url + "\n  sha512: " + toolDigests.sha512() + "\n");

        // The entry never had its SHA-512, so nothing indexes it by one: fetched again once, then found.
        assertThat(verify(bySha512)).singleElement().extracting(VerifiedBinary::digests).isEqualTo(toolDigests);
        assertThat(verify(bySha512)).singleElement().extracting(VerifiedBinary::digests).isEqualTo(toolDigests);
        assertThat(publisher.hits("/dist/tool-1.2.tar.gz")).isEqualTo(2);
        assertCacheHolds(toolDigests);
    }

    @Test
    void pinRefusesToChangeAPinWithoutForce() throws Exception {
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        Service service = service("tool:\n  url: " + url + "\n");
        Path file = project.resolve("itsvc.lock");
        binaries().pin(service, Lockfile.empty("itsvc.lock"), false).write(file);
        Lockfile lock = Lockfile.read(file, "itsvc.lock");

        // The publisher swaps the file, and the cache is gone (another machine).
        publisher.file("/dist/tool-1.2.tar.gz", other);
        cache = new BinaryCache(home.resolve("other-cache"));
        BinaryException e = catchThrowableOfType(BinaryException.class, () -> binaries().pin(service, lock, false));
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' does not match its pin: " + url + NL
                + "    expected sha256: " + toolDigests.sha256() + " (itsvc.lock:6:3)" + NL
                + "    actual sha256:   " + HasherTest.expected(other).sha256() + NL
                + "    fix: do not use this file. If the publisher really changed it, find out why; then run"
                + " 'mvn itsvc:pin -Ditsvc.force' and commit the new itsvc.lock");
        assertCacheHolds();

        // verify says the same
        assertThat(verifyFails(binaries(), service, lock).getMessage()).isEqualTo(e.getMessage());

        // With force: fetched again from the source (not the cache), and the new hash pinned.
        Lockfile forced = binaries().pin(service, lock, true);
        assertThat(forced.entry("tool").sha256()).isEqualTo(HasherTest.expected(other).sha256());
        assertThat(forced.changesSince(lock)).containsExactly("tool: hash changed for " + url);
    }

    @Test
    void forceBypassesTheCache() throws Exception {
        Service service = service("tool:\n  url: " + publisher.url("/dist/tool-1.2.tar.gz") + "\n");
        Lockfile lock = binaries().pin(service, Lockfile.empty("itsvc.lock"), false);
        publisher.file("/dist/tool-1.2.tar.gz", other);
        assertThat(binaries().pin(service, lock, false).entry("tool").sha256()).isEqualTo(toolDigests.sha256());
        assertThat(binaries().pin(service, lock, true).entry("tool").sha256())
                .isEqualTo(HasherTest.expected(other).sha256());
    }

    @Test
    void aChangedSourceCountsAsUnpinnedUntilPinnedAgain() throws Exception {
        Service v12 = service("tool:\n  url: " + publisher.url("/dist/tool-1.2.tar.gz") + "\n");
        Path file = project.resolve("itsvc.lock");
        binaries().pin(v12, Lockfile.empty("itsvc.lock"), false).write(file);
        Lockfile lock = Lockfile.read(file, "itsvc.lock");

        Service v13 = service("tool:\n  url: " + publisher.url("/dist/other.tar.gz") + "\n");
        var e = catchThrowableOfType(InvalidInputException.class, () -> binaries().verify(v13, lock));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).hasToString(SERVICE + ":3:3");
            assertThat(p.message()).isEqualTo("binary 'tool' is not pinned for its source "
                    + publisher.url("/dist/other.tar.gz") + ": the source changed, and itsvc.lock (itsvc.lock:6:3) pins"
                    + " the old one, " + publisher.url("/dist/tool-1.2.tar.gz"));
            assertThat(p.fix()).isEqualTo("run 'mvn itsvc:pin' to pin the new source (it rewrites itsvc.lock; review"
                    + " the change and commit it)");
        });

        // pin needs no force for a new source
        Lockfile repinned = binaries().pin(v13, lock, false);
        assertThat(repinned.entry("tool").sha256()).isEqualTo(HasherTest.expected(other).sha256());
        assertThat(repinned.changesSince(lock)).containsExactly("tool: source changed from "
                + publisher.url("/dist/tool-1.2.tar.gz") + " to " + publisher.url("/dist/other.tar.gz"));
    }

    @Test
    void pinsInServiceYamlAndTheLockMustAgree() throws Exception {
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        Service service = service("tool:\n  url: " + url + "\n  sha256: " + "c".repeat(64) + "\n");
        Lockfile lock = new Lockfile("itsvc.lock", List.of(new Lockfile.Entry("tool", url, toolDigests, 200_000)));
        Path file = project.resolve("itsvc.lock");
        lock.write(file);
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> binaries().verify(service, Lockfile.read(file, "itsvc.lock")));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).hasToString(SERVICE + ":3:3");
            assertThat(p.message()).isEqualTo("binary 'tool' has two different sha256 pins: " + "c".repeat(64)
                    + " in service.yaml, and " + toolDigests.sha256() + " in itsvc.lock (itsvc.lock:6:3)");
            assertThat(p.fix()).contains("find out which is right").contains("mvn itsvc:pin -Ditsvc.force");
        });
        assertThat(publisher.totalHits()).isZero();
    }

    @Test
    void serviceYamlPinsAreEnforcedByPinEvenWithForce() throws Exception {
        Service service = service("tool:\n  url: " + publisher.url("/dist/other.tar.gz") + "\n  sha256: "
                + toolDigests.sha256() + "\n");
        BinaryException e = catchThrowableOfType(BinaryException.class,
                () -> binaries().pin(service, Lockfile.empty("itsvc.lock"), true));
        assertThat(e.getMessage()).contains("does not match its pin").contains("correct the hash in service.yaml");
        assertCacheHolds();
    }

    @Test
    void aFileLargerThanItsPinnedSizeIsCutShort() throws Exception {
        String url = publisher.url("/dist/tool-1.2.tar.gz");
        Service service = service("tool:\n  url: " + url + "\n");
        Lockfile lock = new Lockfile("itsvc.lock",
                List.of(new Lockfile.Entry("tool", url, toolDigests.sha256(), null, 1000L, null)));
        BinaryException e = verifyFails(binaries(), service, lock);
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' does not match its pin: " + url
                + " sent more than the 1000 bytes pinned in itsvc.lock; stopped there" + NL + "    fix: do not use"
                + " this file. If the publisher really changed it, find out why; then run 'mvn itsvc:pin"
                + " -Ditsvc.force' and commit the new itsvc.lock");
        assertCacheHolds();
    }

    @Test
    void pinDropsBinariesNoLongerInTheService() throws Exception {
        Service service = service("tool:\n  url: " + publisher.url("/dist/tool-1.2.tar.gz") + "\n");
        Lockfile old = new Lockfile("itsvc.lock", List.of(new Lockfile.Entry("gone", "file:x", toolDigests, 1)));
        Lockfile lock = binaries().pin(service, old, false);
        assertThat(lock.entries().keySet()).containsExactly("tool");
        assertThat(lock.changesSince(old)).contains("gone: removed (no longer in the service)");
    }

    // ---- maven: and file: sources

    @Test
    void mavenSourcesComeThroughTheResolverAndAreLinkedIntoTheCache() throws Exception {
        Path artifact = project.resolve("repo/org/example/tool/1.2/tool-1.2-linux.tar.gz");
        Files.createDirectories(artifact.getParent());
        Files.write(artifact, tool);
        Service service = service("tool:\n  maven: org.example:tool:tar.gz:linux:1.2\n  sha512: "
                + toolDigests.sha512() + "\n");
        VerifiedBinary v = verify(service).get(0);
        assertThat(v.file()).isEqualTo(cache.entryPath(toolDigests.sha256())).hasBinaryContent(tool);
        assertThat(resolutions).hasValue(1);
        // same file system: a hard link, not a copy
        assertThat(Files.getAttribute(v.file(), "unix:ino")).isEqualTo(Files.getAttribute(artifact, "unix:ino"));

        verify(service);
        assertThat(resolutions).as("a warm build does not even ask the resolver").hasValue(1);
        assertCacheHolds(toolDigests);
    }

    @Test
    void aWrongMavenArtifactIsRefusedAndItsFileLeftAlone() throws Exception {
        Path artifact = project.resolve("repo/org/example/tool/1.2/tool-1.2.zip");
        Files.createDirectories(artifact.getParent());
        Files.write(artifact, other);
        Service service = service("tool:\n  maven: org.example:tool:zip:1.2\n  sha256: " + toolDigests.sha256());
        assertThat(verifyFails(service).getMessage()).startsWith(SERVICE + ":3:3: binary 'tool' does not match its"
                + " pin: maven:org.example:tool:zip:1.2 (resolved to " + artifact + ")" + NL);
        assertThat(artifact).hasBinaryContent(other);
        assertThat(Files.getPosixFilePermissions(artifact)).contains(PosixFilePermission.OWNER_WRITE);
        assertCacheHolds();
    }

    @Test
    void theResolversOwnErrorIsPassedOn() throws Exception {
        Service service = service("tool:\n  maven: org.example:nope:jar:1\n  sha256: " + toolDigests.sha256());
        assertThat(verifyFails(binaries(options().withOffline(true)), service, Lockfile.empty("itsvc.lock"))
                .getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (maven:org.example:nope:jar:1): Could not find"
                        + " artifact org.example:nope:jar:1 in throwaway (file:repo)" + NL + "    fix: check the"
                        + " coordinates in service.yaml, and that a repository of the build (settings.xml, the POM)"
                        + " has the artifact");
    }

    @Test
    void fileSourcesAreCheckedEveryBuildCheaplyAndUsedFromTheCache() throws Exception {
        Path file = project.resolve("lib/app.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, tool);
        Service service = service("app:\n  file: lib/app.bin\n  sha256: " + toolDigests.sha256());
        VerifiedBinary v = verify(service).get(0);
        assertThat(v.file()).isEqualTo(cache.entryPath(toolDigests.sha256()));
        assertThat(v.source()).isEqualTo("file:lib/app.bin");

        BinaryCache warm = new BinaryCache(cache.root());
        cache = warm;
        verify(service);
        assertThat(warm.rehashes()).isZero();

        Files.write(file, other); // edited without pinning again
        assertThat(verifyFails(service).getMessage()).startsWith(SERVICE + ":3:3: binary 'app' does not match its"
                + " pin: lib/app.bin" + NL);
    }

    @Test
    void missingProjectFilesAreProblemsBeforeAnyFetch() throws Exception {
        Service service = service("app:\n  file: lib/none.bin\n  sha256: " + toolDigests.sha256() + "\n"
                + "tool:\n  url: " + publisher.url("/dist/tool-1.2.tar.gz") + "\n  sha256: " + toolDigests.sha256()
                + "\n  signature: { file: sigs/tool.asc, keys: keys/tool.asc }\n");
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> binaries().verify(service, Lockfile.empty("itsvc.lock")));
        assertThat(e.problems()).extracting(p -> p.location() + " " + p.message()).containsExactly(
                SERVICE + ":3:3 binary 'app' is the file lib/none.bin, which does not exist",
                SERVICE + ":6:3 the signature of binary 'tool' (" + publisher.url("/dist/tool-1.2.tar.gz") + "),"
                        + " sigs/tool.asc, does not exist",
                SERVICE + ":6:3 the keys for the signature of binary 'tool' (" + publisher.url("/dist/tool-1.2.tar.gz")
                        + "), src/main/itsvc/keys/tool.asc, do not exist");
        assertThat(publisher.totalHits()).isZero();
    }

    // ---- signatures and signed checksum lists: the real OpenPGP code, with keys made here as a publisher makes them

    private static final String TOOL = "/dist/tool-1.2.tar.gz";
    private static final String SUMS = "/dist/SHA256SUMS";
    private static final String SIGNATURE_FIX = "    fix: do not use this file. If the publisher signs with a new key,"
            + " check that key with them and add it to src/main/itsvc/keys/tool.asc";

    /** The publisher's release key; the repository keeps its public key once the user has checked it. */
    private static OpenPGPKey releaseKey;
    /** Anyone's key: not in the repository. */
    private static OpenPGPKey strangerKey;

    @BeforeAll
    static void keys() {
        // Key generation is the slow part: two keys for the whole class.
        releaseKey = TestKeys.signingPrimary();
        strangerKey = TestKeys.signingPrimary();
    }

    /** Keeps {@code key}'s public key as {@code src/main/itsvc/keys/<name>}. */
    private void trust(String name, OpenPGPKey key) throws Exception {
        Path file = definition().resolve("keys").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, TestKeys.armoredPublicKey(key));
    }

    /** A detached, armored signature of {@code data} by {@code key}, as {@code gpg --armor --detach-sign} makes. */
    private static byte[] asc(byte[] data, OpenPGPKey key) {
        return TestKeys.armored(TestKeys.sign(key, data, TestKeys.Sig.standard()));
    }

    /** The data with one bit flipped in the middle. */
    private static byte[] tampered(byte[] data) {
        byte[] copy = data.clone();
        copy[copy.length / 2] ^= 1;
        return copy;
    }

    private static String fingerprint(OpenPGPKey key) {
        return TestKeys.fingerprint(key);
    }

    /** The message OpenPGP gives when a signature by a key the repository does not hold is checked. */
    private String untrusted(OpenPGPKey signer, OpenPGPKey trusted, String keyFile) {
        return "it was made by key id " + TestKeys.keyId(signer.getPrimaryKey()) + " (fingerprint "
                + fingerprint(signer) + "), which is not among the trusted keys [" + fingerprint(trusted) + "] from "
                + definition().resolve("keys").resolve(keyFile);
    }

    private static final String NO_MATCH = " does not match the file: it was changed, or is not the file that was"
            + " signed";

    /** How the binary at {@code path} fails when its signature at {@code signature} is refused {@code because}. */
    private String refused(String path, String signature, String because) {
        String url = publisher.url(path);
        return SERVICE + ":3:3: binary 'tool' (" + url + "): its signature does not verify: OpenPGP signature "
                + publisher.url(signature) + " of " + url + " is refused: " + because;
    }

    /** How the binary fails when the signature of its checksum list is refused {@code because}. */
    private String listRefused(String because) {
        return SERVICE + ":3:3: binary 'tool' (" + publisher.url(TOOL) + "): the signature of its checksum list does"
                + " not verify: OpenPGP signature " + publisher.url(SUMS + ".asc") + " of " + publisher.url(SUMS)
                + " is refused: " + because;
    }

    /** Signatures and checksum lists that were refused do not stay in the cache either. */
    private void assertNotCached(String... paths) {
        for (String path : paths) {
            assertThat(cache.cachedUrl(publisher.url(path))).as("cached copy of " + path).isEmpty();
        }
    }

    private String signed(String path) {
        return "  signature: { url: " + publisher.url(path + ".asc") + ", keys: keys/tool.asc }\n";
    }

    private String checksums() {
        return "  checksums: { url: " + publisher.url(SUMS) + ", signature: { url: " + publisher.url(SUMS + ".asc")
                + ", keys: keys/pub.asc } }\n";
    }

    /** The publisher's list: the binary and another file, signed by {@code key}. */
    private String publishList(OpenPGPKey key) throws Exception {
        String list = toolDigests.sha256() + "  tool-1.2.tar.gz\n" + HasherTest.expected(other).sha256()
                + "  other.tar.gz\n";
        publisher.file(SUMS, list.getBytes(StandardCharsets.UTF_8));
        publisher.file(SUMS + ".asc", asc(list.getBytes(StandardCharsets.UTF_8), key));
        return list;
    }

    @Test
    void aGoodSignatureFetchedByUrlNamesItsSignerAndIsCheckedOnce() throws Exception {
        trust("tool.asc", releaseKey);
        publisher.file(TOOL + ".asc", asc(tool, releaseKey));
        Service service = service(pinned(TOOL, toolDigests) + signed(TOOL));
        VerifiedBinary v = verify(service).get(0);
        assertThat(v.signedBy()).isEqualTo(fingerprint(releaseKey));
        assertThat(v.file()).isEqualTo(cache.entryPath(toolDigests.sha256())).hasBinaryContent(tool);
        assertThat(verify(service).get(0).signedBy()).isEqualTo(fingerprint(releaseKey));
        assertThat(publisher.hits(TOOL)).isEqualTo(1);
        assertThat(publisher.hits(TOOL + ".asc")).as("the signature is kept in the cache").isEqualTo(1);
        assertThat(cache.cachedUrl(publisher.url(TOOL + ".asc"))).isPresent();

        // A warm build does not read the binary again to check its signature: the cache remembers the signer of
        // this very content, signature and key file. A planted answer shows that the memo is what answers.
        List<Path> memos;
        try (Stream<Path> files = Files.list(cache.root().resolve("signatures"))) {
            memos = files.toList();
        }
        assertThat(memos).hasSize(1);
        Files.writeString(memos.get(0), "PLANTED\n");
        assertThat(binaries(options().withOffline(true)).verify(service, Lockfile.empty("itsvc.lock")).get(0)
                .signedBy()).as("offline, all from the cache").isEqualTo("PLANTED");

        // Only for the very same key file, though: a key taken out of the repository is no longer trusted, even for
        // a binary checked before.
        trust("tool.asc", strangerKey);
        assertThat(verifyFails(service).getMessage()).isEqualTo(refused(TOOL, TOOL + ".asc",
                untrusted(releaseKey, strangerKey, "tool.asc")) + NL + SIGNATURE_FIX);
        assertCacheHolds(toolDigests);
        assertNotCached(TOOL + ".asc");
    }

    @Test
    void aSignatureCachedBeforeThePublisherReSignedIsFetchedAgain() throws Exception {
        trust("tool.asc", releaseKey);
        publisher.file(TOOL + ".asc", asc(tool, releaseKey));
        Service service = service(pinned(TOOL, toolDigests) + signed(TOOL));
        assertThat(verify(service).get(0).signedBy()).isEqualTo(fingerprint(releaseKey));

        // The publisher moves to a new key and signs again; the user checks the new key and keeps it instead.
        OpenPGPKey newKey = strangerKey;
        publisher.file(TOOL + ".asc", asc(tool, newKey));
        trust("tool.asc", newKey);
        assertThat(verify(service).get(0).signedBy()).isEqualTo(fingerprint(newKey));
        assertThat(publisher.hits(TOOL + ".asc")).as("the cached signature was refused, so fetched again").isEqualTo(2);
        assertThat(publisher.hits(TOOL)).isEqualTo(1);
        assertCacheHolds(toolDigests);
    }

    @Test
    void aChecksumListCachedBeforeThePublisherExtendedItIsFetchedAgain() throws Exception {
        trust("pub.asc", releaseKey);
        Digests otherDigests = HasherTest.expected(other);
        byte[] old = (otherDigests.sha256() + "  other.tar.gz\n").getBytes(StandardCharsets.UTF_8);
        publisher.file(SUMS, old).file(SUMS + ".asc", asc(old, releaseKey));
        verify(service("other:\n  url: " + publisher.url("/dist/other.tar.gz") + "\n" + checksums()));

        publishList(releaseKey); // the next release adds tool-1.2.tar.gz
        Service service = service("tool:\n  url: " + publisher.url(TOOL) + "\n" + checksums());
        assertThat(verify(service).get(0).digests()).isEqualTo(sha256Only(toolDigests));
        assertThat(publisher.hits(SUMS)).isEqualTo(2);
        assertCacheHolds(otherDigests, toolDigests);
    }

    @Test
    void goodSignaturesKeptInTheProjectVerifyFileAndUrlSources() throws Exception {
        trust("tool.asc", releaseKey);
        Path lib = Files.createDirectories(project.resolve("lib"));
        Files.write(lib.resolve("app.bin"), other);
        Files.write(lib.resolve("app.bin.asc"), asc(other, releaseKey));
        Files.write(lib.resolve("tool-1.2.tar.gz.asc"), asc(tool, releaseKey));
        Digests otherDigests = HasherTest.expected(other);
        Service service = service("app:\n  file: lib/app.bin\n  sha256: " + otherDigests.sha256() + "\n"
                + "  signature: { file: lib/app.bin.asc, keys: keys/tool.asc }\n"
                + pinned(TOOL, toolDigests) + "  signature: { file: lib/tool-1.2.tar.gz.asc, keys: keys/tool.asc }\n");

        assertThat(verify(service)).extracting(VerifiedBinary::name, VerifiedBinary::signedBy).containsExactly(
                tuple("app", fingerprint(releaseKey)), tuple("tool", fingerprint(releaseKey)));
        // warm: the file: source is known by its stamp, the URL's content by its pin
        assertThat(verify(service)).extracting(VerifiedBinary::signedBy).containsOnly(fingerprint(releaseKey));
        assertThat(publisher.totalHits()).isEqualTo(1);
        // pin records signed binaries like any other
        assertThat(binaries().pin(service, Lockfile.empty("itsvc.lock"), false).entries().values())
                .extracting(Lockfile.Entry::sha256).containsExactly(otherDigests.sha256(), toolDigests.sha256());
        assertCacheHolds(otherDigests, toolDigests);
    }

    @Test
    void aBinaryTamperedWithAfterSigningIsRefusedAndNeverCached() throws Exception {
        trust("tool.asc", releaseKey);
        byte[] evil = tampered(tool);
        publisher.file(TOOL, evil).file(TOOL + ".asc", asc(tool, releaseKey)); // a mirror serving a changed file
        String message = refused(TOOL, TOOL + ".asc", "the signature by key " + fingerprint(releaseKey) + NO_MATCH)
                + NL + SIGNATURE_FIX;

        // Pinning does not pin a file whose signature does not verify...
        Service unpinned = service("tool:\n  url: " + publisher.url(TOOL) + "\n" + signed(TOOL));
        assertThat(pinFails(unpinned).getMessage()).isEqualTo(message);
        assertCacheHolds();
        assertNotCached(TOOL + ".asc");

        // ... and a pin made of the changed file does not make it good.
        Service pinned = service(pinned(TOOL, HasherTest.expected(evil)) + signed(TOOL));
        assertThat(verifyFails(pinned).getMessage()).isEqualTo(message);
        assertCacheHolds();
        assertNotCached(TOOL + ".asc");
    }

    @Test
    void aSignatureByAKeyNotInTheRepositoryIsRefused() throws Exception {
        trust("tool.asc", releaseKey);
        publisher.file(TOOL + ".asc", asc(tool, strangerKey));
        BinaryException e = verifyFails(service(pinned(TOOL, toolDigests) + signed(TOOL)));
        assertThat(e.getMessage()).isEqualTo(refused(TOOL, TOOL + ".asc", untrusted(strangerKey, releaseKey,
                "tool.asc")) + NL + SIGNATURE_FIX);
        assertThat(publisher.hits(TOOL)).isEqualTo(1);
        assertCacheHolds();
        assertNotCached(TOOL + ".asc");
    }

    @Test
    void aMissingKeyFileIsAProblemFoundBeforeAnyFetch() throws Exception {
        publisher.file(TOOL + ".asc", asc(tool, releaseKey));
        Service service = service(pinned(TOOL, toolDigests) + signed(TOOL));
        for (Binaries.Options options : List.of(options(), options().withOffline(true))) {
            var e = catchThrowableOfType(InvalidInputException.class,
                    () -> binaries(options).verify(service, Lockfile.empty("itsvc.lock")));
            assertThat(e.problems()).containsExactly(new Problem(new io.github.itsvc.model.Location(SERVICE, 3, 3),
                    "the keys for the signature of binary 'tool' (" + publisher.url(TOOL) + "),"
                            + " src/main/itsvc/keys/tool.asc, do not exist",
                    "export the publisher's public key (after checking its fingerprint with them) to"
                            + " src/main/itsvc/keys/tool.asc"));
        }
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> binaries().pin(service, Lockfile.empty("itsvc.lock"), false));
        assertThat(e.problems()).singleElement().extracting(Problem::message).asString()
                .contains("src/main/itsvc/keys/tool.asc, do not exist");
        assertThat(publisher.totalHits()).isZero();
        assertCacheHolds();
    }

    @Test
    void aKeyFileWithoutAPublicKeyIsAProblemFoundBeforeAnyFetch() throws Exception {
        Path keys = Files.createDirectories(definition().resolve("keys"));
        Files.writeString(keys.resolve("tool.asc"), releaseKey.toAsciiArmoredString()); // the secret key, by mistake
        Files.writeString(keys.resolve("pub.asc"), "<html>Key not found</html>\n"); // a key server's error page
        publishList(releaseKey);
        Service service = service(pinned(TOOL, toolDigests) + signed(TOOL) + "other:\n  url: "
                + publisher.url("/dist/other.tar.gz") + "\n" + checksums());
        var e = catchThrowableOfType(InvalidInputException.class,
                () -> binaries().verify(service, Lockfile.empty("itsvc.lock")));
        assertThat(e.problems()).containsExactly(
                new Problem(new io.github.itsvc.model.Location(SERVICE, 3, 3), "the keys for the signature of binary"
                        + " 'tool' (" + publisher.url(TOOL) + ") cannot be used: OpenPGP key file "
                        + keys.resolve("tool.asc") + " holds a secret key: never commit it; keep only the public key"
                        + " (gpg --export --armor <fingerprint>)", "export the publisher's public key (after checking"
                        + " its fingerprint with them) to src/main/itsvc/keys/tool.asc"),
                new Problem(new io.github.itsvc.model.Location(SERVICE, 7, 3), "the keys for the checksum list's"
                        + " signature of binary 'other' (" + publisher.url("/dist/other.tar.gz") + ") cannot be used:"
                        + " OpenPGP key file " + keys.resolve("pub.asc") + " holds no public key; export one with: gpg"
                        + " --export --armor <fingerprint> > pub.asc", "export the publisher's public key (after"
                        + " checking its fingerprint with them) to src/main/itsvc/keys/pub.asc"));
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> binaries().pin(service, Lockfile.empty("itsvc.lock"), false)).problems()).hasSize(2);
        assertThat(publisher.totalHits()).isZero();
        assertCacheHolds();
    }

    @Test
    void aSignedChecksumListPinsTheBinary() throws Exception {
        trust("pub.asc", releaseKey);
        publishList(releaseKey);
        Service service = service("tool:\n  url: " + publisher.url(TOOL) + "\n" + checksums());
        VerifiedBinary v = verify(service).get(0);
        assertThat(v.digests()).isEqualTo(sha256Only(toolDigests));
        assertThat(v.file()).hasBinaryContent(tool);
        assertThat(v.signedBy()).isEqualTo(fingerprint(releaseKey));

        // pin records it like any other; the list and its signature come from the cache
        assertThat(binaries().pin(service, Lockfile.empty("itsvc.lock"), false).entry("tool"))
                .isEqualTo(new Lockfile.Entry("tool", publisher.url(TOOL), toolDigests, tool.length));
        assertThat(binaries(options().withOffline(true)).verify(service, Lockfile.empty("itsvc.lock")).get(0)
                .signedBy()).isEqualTo(fingerprint(releaseKey));
        assertThat(publisher.hits(TOOL)).isEqualTo(1);
        assertThat(publisher.hits(SUMS)).isEqualTo(1);
        assertThat(publisher.hits(SUMS + ".asc")).isEqualTo(1);
        assertCacheHolds(toolDigests);
    }

    @Test
    void aChecksumListWithABadSignaturePinsNothing() throws Exception {
        trust("pub.asc", releaseKey);
        String list = publishList(releaseKey);
        // Someone swaps the binary and edits the list to match; the publisher's signature no longer does.
        publisher.file(TOOL, other).file(SUMS, list.replace(toolDigests.sha256(), HasherTest.expected(other)
                .sha256()).getBytes(StandardCharsets.UTF_8));
        Service service = service("tool:\n  url: " + publisher.url(TOOL) + "\n" + checksums());
        String fix = NL + "    fix: do not trust the list. If the publisher signs with a new key, check that key with"
                + " them and add it to src/main/itsvc/keys/pub.asc";
        assertThat(verifyFails(service).getMessage()).isEqualTo(listRefused("the signature by key "
                + fingerprint(releaseKey) + NO_MATCH) + fix);
        assertThat(publisher.hits(TOOL)).as("the binary is not even fetched").isZero();
        assertCacheHolds();
        assertNotCached(SUMS, SUMS + ".asc");

        // A list signed by a key the repository does not hold pins nothing either.
        publishList(strangerKey);
        assertThat(verifyFails(service).getMessage()).isEqualTo(listRefused(untrusted(strangerKey, releaseKey,
                "pub.asc")) + fix);
        assertThat(publisher.hits(TOOL)).isZero();
        assertCacheHolds();
        assertNotCached(SUMS, SUMS + ".asc");
    }

    @Test
    void aChecksumListWithoutTheBinarysEntryPinsNothing() throws Exception {
        trust("pub.asc", releaseKey);
        publishList(releaseKey);
        String url = publisher.url("/dist/tool-9.tar.gz");
        publisher.file("/dist/tool-9.tar.gz", tool);
        Service service = service("tool:\n  url: " + url + "\n" + checksums());
        assertThat(verifyFails(service).getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (" + url + "): its"
                + " checksum list " + publisher.url(SUMS) + " has no entry 'tool-9.tar.gz' (entries: 'tool-1.2.tar.gz',"
                + " 'other.tar.gz')" + NL + "    fix: set 'name:' under 'checksums' to the binary's entry in the list");
        assertThat(publisher.hits("/dist/tool-9.tar.gz")).isZero();
        assertCacheHolds();
        assertNotCached(SUMS, SUMS + ".asc");
    }

    @Test
    void aSignedChecksumListItsvcCannotReadNamesTheBinaryTheListAndTheLine() throws Exception {
        trust("pub.asc", releaseKey);
        byte[] list = (toolDigests.sha256() + "  tool-1.2.tar.gz\n<html>moved</html>\n")
                .getBytes(StandardCharsets.UTF_8);
        publisher.file(SUMS, list).file(SUMS + ".asc", asc(list, releaseKey));
        String url = publisher.url(TOOL);
        Service service = service("tool:\n  url: " + url + "\n" + checksums());
        assertThat(verifyFails(service).getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (" + url + "): its"
                + " checksum list cannot be read: " + publisher.url(SUMS) + ":2: malformed checksum line"
                + " \"<html>moved</html>\" (expected \"<sha256 or sha512 hex>  <name>\" or \"SHA256 (<name>) ="
                + " <hex>\")" + NL + "    fix: check that " + publisher.url(SUMS) + " is the publisher's list of"
                + " SHA-256 or SHA-512 digests; if it is, and itsvc cannot read it, remove 'checksums' and pin the"
                + " binary with its sha256 in service.yaml");
        assertThat(publisher.hits(TOOL)).isZero();
        assertCacheHolds();
        assertNotCached(SUMS, SUMS + ".asc");

        byte[] empty = "# nothing released yet\n".getBytes(StandardCharsets.UTF_8);
        publisher.file(SUMS, empty).file(SUMS + ".asc", asc(empty, releaseKey));
        cache = new BinaryCache(home.resolve("cold"));
        assertThat(verifyFails(service).getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (" + url + "): its"
                + " checksum list cannot be read: " + publisher.url(SUMS) + " lists no checksum" + NL + "    fix: check"
                + " that " + publisher.url(SUMS) + " is the publisher's list of SHA-256 or SHA-512 digests; if it is,"
                + " and itsvc cannot read it, remove 'checksums' and pin the binary with its sha256 in service.yaml");
        assertCacheHolds();
        assertNotCached(SUMS, SUMS + ".asc");
    }

    @Test
    void aBinaryThatDoesNotMatchItsSignedListIsRefusedAndNeverCached() throws Exception {
        trust("pub.asc", releaseKey);
        publishList(releaseKey);
        publisher.file(TOOL, other);
        Service service = service("tool:\n  url: " + publisher.url(TOOL) + "\n" + checksums());
        assertThat(verifyFails(service).getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' does not match its"
                + " pin: " + publisher.url(TOOL) + NL
                + "    expected sha256: " + toolDigests.sha256() + " (the checksum list " + publisher.url(SUMS)
                + ", signed by " + fingerprint(releaseKey) + ")" + NL
                + "    actual sha256:   " + HasherTest.expected(other).sha256() + NL
                + "    fix: do not use this file: it is not the one the publisher signed for; tell the publisher");
        assertCacheHolds();
        // pin refuses it the same way
        assertThat(pinFails(service).getMessage()).contains("it is not the one the publisher signed for");
        assertCacheHolds();
    }

    @Test
    void checksumListsAndServiceYamlPinsMustAgree() throws Exception {
        trust("pub.asc", releaseKey);
        Path list = project.resolve("SHA512SUMS");
        Files.writeString(list, HasherTest.expected(other).sha512() + " *tool-1.2.tar.gz\n");
        Files.write(project.resolve("SHA512SUMS.asc"), asc(Files.readAllBytes(list), releaseKey));
        Service service = service(pinned(TOOL, toolDigests).replace("sha256: " + toolDigests.sha256(), "sha512: "
                + toolDigests.sha512()) + "  checksums: { file: SHA512SUMS, signature: { file: SHA512SUMS.asc, keys:"
                + " keys/pub.asc } }\n");
        BinaryException e = verifyFails(service);
        assertThat(e.getMessage()).isEqualTo(SERVICE + ":3:3: binary 'tool' (" + publisher.url(TOOL)
                + ") has two different sha512 pins" + NL
                + "    sha512: " + toolDigests.sha512() + " (" + SERVICE + ":3:3)" + NL
                + "    sha512: " + HasherTest.expected(other).sha512() + " (the checksum list file:SHA512SUMS,"
                + " signed by " + fingerprint(releaseKey) + ")" + NL
                + "    fix: the publisher's signed list and the other pin disagree: find out why before using either,"
                + " then correct or remove the other pin");
        assertThat(publisher.totalHits()).isZero();
        assertCacheHolds();
    }

    @Test
    void binaryHelpers() {
        Binary b = new Binary("x", new Binary.UrlSource("https://e.org/x"), java.util.Map.of(), null, null, null);
        assertThat(Binaries.fail(b, "what", "fix").getMessage())
                .isEqualTo("service.yaml: binary 'x' (https://e.org/x): what" + NL + "    fix: fix");
    }
}
