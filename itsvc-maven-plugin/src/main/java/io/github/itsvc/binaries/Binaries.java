package io.github.itsvc.binaries;

import io.github.itsvc.binaries.BinaryCache.Entry;
import io.github.itsvc.model.Binary;
import io.github.itsvc.model.Binary.FileSource;
import io.github.itsvc.model.Binary.MavenSource;
import io.github.itsvc.model.Binary.Source;
import io.github.itsvc.model.Binary.UrlSource;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Problem;
import io.github.itsvc.model.Service;
import java.io.File;
import java.io.IOException;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches the binaries of a service through the cache and verifies them against their pins (the hashes in
 * {@code service.yaml} and {@code itsvc.lock}, and a publisher's signed checksum list) and signatures: the core of
 * the {@code verify-binaries} and {@code pin} goals.
 *
 * <p>Problems the user fixes in a file (a missing pin, pins that disagree, a changed source, a missing key file) are
 * found before anything is fetched and thrown together as an {@link InvalidInputException}. Then every binary is
 * fetched; failures (a wrong hash, a bad signature, a refused or broken download) are collected and thrown together
 * as one {@link BinaryException}. Nothing unverified ever enters the cache.
 */
public final class Binaries {

    static final String NL = System.lineSeparator();
    private static final String PIN = "mvn itsvc:pin";
    private static final String FORCE = "mvn itsvc:pin -Ditsvc.force";
    /** Signatures and checksum lists are small; anything bigger is not one. */
    private static final long SMALL_LIMIT = 16L << 20;

    /**
     * How to fetch.
     *
     * @param projectDir the project's base directory: {@code file:} sources are relative to it, and messages show
     *     paths relative to it
     * @param definitionDir {@code src/main/itsvc}: signature {@code keys} are relative to it
     * @param cache the binary cache
     * @param maven resolves {@code maven:} sources; {@code null} when none may occur (tests)
     * @param proxy the proxy selector for {@code url:} sources, or {@code null} for the JVM's default
     * @param proxyCredentials what to answer an HTTP proxy that asks who is there (407), or {@code null}; never
     *     given to anyone else
     * @param offline Maven's {@code -o}: nothing is downloaded, only what the cache holds is used
     * @param allowHttp the site's {@code allowHttp}: whether plain http downloads (and redirects to them) are allowed
     * @param progress where progress lines of large downloads go; {@code null} for none
     * @param connectTimeout how long to wait for a connection; {@code null} for 30 s
     * @param readTimeout how long to wait for an answer, and for the next bytes of a body; {@code null} for 60 s
     */
    public record Options(Path projectDir, Path definitionDir, BinaryCache cache, MavenResolver maven,
            ProxySelector proxy, PasswordAuthentication proxyCredentials, boolean offline, boolean allowHttp,
            Progress progress, Duration connectTimeout, Duration readTimeout) {

        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

        public Options {
            projectDir = projectDir.toAbsolutePath().normalize();
            definitionDir = definitionDir.toAbsolutePath().normalize();
            Objects.requireNonNull(cache, "cache");
            progress = progress == null ? Progress.NONE : progress;
            connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
            readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
        }

        /** Online, https only, no progress, default timeouts and proxy. */
        public static Options defaults(Path projectDir, Path definitionDir, BinaryCache cache, MavenResolver maven) {
            return new Options(projectDir, definitionDir, cache, maven, null, null, false, false, null, null, null);
        }

        public Options withOffline(boolean offline) {
            return new Options(projectDir, definitionDir, cache, maven, proxy, proxyCredentials, offline, allowHttp,
                    progress, connectTimeout, readTimeout);
        }

        public Options withAllowHttp(boolean allowHttp) {
            return new Options(projectDir, definitionDir, cache, maven, proxy, proxyCredentials, offline, allowHttp,
                    progress, connectTimeout, readTimeout);
        }

        public Options withProxy(ProxySelector proxy, PasswordAuthentication proxyCredentials) {
            return new Options(projectDir, definitionDir, cache, maven, proxy, proxyCredentials, offline, allowHttp,
                    progress, connectTimeout, readTimeout);
        }

        public Options withProgress(Progress progress) {
            return new Options(projectDir, definitionDir, cache, maven, proxy, proxyCredentials, offline, allowHttp,
                    progress, connectTimeout, readTimeout);
        }

        public Options withTimeouts(Duration connectTimeout, Duration readTimeout) {
            return new Options(projectDir, definitionDir, cache, maven, proxy, proxyCredentials, offline, allowHttp,
                    progress, connectTimeout, readTimeout);
        }
    }

    private final Options options;
    private final HttpFetcher http;

    public Binaries(Options options) {
        this.options = options;
        this.http = new HttpFetcher(options.proxy(), options.proxyCredentials(), options.connectTimeout(),
                options.readTimeout(), options.allowHttp());
    }

    /**
     * Fetches every binary of the service through the cache and verifies it; all or nothing.
     *
     * @param lock the project's lock file ({@link Lockfile#empty} when there is none)
     * @return every binary, in the order of {@code service.yaml}
     * @throws InvalidInputException a binary is not pinned (the message names {@code mvn itsvc:pin}), its pins
     *     disagree, its source changed since it was pinned, or a file it needs is missing
     * @throws BinaryException a binary could not be fetched, or did not match its pins or signature; the message
     *     covers every binary that failed
     */
    public List<VerifiedBinary> verify(Service service, Lockfile lock) throws InvalidInputException, BinaryException {
        List<Problem> problems = new ArrayList<>();
        Map<String, Pins> pins = new LinkedHashMap<>();
        for (Binary binary : service.binaries().values()) {
            checkLocalFiles(binary, problems);
            Pins p = pinsFor(binary, lock, problems);
            if (p != null && p.isEmpty() && binary.checksums() == null) {
                problems.add(new Problem(location(binary), "binary '" + binary.name() + "' (" + describe(binary)
                        + ") is not pinned: neither service.yaml nor " + lock.displayName() + " holds its hash",
                        "run '" + PIN + "' (it writes " + lock.displayName() + "; commit it)"));
            }
            pins.put(binary.name(), p);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<VerifiedBinary> verified = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Binary binary : service.binaries().values()) {
            try {
                verified.add(fetch(binary, pins.get(binary.name()), true, false));
            } catch (BinaryException e) {
                failures.add(e.getMessage());
            }
        }
        throwIfAny(failures);
        return List.copyOf(verified);
    }

    /**
     * Fetches every binary once, checks it against what pins it in {@code service.yaml} (hashes, a checksum list) and
     * its signature, and returns the lock file pinning all of them with SHA-256, SHA-512 and size. Entries of
     * binaries no longer in the service are dropped. The caller writes the result.
     *
     * @param existing the current lock file; an entry for an unchanged source is kept and checked: a different hash
     *     is refused unless {@code force}
     * @param force re-fetch every binary from its source (bypassing the cache) and accept hashes that differ from
     *     {@code existing}, for a publisher that really changed a file
     */
    public Lockfile pin(Service service, Lockfile existing, boolean force)
            throws InvalidInputException, BinaryException {
        List<Problem> problems = new ArrayList<>();
        for (Binary binary : service.binaries().values()) {
            checkLocalFiles(binary, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<Lockfile.Entry> entries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Binary binary : service.binaries().values()) {
            try {
                Pins pins = Pins.of(binary);
                Lockfile.Entry old = existing.entry(binary.name());
                if (!force && old != null && old.source().equals(binary.source().describe())) {
                    // Pinned before for this very source: the publisher must still serve the same file. (Unless
                    // service.yaml now pins another hash: the user changed the pin, and service.yaml decides.)
                    pins.addLock(old, existing.displayName());
                }
                VerifiedBinary v = fetch(binary, pins, !force, true); // the lock file keeps both digests
                entries.add(new Lockfile.Entry(binary.name(), v.source(), v.digests(), Files.size(v.file())));
            } catch (BinaryException e) {
                failures.add(e.getMessage());
            } catch (IOException e) {
                failures.add(fail(binary, "cannot read its cache entry: " + e.getMessage(),
                        "check the cache folder " + options.cache().root()).getMessage());
            }
        }
        throwIfAny(failures);
        return new Lockfile(existing.displayName(), entries);
    }

    private static void throwIfAny(List<String> failures) throws BinaryException {
        if (failures.size() == 1) {
            throw new BinaryException(failures.get(0));
        }
        if (!failures.isEmpty()) {
            throw new BinaryException(failures.size() + " binaries failed:" + NL + String.join(NL, failures));
        }
    }

    // ---- pins

    /** One pinned digest and where it is written, for messages. */
    record Pin(String algorithm, String hex, String origin, Kind kind) {
        enum Kind { SERVICE, LOCK, CHECKSUMS }
    }

    /**
     * A binary's pins by algorithm; an algorithm pinned in two places must agree.
     *
     * <p>Which digests a download must compute: the SHA-256 always (it names the file in the cache, and it is checked
     * whenever it is pinned); the SHA-512 when it is pinned, except when its only pin is a lock entry that pins the
     * SHA-256 too. {@code mvn itsvc:pin} computed that entry's two digests from the same bytes, so a file with its
     * SHA-256 is that file, and has its SHA-512; computing it again would cost more than the SHA-256 on most CPUs. A
     * SHA-512 written in {@code service.yaml} or signed in a publisher's checksum list is always checked against the
     * content (a signer is reported only for what was checked).
     */
    static final class Pins {
        final Map<String, Pin> byAlgorithm = new LinkedHashMap<>();
        Long size;
        String sizeOrigin;
        /** A SHA-512 pinned elsewhere than in the lock file (service.yaml, a checksum list). */
        private boolean sha512NotFromLock;

        static Pins of(Binary binary) {
            Pins pins = new Pins();
            binary.hashes().forEach((algorithm, hex) -> pins.put(
                    new Pin(algorithm, hex, location(binary).toString(), Pin.Kind.SERVICE)));
            return pins;
        }

        private void put(Pin pin) {
            byAlgorithm.putIfAbsent(pin.algorithm(), pin);
            if (pin.algorithm().equals("sha512") && pin.kind() != Pin.Kind.LOCK) {
                sha512NotFromLock = true;
            }
        }

        /** @return the pin {@code pin} disagrees with, or {@code null} once it is added */
        Pin add(Pin pin) {
            Pin other = byAlgorithm.get(pin.algorithm());
            if (other != null && !other.hex().equals(pin.hex())) {
                return other;
            }
            put(pin);
            return null;
        }

        /** Whether the content's SHA-512 must be computed and checked (see the class comment). */
        boolean needSha512() {
            return byAlgorithm.containsKey("sha512") && (sha512NotFromLock || !byAlgorithm.containsKey("sha256"));
        }

        /** Adds a lock entry's hashes and size, all or nothing; returns a pin it disagrees with, or {@code null}. */
        Pin addLock(Lockfile.Entry entry, String lockName) {
            String origin = entry.where(lockName);
            for (Map.Entry<String, String> hash : entry.hashes().entrySet()) {
                Pin other = byAlgorithm.get(hash.getKey());
                if (other != null && !other.hex().equals(hash.getValue())) {
                    return other;
                }
            }
            entry.hashes().forEach((algorithm, hex) -> add(new Pin(algorithm, hex, origin, Pin.Kind.LOCK)));
            size = entry.size();
            sizeOrigin = origin;
            return null;
        }

        boolean isEmpty() {
            return byAlgorithm.isEmpty();
        }

        String hex(String algorithm) {
            Pin pin = byAlgorithm.get(algorithm);
            return pin == null ? null : pin.hex();
        }

        Collection<Pin> all() {
            return byAlgorithm.values();
        }
    }

    /** The pins of service.yaml and of the lock entry; {@code null} (and a problem) if they cannot be used. */
    private Pins pinsFor(Binary binary, Lockfile lock, List<Problem> problems) {
        Pins pins = Pins.of(binary);
        Lockfile.Entry entry = lock.entry(binary.name());
        if (entry == null) {
            return pins;
        }
        String source = binary.source().describe();
        if (!entry.source().equals(source)) {
            problems.add(new Problem(location(binary), "binary '" + binary.name() + "' is not pinned for its source "
                    + source + ": the source changed, and " + lock.displayName() + " (" + entry.where(lock.displayName())
                    + ") pins the old one, " + entry.source(), "run '" + PIN + "' to pin the new source (it rewrites "
                    + lock.displayName() + "; review the change and commit it)"));
            return null;
        }
        Pin conflict = pins.addLock(entry, lock.displayName());
        if (conflict != null) {
            String algorithm = conflict.algorithm();
            problems.add(new Problem(location(binary), "binary '" + binary.name() + "' has two different "
                    + algorithm + " pins: " + conflict.hex() + " in service.yaml, and " + entry.hashes().get(algorithm)
                    + " in " + lock.displayName() + " (" + entry.where(lock.displayName()) + ")",
                    "find out which is right; then correct or remove the " + algorithm + " in service.yaml, or"
                            + " re-pin with '" + FORCE + "'"));
            return null;
        }
        return pins;
    }

    // ---- fetching one binary

    /**
     * The verified binary: from the cache when an intact entry matches its pins (and {@code useCache}), else fetched
     * from its source into a temp file, checked, and only then moved into the cache.
     *
     * @param bothDigests whether the result must carry the SHA-512 too (for the lock file) even where no pin needs
     *     it
     */
    private VerifiedBinary fetch(Binary binary, Pins pins, boolean useCache, boolean bothDigests)
            throws BinaryException {
        String signedBy = null;
        if (binary.checksums() != null) {
            ListPin listed = checksumPin(binary);
            Pin conflict = pins.add(listed.pin());
            if (conflict != null) {
                String algorithm = conflict.algorithm();
                throw new BinaryException(location(binary) + ": binary '" + binary.name() + "' (" + describe(binary)
                        + ") has two different " + algorithm + " pins" + NL
                        + "    " + algorithm + ": " + conflict.hex() + " (" + conflict.origin() + ")" + NL
                        + "    " + algorithm + ": " + listed.pin().hex() + " (" + listed.pin().origin() + ")" + NL
                        + "    fix: the publisher's signed list and the other pin disagree: find out why before using"
                        + " either, then correct or remove the other pin");
            }
            signedBy = listed.signer();
        }
        boolean sha512 = bothDigests || pins.needSha512();
        try {
            if (binary.source() instanceof FileSource file) {
                return fetchFile(binary, file, pins, useCache, signedBy);
            }
            if (useCache) {
                // The pinned SHA-512 is given only if it is to be checked: a cached entry may not know its SHA-512.
                String sha256Pin = pins.hex("sha256");
                Optional<Entry> cached = options.cache().find(sha256Pin,
                        sha512 || sha256Pin == null ? pins.hex("sha512") : null, sha512, this::notice);
                if (cached.isPresent()) {
                    checkPins(binary, pins, cached.get().digests(), "the cached copy " + cached.get().file());
                    return verified(binary, cached.get(), checkSignature(binary, cached.get(), signedBy));
                }
            }
            Fetched fetched = binary.source() instanceof UrlSource url
                    ? download(binary, url, pins, sha512)
                    : resolve(binary, (MavenSource) binary.source(), sha512);
            try {
                checkPins(binary, pins, fetched.digests(), fetched.from());
                String signer = checkSignature(binary, fetched.temp(), fetched.digests(), signedBy);
                return verified(binary, options.cache().insert(fetched.temp(), fetched.digests()), signer);
            } finally {
                Files.deleteIfExists(fetched.temp());
            }
        } catch (IOException e) {
            throw fail(binary, "reading or caching it failed: " + e, "check the file and the cache folder "
                    + options.cache().root() + " (disk space, permissions), or move the cache with -Ditsvc.cache");
        }
    }

    private record Fetched(Path temp, Digests digests, String from) {}

    private Fetched download(Binary binary, UrlSource source, Pins pins, boolean sha512)
            throws BinaryException, IOException {
        if (options.offline()) {
            throw fail(binary, "it is not in the cache, and the build is offline (-o)",
                    "run the build once without -o, so it downloads " + source.url() + " into the cache ("
                            + options.cache().root() + ")");
        }
        Path temp = options.cache().newTempFile();
        try {
            HttpFetcher.Download d = http.download(URI.create(source.url()), temp, binary.name(), options.progress(),
                    pins.size == null ? -1 : pins.size, sha512);
            String from = d.uri().toString().equals(source.url()) ? source.url()
                    : d.uri() + " (redirected from " + source.url() + ")";
            return new Fetched(temp, d.digests(), from);
        } catch (Failure.TooLarge e) {
            Files.deleteIfExists(temp);
            throw new BinaryException(location(binary) + ": binary '" + binary.name() + "' does not match its pin: "
                    + source.url() + " sent more than the " + e.limit + " bytes pinned in " + pins.sizeOrigin
                    + "; stopped there" + NL + "    fix: " + mismatchFix(Pin.Kind.LOCK));
        } catch (Failure e) {
            Files.deleteIfExists(temp);
            throw fail(binary, e.getMessage(), e.fix);
        } catch (RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** A maven: source: the resolver's file, hard-linked into the cache's temp folder if it can be, else copied. */
    private Fetched resolve(Binary binary, MavenSource source, boolean sha512) throws BinaryException, IOException {
        if (options.maven() == null) {
            throw fail(binary, "no Maven resolver is available to resolve it", "run it through the Maven plugin");
        }
        Path file;
        try {
            file = options.maven().resolve(source);
        } catch (BinaryException e) {
            // The resolver's own words: which repositories it tried, whether the build is offline.
            throw new BinaryException(location(binary) + ": binary '" + binary.name() + "' (" + describe(binary)
                    + "): " + e.getMessage() + NL + "    fix: check the coordinates in service.yaml, and that a"
                    + " repository of the build (settings.xml, the POM) has the artifact", e);
        }
        Path temp = options.cache().newTempName();
        try {
            // A hard link saves a copy of large artifacts. Only on POSIX file systems: the entry is made read-only,
            // and there a read-only file is still replaced by Maven's rename, while Windows would refuse it.
            if (BinaryCache.isPosix(temp)) {
                try {
                    Files.createLink(temp, file);
                    return new Fetched(temp, Hasher.hash(temp, sha512), describe(binary) + " (resolved to " + file
                            + ")");
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    Files.deleteIfExists(temp); // another file system, or no hard links: copy instead
                }
            }
            temp = options.cache().newTempFile();
            return new Fetched(temp, copyHashing(file, temp, sha512), describe(binary) + " (resolved to " + file
                    + ")");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * A file: source: the project file is the truth, so it is always consulted (cheaply, through its stamp); the
     * build uses the cache's copy, which cannot change under it.
     */
    private VerifiedBinary fetchFile(Binary binary, FileSource source, Pins pins, boolean useCache, String signedBy)
            throws BinaryException, IOException {
        Path file = options.projectDir().resolve(source.path());
        BinaryCache.Stamp before = BinaryCache.Stamp.of(file);
        Optional<Digests> known = useCache ? options.cache().knownSource(file) : Optional.empty();
        if (known.isPresent()) {
            checkPins(binary, pins, known.get(), display(file));
            Optional<Entry> cached = options.cache().find(known.get().sha256(), known.get().sha512(), this::notice);
            if (cached.isPresent()) {
                return verified(binary, cached.get(), checkSignature(binary, cached.get(), signedBy));
            }
        }
        Path temp = options.cache().newTempFile();
        try {
            // both: the digests of a file: source are remembered, for whatever pins it has next time
            Digests digests = copyHashing(file, temp, true);
            checkPins(binary, pins, digests, display(file));
            String signer = checkSignature(binary, temp, digests, signedBy);
            Entry entry = options.cache().insert(temp, digests);
            options.cache().rememberSource(file, before, digests);
            return verified(binary, entry, signer);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Digests copyHashing(Path from, Path to, boolean sha512) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                CacheFileWriter out = CacheFileWriter.open(to)) {
            return Hasher.copy(in, out, sha512);
        }
    }

    private static VerifiedBinary verified(Binary binary, Entry entry, String signedBy) {
        return new VerifiedBinary(binary.name(), binary.source().describe(), entry.file(), entry.digests(), signedBy);
    }

    private void notice(String message) {
        options.progress().line(message);
    }

    // ---- checks

    private void checkPins(Binary binary, Pins pins, Digests actual, String from) throws BinaryException {
        for (Pin pin : pins.all()) {
            String hex = actual.get(pin.algorithm());
            if (hex == null && pin.algorithm().equals("sha512") && !pins.needSha512()) {
                continue; // the lock's own SHA-512, vouched for by its SHA-256, checked here too
            }
            if (hex == null) {
                throw new IllegalStateException("the " + pin.algorithm() + " of " + from + " was not computed");
            }
            if (!hex.equals(pin.hex())) {
                throw mismatch(binary, from, pin, actual.get(pin.algorithm()), mismatchFix(pin.kind()));
            }
        }
    }

    private static String mismatchFix(Pin.Kind kind) {
        String fix = "do not use this file. If the publisher really changed it, find out why; then ";
        return switch (kind) {
            case SERVICE -> fix + "correct the hash in service.yaml";
            case LOCK -> fix + "run '" + FORCE + "' and commit the new itsvc.lock";
            case CHECKSUMS -> "do not use this file: it is not the one the publisher signed for; tell the publisher";
        };
    }

    private static BinaryException mismatch(Binary binary, String from, Pin expected, String actual, String fix) {
        String algorithm = expected.algorithm();
        return new BinaryException(location(binary) + ": binary '" + binary.name() + "' does not match its pin: "
                + from + NL
                + "    expected " + algorithm + ": " + expected.hex() + " (" + expected.origin() + ")" + NL
                + "    actual " + algorithm + ":   " + actual + NL
                + "    fix: " + fix);
    }

    private String checkSignature(Binary binary, Entry entry, String signedBy) throws BinaryException, IOException {
        return checkSignature(binary, entry.file(), entry.digests(), signedBy);
    }

    /**
     * Checks the binary's own signature, if it has one; returns its signer, else {@code signedBy}. A signature
     * checked before over the same content with the same keys is not checked again: that would read the whole file.
     */
    private String checkSignature(Binary binary, Path data, Digests digests, String signedBy)
            throws BinaryException, IOException {
        Binary.Signature signature = binary.signature();
        if (signature == null) {
            return signedBy;
        }
        List<Path> keys = List.of(options.definitionDir().resolve(signature.keys()));
        for (int attempt = 0; ; attempt++) {
            Small sig = small(binary, signature.source(), "signature", attempt > 0);
            Optional<String> known = options.cache().knownSignature(digests.sha256(), sig.file(), keys);
            if (known.isPresent()) {
                return known.get();
            }
            try {
                // Named by their sources: the files read are a download in progress and cached copies.
                String signer = OpenPgp.verifyDetached(data, describe(binary), sig.file(),
                        signature.source().describe(), OpenPgp.loadKeys(keys));
                options.cache().rememberSignature(digests.sha256(), sig.file(), keys, signer);
                return signer;
            } catch (BinaryException e) {
                if (attempt == 0 && sig.cached() && !options.offline()) {
                    continue; // a stale cached signature (the publisher re-signed): fetch it again, once
                }
                forget(sig);
                throw fail(binary, "its signature does not verify: " + e.getMessage(), "do not use this file. If"
                        + " the publisher signs with a new key, check that key with them and add it to "
                        + display(keys.get(0)));
            }
        }
    }

    private record ListPin(Pin pin, String signer) {}

    /** The binary's entry in its publisher's checksum list, once the list's signature checks out. */
    private ListPin checksumPin(Binary binary) throws BinaryException {
        Binary.Checksums checksums = binary.checksums();
        String origin = checksums.source().describe();
        Path keys = options.definitionDir().resolve(checksums.signature().keys());
        for (int attempt = 0; ; attempt++) {
            boolean refresh = attempt > 0;
            try {
                Small list = small(binary, checksums.source(), "checksum list", refresh);
                Small sig = small(binary, checksums.signature().source(), "checksum list's signature", refresh);
                boolean retry = attempt == 0 && (list.cached() || sig.cached()) && !options.offline();
                String signer;
                try {
                    signer = OpenPgp.verifyDetached(list.file(), origin, sig.file(),
                            checksums.signature().source().describe(), OpenPgp.loadKeys(List.of(keys)));
                } catch (BinaryException e) {
                    if (retry) {
                        continue;
                    }
                    forget(list, sig);
                    throw fail(binary, "the signature of its checksum list does not verify: " + e.getMessage(),
                            "do not trust the list. If the publisher signs with a new key, check that key with"
                            + " them and add it to " + display(keys));
                }
                String content = text(binary, list.file(), origin);
                Map<String, String> entries;
                try {
                    entries = ChecksumList.parse(content, origin);
                } catch (BinaryException e) {
                    if (retry) {
                        continue; // an old copy of a list the publisher has since corrected
                    }
                    forget(list, sig);
                    // ChecksumList names the list and the line; the binary and the fix are said here.
                    throw fail(binary, "its checksum list cannot be read: " + e.getMessage(), "check that " + origin
                            + " is the publisher's list of SHA-256 or SHA-512 digests; if it is, and itsvc cannot"
                            + " read it, remove 'checksums' and pin the binary with its sha256 in service.yaml");
                }
                String hex = entries.get(checksums.name());
                if (hex == null) {
                    if (retry) {
                        continue; // an old copy of a list the publisher has since extended
                    }
                    forget(list, sig);
                    throw fail(binary, "its checksum list " + origin + " has no entry '" + checksums.name()
                            + "' (entries: " + names(entries) + ")",
                            "set 'name:' under 'checksums' to the binary's entry in the list");
                }
                hex = hex.toLowerCase(Locale.ROOT);
                String algorithm = Digests.isSha256(hex) ? "sha256" : Digests.isSha512(hex) ? "sha512" : null;
                if (algorithm == null) {
                    forget(list, sig);
                    throw fail(binary, "the entry '" + checksums.name() + "' of its checksum list " + origin
                            + " is a digest of " + hex.length() + " hex digits, neither SHA-256 nor SHA-512",
                            "use the publisher's SHA256SUMS or SHA512SUMS list");
                }
                return new ListPin(new Pin(algorithm, hex, "the checksum list " + origin + ", signed by " + signer,
                        Pin.Kind.CHECKSUMS), signer);
            } catch (IOException e) {
                throw fail(binary, "cannot read its checksum list " + origin + ": " + e, "check the cache folder "
                        + options.cache().root());
            }
        }
    }

    private static String names(Map<String, String> entries) {
        List<String> names = entries.keySet().stream().limit(10).map(n -> "'" + n + "'").toList();
        return String.join(", ", names) + (entries.size() > 10 ? ", ..." : "");
    }

    private static String text(Binary binary, Path file, String origin) throws BinaryException, IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw fail(binary, "its checksum list " + origin + " is not UTF-8 text", "check the list's URL");
        }
    }

    /** @param url where it was fetched from, {@code null} for a project file */
    private record Small(Path file, String url, boolean cached) {}

    /** Drops cached copies of signatures or lists that were refused: only what verified stays in the cache. */
    private void forget(Small... refused) {
        for (Small small : refused) {
            if (small.url() != null) {
                options.cache().forgetUrl(small.url());
            }
        }
    }

    /** A signature or checksum list: a project file, or a URL fetched once and kept in the cache. */
    private Small small(Binary binary, Source source, String what, boolean refresh)
            throws BinaryException, IOException {
        if (source instanceof FileSource file) {
            return new Small(options.projectDir().resolve(file.path()), null, false);
        }
        String url = ((UrlSource) source).url();
        Optional<Path> cached = refresh ? Optional.empty() : options.cache().cachedUrl(url);
        if (cached.isPresent()) {
            return new Small(cached.get(), url, true);
        }
        if (options.offline()) {
            throw fail(binary, "its " + what + " " + url + " is not in the cache, and the build is offline (-o)",
                    "run the build once without -o, so it downloads the " + what + " into the cache ("
                            + options.cache().root() + ")");
        }
        Path temp = options.cache().newTempFile();
        try {
            http.download(URI.create(url), temp, binary.name(), Progress.NONE, SMALL_LIMIT, false);
            return new Small(options.cache().storeUrl(url, temp), url, false);
        } catch (Failure.TooLarge e) {
            throw fail(binary, "its " + what + " " + url + " is larger than " + SMALL_LIMIT / (1 << 20)
                    + " MiB, so it is not one", "check the " + what + "'s URL");
        } catch (Failure e) {
            throw fail(binary, "cannot fetch its " + what + ": " + e.getMessage(), e.fix);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // ---- local files

    private void checkScheme(Binary binary, Binary.Source source, List<Problem> problems) {
        if (source instanceof Binary.UrlSource url) {
            try {
                HttpFetcher.checkScheme(null, URI.create(url.url()), options.allowHttp());
            } catch (Failure f) {
                problems.add(new Problem(location(binary), "binary '" + binary.name() + "' (" + describe(binary)
                        + "): " + f.getMessage(), f.fix));
            }
        }
    }

    /**
     * Files the binary needs from the project, and the site's http policy for its URLs: reported before anything is
     * fetched, so a cached copy cannot hide a source this site refuses (the next machine has no cache).
     */
    private void checkLocalFiles(Binary binary, List<Problem> problems) {
        String what = "binary '" + binary.name() + "'";
        checkScheme(binary, binary.source(), problems);
        if (binary.signature() != null) {
            checkScheme(binary, binary.signature().source(), problems);
        }
        if (binary.checksums() != null) {
            checkScheme(binary, binary.checksums().source(), problems);
            checkScheme(binary, binary.checksums().signature().source(), problems);
        }
        if (binary.source() instanceof FileSource f) {
            requireFile(binary, options.projectDir().resolve(f.path()), what + " is the file " + f.path()
                    + ", which does not exist", "add the file, or correct 'file:' in service.yaml", problems);
        }
        // Signatures, lists and keys vouch for the binary from its source: name both.
        String from = what + " (" + describe(binary) + ")";
        if (binary.signature() != null) {
            checkSignatureFiles(binary, binary.signature(), "the signature of " + from, problems);
        }
        if (binary.checksums() != null) {
            if (binary.checksums().source() instanceof FileSource f) {
                requireFile(binary, options.projectDir().resolve(f.path()), "the checksum list of " + from + ", "
                        + f.path() + ", does not exist", "add the file, or correct 'file:' under 'checksums'",
                        problems);
            }
            checkSignatureFiles(binary, binary.checksums().signature(), "the checksum list's signature of " + from,
                    problems);
        }
    }

    private void checkSignatureFiles(Binary binary, Binary.Signature signature, String what, List<Problem> problems) {
        if (signature.source() instanceof FileSource f) {
            requireFile(binary, options.projectDir().resolve(f.path()), what + ", " + f.path() + ", does not exist",
                    "add the file, or correct its 'file:'", problems);
        }
        Path keys = options.definitionDir().resolve(signature.keys());
        String fix = "export the publisher's public key (after checking its fingerprint with them) to "
                + display(keys);
        if (!Files.isRegularFile(keys)) {
            problems.add(new Problem(location(binary), "the keys for " + what + ", " + display(keys)
                    + ", do not exist", fix));
            return;
        }
        try {
            OpenPgp.loadKeys(List.of(keys)); // a key file that holds no key (or a secret one) is the user's to fix
        } catch (BinaryException e) {
            problems.add(new Problem(location(binary), "the keys for " + what + " cannot be used: " + e.getMessage(),
                    fix));
        }
    }

    private static void requireFile(Binary binary, Path file, String message, String fix, List<Problem> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add(new Problem(location(binary), message, fix));
        }
    }

    // ---- messages

    private static Location location(Binary binary) {
        return binary.location() != null ? binary.location() : Location.fileOnly("service.yaml");
    }

    private static String describe(Binary binary) {
        return binary.source().describe();
    }

    /** A failure of one binary, in the shape of a problem: where, which binary and source, what; then the fix. */
    static BinaryException fail(Binary binary, String what, String fix) {
        return new BinaryException(location(binary) + ": binary '" + binary.name() + "' (" + describe(binary) + "): "
                + what + NL + "    fix: " + fix);
    }

    private String display(Path path) {
        Path shown = path.startsWith(options.projectDir()) ? options.projectDir().relativize(path) : path;
        return shown.toString().replace(File.separatorChar, '/');
    }
}
