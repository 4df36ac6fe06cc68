package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryCacheTest {

    @TempDir
    Path dir;

    private BinaryCache cache() {
        return new BinaryCache(dir.resolve("cache"));
    }

    private static byte[] content(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static BinaryCache.Entry insert(BinaryCache cache, byte[] data) throws Exception {
        Path temp = cache.newTempFile();
        Files.write(temp, data);
        return cache.insert(temp, HasherTest.expected(data));
    }

    private List<Path> temps(BinaryCache cache) throws Exception {
        try (Stream<Path> files = Files.list(cache.root().resolve("tmp"))) {
            return files.toList();
        }
    }

    @Test
    void entriesAreContentAddressedReadOnlyAndFoundByEitherDigest() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(100_000, 1);
        Digests digests = HasherTest.expected(data);
        BinaryCache.Entry entry = insert(cache, data);

        Path expectedPath = cache.root().resolve("sha256/" + digests.sha256().substring(0, 2) + "/" + digests.sha256());
        assertThat(entry.file()).isEqualTo(expectedPath).isEqualTo(cache.entryPath(digests.sha256()));
        assertThat(entry.digests()).isEqualTo(digests);
        assertThat(entry.size()).isEqualTo(100_000);
        assertThat(Files.readAllBytes(entry.file())).isEqualTo(data);
        assertThat(Files.getPosixFilePermissions(entry.file())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        assertThat(temps(cache)).isEmpty();

        assertThat(cache.find(digests.sha256(), null)).contains(entry);
        assertThat(cache.find(null, digests.sha512())).contains(entry);
        assertThat(cache.find(digests.sha256(), digests.sha512())).contains(entry);
        assertThat(cache.find("0".repeat(64), null)).isEmpty();
        assertThat(cache.find(null, "0".repeat(128))).isEmpty();
        assertThat(cache.find(null, null)).isEmpty();
    }

    @Test
    void warmLookupsTrustTheStampWithoutReadingTheFile() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(3 * Hasher.CHUNK, 2);
        Digests digests = HasherTest.expected(data);
        insert(cache, data);
        for (int i = 0; i < 100; i++) {
            assertThat(cache.find(digests.sha256(), digests.sha512())).isPresent();
        }
        assertThat(cache.rehashes()).isZero();

        // A new cache object (a new build) trusts the same stamp.
        BinaryCache next = cache();
        assertThat(next.find(null, digests.sha512())).isPresent();
        assertThat(next.rehashes()).isZero();
    }

    @Test
    void anEntryInsertedWithoutItsSha512IsTrustedAndGetsItOnceWhenAskedFor() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(2 * Hasher.CHUNK + 7, 9);
        Digests digests = HasherTest.expected(data);
        Path temp = cache.newTempFile();
        Files.write(temp, data);
        BinaryCache.Entry entry = cache.insert(temp, new Digests(digests.sha256(), null));
        Path stamp = entry.file().resolveSibling(entry.file().getFileName() + ".stamp");
        assertThat(entry.digests().sha512()).isNull();
        assertThat(Files.readString(stamp)).doesNotContain("sha512");

        // Found by its SHA-256 without a rehash; not by a SHA-512 (nothing indexes it yet).
        assertThat(cache.find(digests.sha256(), null)).contains(entry);
        assertThat(cache.find(null, digests.sha512())).isEmpty();
        assertThat(cache.rehashes()).isZero();

        // Asked for its SHA-512: hashed once, stamped with it and indexed; then trusted again.
        assertThat(cache.find(digests.sha256(), null, true, notice -> {})).get()
                .extracting(BinaryCache.Entry::digests).isEqualTo(digests);
        assertThat(cache.rehashes()).isEqualTo(1);
        assertThat(Files.readString(stamp)).contains("sha512=" + digests.sha512());
        assertThat(cache.find(null, digests.sha512())).get().extracting(BinaryCache.Entry::digests)
                .isEqualTo(digests);
        assertThat(cache.find(digests.sha256(), digests.sha512(), true, notice -> {})).isPresent();
        assertThat(cache.rehashes()).isEqualTo(1);
    }

    @Test
    void aPinnedSha512TheStampLacksIsCheckedAgainstTheContent() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(5000, 10);
        Digests digests = HasherTest.expected(data);
        Path temp = cache.newTempFile();
        Files.write(temp, data);
        cache.insert(temp, new Digests(digests.sha256(), null));

        // The entry is returned with its true SHA-512, for the caller to compare with the pin.
        assertThat(cache.find(digests.sha256(), "ab".repeat(64))).get().extracting(BinaryCache.Entry::digests)
                .isEqualTo(digests);
        assertThat(cache.rehashes()).isEqualTo(1);
    }

    @Test
    void insertingTheSameContentWithItsSha512CompletesAStampWithout() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(5000, 11);
        Digests digests = HasherTest.expected(data);
        Path first = cache.newTempFile();
        Files.write(first, data);
        cache.insert(first, new Digests(digests.sha256(), null));
        Path second = cache.newTempFile();
        Files.write(second, data);

        assertThat(cache.insert(second, digests).digests()).isEqualTo(digests);
        assertThat(cache.find(null, digests.sha512())).isPresent();
        assertThat(cache.rehashes()).isZero();
        assertThat(temps(cache)).isEmpty();
    }

    @Test
    void anEntryWithoutStampIsHashedOnceThenStampedAgain() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(5000, 3);
        Digests digests = HasherTest.expected(data);
        BinaryCache.Entry entry = insert(cache, data);
        Files.delete(entry.file().resolveSibling(entry.file().getFileName() + ".stamp"));

        assertThat(cache.find(digests.sha256(), null)).isPresent();
        assertThat(cache.find(digests.sha256(), null)).isPresent();
        assertThat(cache.rehashes()).isEqualTo(1);
    }

    @Test
    void concurrentLookupsOfAnUnstampedEntryHashItOnce() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(4 * Hasher.CHUNK, 14);
        Digests digests = HasherTest.expected(data);
        BinaryCache.Entry entry = insert(cache, data);
        Files.delete(entry.file().resolveSibling(entry.file().getFileName() + ".stamp"));
        int threads = 6;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> found = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                found.add(pool.submit(() -> {
                    start.await();
                    return cache.find(digests.sha256(), null).isPresent();
                }));
            }
            for (Future<Boolean> f : found) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.rehashes()).isEqualTo(1);
    }

    @Test
    void aTamperedEntryIsDetectedAndEvicted() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(5000, 4);
        Digests digests = HasherTest.expected(data);
        BinaryCache.Entry entry = insert(cache, data);

        // Same size, and the modification time put back: only the change time (and the content) tell.
        FileTime modified = Files.getLastModifiedTime(entry.file());
        Files.setPosixFilePermissions(entry.file(), Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        Files.write(entry.file(), content(5000, 5));
        Files.setLastModifiedTime(entry.file(), modified);

        List<String> notices = new ArrayList<>();
        assertThat(cache.find(digests.sha256(), digests.sha512(), notices::add)).isEmpty();
        assertThat(cache.rehashes()).isEqualTo(1);
        assertThat(entry.file()).doesNotExist();
        assertThat(entry.file().resolveSibling(entry.file().getFileName() + ".stamp")).doesNotExist();
        assertThat(notices).singleElement().asString().contains("no longer matched its SHA-256").contains("evicted");

        // and the right content goes back in
        assertThat(insert(cache, data).file()).hasBinaryContent(data);
        assertThat(cache.find(digests.sha256(), null)).isPresent();
    }

    @Test
    void aDamagedEntryIsReplacedOnInsert() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(5000, 6);
        BinaryCache.Entry entry = insert(cache, data);
        Files.setPosixFilePermissions(entry.file(), Set.of(PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ));
        Files.write(entry.file(), new byte[] {1, 2, 3});

        assertThat(insert(cache, data).file()).hasBinaryContent(data);
        assertThat(temps(cache)).isEmpty();
    }

    @Test
    void aStaleSha512IndexIsNotTrusted() throws Exception {
        BinaryCache cache = cache();
        byte[] a = content(1000, 7);
        byte[] b = content(1000, 8);
        insert(cache, a);
        Digests db = HasherTest.expected(b);
        Path index = cache.root().resolve("sha512/" + db.sha512().substring(0, 2) + "/" + db.sha512());
        Files.createDirectories(index.getParent());
        Files.writeString(index, HasherTest.expected(a).sha256() + "\n"); // points at the wrong entry
        assertThat(cache.find(null, db.sha512())).isEmpty();
    }

    @Test
    void concurrentInsertsOfTheSameContentFromManyThreads() throws Exception {
        BinaryCache cache = cache();
        byte[] data = content(2 * Hasher.CHUNK + 17, 9);
        Digests digests = HasherTest.expected(data);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<BinaryCache.Entry>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // each thread its own cache object, like separate builds in one JVM
                BinaryCache own = cache();
                Callable<BinaryCache.Entry> task = () -> {
                    Path temp = own.newTempFile();
                    Files.write(temp, data);
                    start.await();
                    BinaryCache.Entry entry = own.insert(temp, digests);
                    assertThat(own.find(digests.sha256(), digests.sha512())).isPresent();
                    return entry;
                };
                results.add(pool.submit(task));
            }
            for (Future<BinaryCache.Entry> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).file()).isEqualTo(cache.entryPath(digests.sha256()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.entryPath(digests.sha256())).hasBinaryContent(data);
        assertThat(temps(cache)).isEmpty();
        try (Stream<Path> files = Files.list(cache.entryPath(digests.sha256()).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString().substring(64)))
                    .containsExactlyInAnyOrder("", ".stamp", ".lock");
        }
    }

    @Test
    void concurrentInsertsFromSeveralProcesses() throws Exception {
        Path root = dir.resolve("cache");
        byte[] data = content(Hasher.CHUNK + 5, 10);
        Digests digests = HasherTest.expected(data);
        Path source = dir.resolve("content");
        Files.write(source, data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CacheInserter.class.getName(), root.toString(), source.toString(), digests.sha256(),
                    digests.sha512(), "20")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out-" + i).toFile()).start());
        }
        for (int i = 0; i < processes.size(); i++) {
            assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(processes.get(i).exitValue()).as(Files.readString(dir.resolve("out-" + i))).isZero();
        }
        BinaryCache cache = new BinaryCache(root);
        assertThat(cache.find(digests.sha256(), digests.sha512())).isPresent();
        assertThat(cache.entryPath(digests.sha256())).hasBinaryContent(data);
        assertThat(temps(cache)).isEmpty();
        assertThat(cache.rehashes()).isZero();
    }

    @Test
    void staleTempFilesOfKilledBuildsAreSweptFreshOnesKept() throws Exception {
        Path tmp = dir.resolve("cache/tmp");
        Files.createDirectories(tmp);
        Path stale = Files.writeString(tmp.resolve("download-1.part"), "old");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path fresh = Files.writeString(tmp.resolve("download-2.part"), "in progress elsewhere");
        Path temp = cache().newTempFile();
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(temp.getParent()).isEqualTo(tmp);
    }

    @Test
    void unchangedProjectFilesAreKnownWithoutHashing() throws Exception {
        BinaryCache cache = cache();
        Path file = Files.write(dir.resolve("app.bin"), content(1000, 11));
        Digests digests = Hasher.hash(file);
        BinaryCache.Stamp before = BinaryCache.Stamp.of(file);
        assertThat(cache.knownSource(file)).isEmpty();
        cache.rememberSource(file, before, digests);
        assertThat(cache.knownSource(file)).contains(digests);

        Files.write(file, content(1000, 12));
        assertThat(cache.knownSource(file)).isEmpty();

        // changed while being read: not remembered
        BinaryCache.Stamp stale = BinaryCache.Stamp.of(dir.resolve("app.bin"));
        Files.write(file, content(1001, 13));
        cache.rememberSource(file, stale, digests);
        assertThat(cache.knownSource(file)).isEmpty();
    }

    @Test
    void smallFilesAreKeptByUrl() throws Exception {
        BinaryCache cache = cache();
        assertThat(cache.cachedUrl("https://e.org/a.asc")).isEmpty();
        Path temp = cache.newTempFile();
        Files.writeString(temp, "sig");
        Path kept = cache.storeUrl("https://e.org/a.asc", temp);
        assertThat(cache.cachedUrl("https://e.org/a.asc")).contains(kept);
        assertThat(kept).hasContent("sig");
        assertThat(cache.cachedUrl("https://e.org/b.asc")).isEmpty();
    }

    @Test
    void defaultRootHonoursPropertyThenEnvironmentThenHome() {
        String home = File.separator + "home" + File.separator + "u";
        assertThat(BinaryCache.defaultRoot(null, null, home)).isEqualTo(Path.of(home, ".itsvc", "cache"));
        assertThat(BinaryCache.defaultRoot(null, "/env/cache", home)).isEqualTo(Path.of("/env/cache"));
        assertThat(BinaryCache.defaultRoot("/prop/cache", "/env/cache", home)).isEqualTo(Path.of("/prop/cache"));
        assertThat(BinaryCache.defaultRoot(" ", "", home)).isEqualTo(Path.of(home, ".itsvc", "cache"));
        assertThat(BinaryCache.defaultRoot()).isAbsolute();
    }
}
