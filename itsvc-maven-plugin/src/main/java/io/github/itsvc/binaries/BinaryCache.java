package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The content-addressed cache of verified binaries, shared by every service of the user (and by concurrent builds):
 *
 * <pre>
 * &lt;root&gt;/sha256/ab/ab12...      a verified binary, read-only, named by its SHA-256
 * &lt;root&gt;/sha256/ab/ab12....stamp  its size, times and file key at insertion, and its SHA-512 if computed
 * &lt;root&gt;/sha256/ab/ab12....lock   held while the entry is inserted, checked or evicted
 * &lt;root&gt;/sha512/cd/cd34...      the SHA-256 of the entry with this SHA-512, for binaries pinned by SHA-512 only
 * &lt;root&gt;/tmp/                  downloads in progress; never read as entries
 * &lt;root&gt;/urls/                 signatures and checksum lists by URL (verified whenever used, dropped if refused)
 * &lt;root&gt;/sources/              stamps of file: sources, so an unchanged project file is not hashed again
 * &lt;root&gt;/signatures/           signers of signatures checked before (by content, signature and keys)
 * </pre>
 *
 * <p>Entries appear only by an atomic move of a complete, verified file, so readers never see partial files. Every
 * change to an entry happens under a lock on its lock file (and a JVM lock, since file locks are per process).
 * Re-verification is cheap: an entry whose size, modification time, change time and file key still match the stamp
 * written at insertion is trusted without reading it; anything else is hashed again, and evicted if wrong. The stamp
 * guards against accidents (a disk error, a stray edit), not against someone who can rewrite the cache: they could
 * rewrite the stamps too.
 */
public final class BinaryCache {

    /** The environment variable that moves the cache. */
    public static final String ENV = "ITSVC_CACHE";
    /** The system property that moves the cache; wins over {@link #ENV}. */
    public static final String PROPERTY = "itsvc.cache";

    private static final Duration STALE_TEMP = Duration.ofHours(24);
    /** File locks are held per process: threads of one build also need a lock of their own. */
    private static final Map<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final AtomicLong rehashes = new AtomicLong();
    private volatile boolean tempsSwept;

    /** @param root the cache directory; created on first use */
    public BinaryCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * {@code ~/.itsvc/cache}, unless the system property {@value #PROPERTY} or the environment variable
     * {@value #ENV} says otherwise (in that order).
     */
    public static Path defaultRoot() {
        return defaultRoot(System.getProperty(PROPERTY), System.getenv(ENV), System.getProperty("user.home"));
    }

    static Path defaultRoot(String property, String env, String home) {
        if (property != null && !property.isBlank()) {
            return Path.of(property.strip());
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env.strip());
        }
        return Path.of(home, ".itsvc", "cache");
    }

    public Path root() {
        return root;
    }

    /** A verified binary in the cache. */
    public record Entry(Path file, Digests digests, long size) {}

    /** Where the entry with this SHA-256 lives, whether or not it exists. */
    public Path entryPath(String sha256) {
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /**
     * The intact entry with these digests, if cached. Give what is pinned: the SHA-256, the SHA-512, or both. An entry
     * is found by its SHA-256 (or, for a SHA-512 alone, through the index); when both are given and the entry's
     * SHA-512 differs, the entry is still returned, so the caller can report that the pins disagree.
     */
    public Optional<Entry> find(String sha256, String sha512) throws IOException {
        return find(sha256, sha512, notice -> {});
    }

    /** @param notices told about entries found damaged and evicted */
    Optional<Entry> find(String sha256, String sha512, Consumer<String> notices) throws IOException {
        return find(sha256, sha512, false, notices);
    }

    /**
     * @param withSha512 whether the entry's SHA-512 must be known: an entry stamped without one (its download was
     *     checked by SHA-256 alone) is then hashed again, once, and stamped with it
     * @param notices told about entries found damaged and evicted
     */
    Optional<Entry> find(String sha256, String sha512, boolean withSha512, Consumer<String> notices)
            throws IOException {
        String key = sha256;
        if (key == null) {
            if (sha512 == null) {
                return Optional.empty();
            }
            key = readIndex(sha512);
            if (key == null) {
                return Optional.empty();
            }
        }
        Path file = entryPath(key);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Entry trusted = trusted(file, key);
        String k = key;
        if (trusted == null) {
            // No stamp or a stale one: hash it for the truth, under the entry's lock (unless another build just did).
            trusted = locked(key, () -> {
                Entry stamped = trusted(file, k);
                return stamped != null ? stamped : checkOrEvict(k, notices);
            });
        } else if (sha512 != null && !sha512.equals(trusted.digests().sha512())) {
            // A surprising SHA-512 (the stamp may lie), or none stamped: hash it for the truth.
            trusted = locked(key, () -> checkOrEvict(k, notices));
        } else if (withSha512 && trusted.digests().sha512() == null) {
            trusted = locked(key, () -> checkOrEvict(k, notices));
        }
        if (trusted != null && sha256 == null && !sha512.equals(trusted.digests().sha512())) {
            return Optional.empty(); // a stale index entry: not the file pinned
        }
        return Optional.ofNullable(trusted);
    }

    /**
     * Moves a verified download into the cache (or drops it if an intact entry exists already) and returns the
     * entry. The temp file is gone afterwards, whatever happens.
     *
     * @param temp a file made by {@link #newTempFile()}, holding exactly the content {@code digests} describe
     *     (the SHA-512 may be unknown)
     */
    Entry insert(Path temp, Digests digests) throws IOException {
        try {
            Files.createDirectories(entryPath(digests.sha256()).getParent());
            return locked(digests.sha256(), () -> {
                Path file = entryPath(digests.sha256());
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    Entry existing = trusted(file, digests.sha256());
                    if (existing == null || !agree(existing.digests(), digests)) {
                        existing = checkOrEvict(digests.sha256(), notice -> {});
                    }
                    if (existing != null && agree(existing.digests(), digests)) {
                        // another build was faster: same content by definition
                        return existing.digests().sha512() == null && digests.sha512() != null
                                ? stamp(file, digests) : existing;
                    }
                    if (existing != null) {
                        throw new IOException("the cache entry " + file + " has the SHA-512 " + existing.digests()
                                .sha512() + ", not " + digests.sha512() + " as its SHA-256 promises");
                    }
                }
                makeReadOnly(temp);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
                return stamp(file, digests);
            });
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Same SHA-256, and the same SHA-512 where both know it. */
    private static boolean agree(Digests a, Digests b) {
        return a.sha256().equals(b.sha256())
                && (a.sha512() == null || b.sha512() == null || a.sha512().equals(b.sha512()));
    }

    /** A new empty file in the cache's temp folder, on the same file system as the entries. */
    Path newTempFile() throws IOException {
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        if (!tempsSwept) {
            tempsSwept = true;
            sweepStaleTemps(tmp);
        }
        return Files.createTempFile(tmp, "download-", ".part");
    }

    /** A path in the temp folder for a hard link (which must not exist yet). */
    Path newTempName() throws IOException {
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        return tmp.resolve("link-" + UUID.randomUUID() + ".part");
    }

    /** How many times an entry was hashed again because its stamp did not vouch for it (for tests). */
    long rehashes() {
        return rehashes.get();
    }

    // ---- signatures and checksum lists by URL

    /** The cached copy of a small file fetched from {@code url}, if any. */
    Optional<Path> cachedUrl(String url) {
        Path file = urlPath(url);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Keeps a small file fetched from {@code url} (replacing an older copy); the temp file is moved. */
    Path storeUrl(String url, Path temp) throws IOException {
        Path file = urlPath(url);
        Files.createDirectories(file.getParent());
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Drops the cached copy of a small file fetched from {@code url}, if any: it was refused. */
    void forgetUrl(String url) {
        try {
            Files.deleteIfExists(urlPath(url));
        } catch (IOException e) {
            // it is verified whenever it is used, and replaced when fetched again
        }
    }

    private Path urlPath(String url) {
        return root.resolve("urls").resolve(sha256(url));
    }

    // ---- signatures checked before

    /**
     * The signer of a signature checked before over the content with this SHA-256, with these very signature and key
     * bytes: the same inputs give the same answer, and checking again would read the whole binary.
     */
    Optional<String> knownSignature(String sha256, Path signature, List<Path> keys) {
        try {
            Path memo = signaturePath(sha256, signature, keys);
            return Files.isRegularFile(memo) ? Optional.of(Files.readString(memo, StandardCharsets.UTF_8).strip())
                    .filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void rememberSignature(String sha256, Path signature, List<Path> keys, String signer) throws IOException {
        writeAtomically(signaturePath(sha256, signature, keys), signer + "\n");
    }

    private Path signaturePath(String sha256, Path signature, List<Path> keys) throws IOException {
        StringBuilder inputs = new StringBuilder(sha256).append('\n').append(sha256(Files.readAllBytes(signature)));
        for (Path key : keys) {
            inputs.append('\n').append(sha256(Files.readAllBytes(key)));
        }
        return root.resolve("signatures").resolve(sha256(inputs.toString()));
    }

    // ---- file: sources

    /** The digests of a project file hashed before, if its stamp still matches. */
    Optional<Digests> knownSource(Path file) {
        Map<String, String> stored = readProperties(sourcePath(file));
        if (stored == null || !file.toAbsolutePath().toString().equals(stored.get("path"))) {
            return Optional.empty();
        }
        try {
            if (!Stamp.of(file).matches(stored)) {
                return Optional.empty();
            }
            return Optional.of(new Digests(stored.get("sha256"), stored.get("sha512")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Remembers a project file's digests, if it did not change since {@code before} was taken. */
    void rememberSource(Path file, Stamp before, Digests digests) throws IOException {
        Stamp after = Stamp.of(file);
        if (!after.equals(before)) {
            return;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("path", file.toAbsolutePath().toString());
        properties.putAll(after.properties());
        properties.put("sha256", digests.sha256());
        properties.put("sha512", digests.sha512());
        writeProperties(sourcePath(file), properties);
    }

    private Path sourcePath(Path file) {
        return root.resolve("sources").resolve(sha256(file.toAbsolutePath().toString()));
    }

    // ---- entries

    /** The entry if its stamp vouches for it (the SHA-512 {@code null} if the stamp has none), else {@code null}. */
    private Entry trusted(Path file, String sha256) {
        Map<String, String> stamp = readProperties(stampPath(file));
        if (stamp == null || stamp.containsKey("sha512") && !Digests.isSha512(stamp.get("sha512"))) {
            return null;
        }
        try {
            Stamp now = Stamp.of(file, LinkOption.NOFOLLOW_LINKS);
            return now.matches(stamp) ? new Entry(file, new Digests(sha256, stamp.get("sha512")), now.size()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Under the entry's lock: hashes it; stamps it if right, evicts it if wrong. */
    private Entry checkOrEvict(String sha256, Consumer<String> notices) throws IOException {
        Path file = entryPath(sha256);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        rehashes.incrementAndGet();
        Digests actual;
        try {
            actual = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Hasher.hash(file) : null;
        } catch (NoSuchFileException e) {
            return null;
        }
        if (actual != null && actual.sha256().equals(sha256)) {
            makeReadOnly(file);
            return stamp(file, actual);
        }
        notices.accept("the cache entry " + file + " no longer matched its SHA-256" + (actual == null ? ""
                : " (it now hashes to " + actual.sha256() + ")") + ": evicted it, fetching the binary again");
        evict(file);
        return null;
    }

    private Entry stamp(Path file, Digests digests) throws IOException {
        Stamp stamp = Stamp.of(file, LinkOption.NOFOLLOW_LINKS);
        Map<String, String> properties = new LinkedHashMap<>(stamp.properties());
        if (digests.sha512() != null) {
            properties.put("sha512", digests.sha512());
        }
        writeProperties(stampPath(file), properties);
        if (digests.sha512() != null) {
            writeIndex(digests);
        }
        return new Entry(file, digests, stamp.size());
    }

    private void evict(Path file) throws IOException {
        if (!isPosix(file)) {
            file.toFile().setWritable(true); // Windows refuses to delete read-only files
        }
        Files.deleteIfExists(stampPath(file));
        Files.deleteIfExists(file);
    }

    private static Path stampPath(Path file) {
        return file.resolveSibling(file.getFileName() + ".stamp");
    }

    private Path indexPath(String sha512) {
        return root.resolve("sha512").resolve(sha512.substring(0, 2)).resolve(sha512);
    }

    private String readIndex(String sha512) {
        try {
            String sha256 = Files.readString(indexPath(sha512), StandardCharsets.US_ASCII).strip();
            return Digests.isSha256(sha256) ? sha256 : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void writeIndex(Digests digests) throws IOException {
        Path index = indexPath(digests.sha512());
        if (digests.sha256().equals(readIndex(digests.sha512()))) {
            return;
        }
        writeAtomically(index, digests.sha256() + "\n");
    }

    private static void makeReadOnly(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            posix.setPermissions(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                    PosixFilePermission.OTHERS_READ));
        } else {
            file.toFile().setWritable(false, false);
        }
    }

    static boolean isPosix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Runs {@code action} holding the entry's JVM lock and its file lock. */
    private <T> T locked(String sha256, IoAction<T> action) throws IOException {
        Path lockFile = entryPath(sha256).resolveSibling(sha256 + ".lock");
        Files.createDirectories(lockFile.getParent());
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile.toString(), k -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return action.run();
        } finally {
            jvmLock.unlock();
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private static void sweepStaleTemps(Path tmp) {
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "*.part")) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(file); // left by a killed build
                    }
                } catch (IOException ignored) {
                    // another build is cleaning up too
                }
            }
        } catch (IOException ignored) {
            // cleaning is a courtesy
        }
    }

    // ---- small property files, written atomically

    private static Map<String, String> readProperties(Path file) {
        try {
            Map<String, String> map = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    map.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return map;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static void writeProperties(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        writeAtomically(file, text.toString());
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + file, e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What identifies a file's current content without reading it: size, modification time, change time (which no
     * tool can set back, and which a write or a chmod moves) and file key (device and inode).
     */
    record Stamp(long size, String modified, String changed, String fileKey) {

        /** @param options {@code NOFOLLOW_LINKS} for cache entries; a project file may well be a link */
        static Stamp of(Path file, LinkOption... options) throws IOException {
            try {
                Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,fileKey", options);
                return new Stamp((Long) a.get("size"), String.valueOf(a.get("lastModifiedTime")),
                        String.valueOf(a.get("ctime")), String.valueOf(a.get("fileKey")));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, options);
                FileTime created = a.creationTime();
                return new Stamp(a.size(), a.lastModifiedTime().toString(), String.valueOf(created),
                        String.valueOf(a.fileKey()));
            }
        }

        Map<String, String> properties() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("size", Long.toString(size));
            p.put("modified", modified);
            p.put("changed", changed);
            p.put("fileKey", fileKey);
            return p;
        }

        boolean matches(Map<String, String> stored) {
            return properties().entrySet().stream().allMatch(e -> e.getValue().equals(stored.get(e.getKey())));
        }
    }
}
