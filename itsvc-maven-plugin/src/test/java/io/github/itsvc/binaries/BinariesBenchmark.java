package io.github.itsvc.binaries;

import io.github.itsvc.io.FileTrees;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark of the verify path, on one large file (1 GiB by default): how fast a binary is verified cold (an
 * empty cache: fetched over HTTP from a real publisher on 127.0.0.1, hashed in one pass while it streams into the
 * cache) and warm (already cached: an unchanged entry re-verified by its stamp), beside {@code openssl dgst} on the
 * same file in the same run. See {@code src/site/markdown/benchmarks.md}; run it with
 * {@code src/test/bench/binaries.sh}.
 *
 * <p>Every measurement goes through the public entry point, {@link Binaries#verify}, with a fresh {@link BinaryCache}
 * and {@link Binaries} per run (as a new build has). The binary is pinned in {@code itsvc.lock} by both digests, as
 * {@code itsvc:pin} writes it; the cold path then computes the SHA-256 alone (the lock's SHA-512 was computed with it).
 * Two more cold rows: with the SHA-512 pinned in {@code service.yaml} too, which makes the cold path compute both
 * (beside openssl computing both at once), and from the JDK's {@code HttpServer} instead of the {@link SendfileServer},
 * to show what the publisher costs on the same CPUs. Rounds
 * interleave the measurements, so a load that comes and goes on the machine hits all of them alike; the first
 * {@code --warmup} rounds are dropped (JIT, page cache), and each row reports the median and the best of the rest.
 *
 * <p>Not a test: surefire runs {@code *Test} classes only; {@link BinariesBenchmarkTest} runs this code on a few MiB so
 * it cannot rot.
 *
 * <pre>
 * BinariesBenchmark (--file FILE | --size 1G) [--runs 5] [--warmup 1] [--warm-runs 20] [--openssl auto|off]
 *                   [--work DIR]
 * </pre>
 */
public final class BinariesBenchmark {

    static final String USAGE = "usage: BinariesBenchmark (--file FILE | --size SIZE) [--runs N] [--warmup N]"
            + " [--warm-runs N] [--openssl auto|off] [--work DIR]\n"
            + "  SIZE: bytes, or with K, M or G (powers of 1024), e.g. 256M";

    /** Cold verify within this share of openssl's SHA-256 throughput: the target of issue 3. */
    static final double COLD_TARGET = 0.80;
    /** Warm re-verification of an unchanged entry within this: the target of issue 3. */
    static final Duration WARM_TARGET = Duration.ofMillis(50);

    private static final int BUFFER = 1 << 20;
    private static final String PATH = "/dist/big.bin";
    /** The unit of times in /proc: {@code sysconf(_SC_CLK_TCK)}, 100 on every Linux architecture Java runs on. */
    private static final long USER_HZ = 100;

    /**
     * What to run.
     *
     * @param file the file to verify; {@code null} to make one of {@code size} random bytes in {@code work}
     * @param size the size of the file to make (ignored with {@code file})
     * @param runs measured rounds
     * @param warmup rounds run first and dropped
     * @param warmRuns warm verifications per round
     * @param openssl whether to run openssl (when it is on the PATH)
     * @param work where the caches (and a made file) go; {@code null} for a new temp directory, deleted afterwards
     */
    record Config(Path file, long size, int runs, int warmup, int warmRuns, boolean openssl, Path work) {

        static Config parse(String... args) {
            Path file = null;
            long size = -1;
            int runs = 5;
            int warmup = 1;
            int warmRuns = 20;
            boolean openssl = true;
            Path work = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value\n" + USAGE);
                }
                String value = args[++i];
                switch (arg) {
                    case "--file" -> file = Path.of(value);
                    case "--size" -> size = parseSize(value);
                    case "--runs" -> runs = positive(arg, value, 1);
                    case "--warmup" -> warmup = positive(arg, value, 0);
                    case "--warm-runs" -> warmRuns = positive(arg, value, 1);
                    case "--openssl" -> openssl = switch (value) {
                        case "auto" -> true;
                        case "off" -> false;
                        default -> throw new IllegalArgumentException("--openssl is auto or off\n" + USAGE);
                    };
                    case "--work" -> work = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            }
            if (file == null && size < 0) {
                throw new IllegalArgumentException("give --file or --size\n" + USAGE);
            }
            return new Config(file, size, runs, warmup, warmRuns, openssl, work);
        }

        private static int positive(String option, String value, int min) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + " needs a whole number of at least " + min + ": " + value);
        }
    }

    /** {@code 4096}, {@code 64K}, {@code 256M}, {@code 1G} or {@code 1GiB}: powers of 1024, as {@code head -c} does. */
    static long parseSize(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        }
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> unit = 1;
            }
        }
        if (unit > 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n > 0) {
                return Math.multiplyExact(n, unit);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // below
        }
        throw new IllegalArgumentException("not a size: " + text + " (e.g. 4096, 64K, 256M, 1G)");
    }

    /**
     * One thing measured: how long each measured run took, and the CPU time it cost (of this JVM's threads and of the
     * processes it ran; -1 where the platform does not tell).
     */
    record Row(String key, String what, String digests, long bytes, List<Long> nanos, List<Long> cpuNanos) {

        long median() {
            return median(nanos);
        }

        /** The median CPU time, or -1 if unknown. */
        long cpuMedian() {
            return cpuNanos.contains(-1L) ? -1 : median(cpuNanos);
        }

        private static long median(List<Long> values) {
            List<Long> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        long min() {
            return nanos.stream().min(Comparator.naturalOrder()).orElseThrow();
        }

        long max() {
            return nanos.stream().max(Comparator.naturalOrder()).orElseThrow();
        }

        /** Decimal megabytes (10^6 bytes) per second, as openssl counts them. */
        double mbps(long elapsed) {
            return bytes / 1e6 / (elapsed / 1e9);
        }
    }

    /**
     * What a run found.
     *
     * @param machine CPUs, CPU model, JVM and openssl versions
     * @param loadStart the load averages (1, 5, 15 min) at the start
     * @param loadEnd the load averages at the end
     * @param loadMax the highest 1-minute load average seen between rounds
     * @param rows by key: openssl-sha256, openssl-sha512, openssl-both, jdk-sha256, jdk-sha512, hasher, cold,
     *     cold-both, cold-jdk, warm
     * @param coldFailures cold verifications that failed (and were run again), with their first message line
     */
    record Result(long bytes, Digests digests, int runs, int warmup, String machine, String loadStart,
            String loadEnd, double loadMax, Map<String, Row> rows, List<String> coldFailures) {

        Row row(String key) {
            return rows.get(key);
        }

        /** Cold throughput over openssl's for {@code key}, by medians; NaN without openssl. */
        double coldRatio(String key) {
            return ratio("cold", key);
        }

        /** The same, best against best. */
        double coldRatioBest(String key) {
            return ratioBest("cold", key);
        }

        /** The throughput of row {@code key} over that of row {@code reference}, by medians; NaN if one is missing. */
        double ratio(String key, String reference) {
            Row row = rows.get(key);
            Row ref = rows.get(reference);
            return row == null || ref == null ? Double.NaN : row.mbps(row.median()) / ref.mbps(ref.median());
        }

        /** The same, best against best. */
        double ratioBest(String key, String reference) {
            Row row = rows.get(key);
            Row ref = rows.get(reference);
            return row == null || ref == null ? Double.NaN : row.mbps(row.min()) / ref.mbps(ref.min());
        }
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Result result = run(config, System.err);
        System.out.print(table(result));
    }

    /** Runs the benchmark; progress goes to {@code log}. */
    static Result run(Config config, PrintStream log) throws Exception {
        String loadStart = loadAverage();
        log.println("load average at start: " + loadStart);
        Path work = config.work() != null ? Files.createDirectories(config.work())
                : Files.createTempDirectory("itsvc-bench-");
        try {
            Path file = config.file();
            if (file == null) {
                file = work.resolve("binary.bin");
                log.println("making " + config.size() + " random bytes in " + file);
                writeRandom(file, config.size());
            }
            return measure(config, file, work, loadStart, log);
        } finally {
            if (config.work() == null) {
                FileTrees.delete(work);
            }
        }
    }

    private static Result measure(Config config, Path file, Path work, String loadStart, PrintStream log)
            throws Exception {
        long bytes = Files.size(file);
        Digests digests = Hasher.hash(file);
        String openssl = config.openssl() ? opensslVersion() : null;
        if (openssl != null) {
            String theirs = opensslDigest("sha256", file);
            if (!theirs.equals(digests.sha256())) {
                throw new IllegalStateException("openssl's SHA-256 of " + file + " is " + theirs + ", ours "
                        + digests.sha256());
            }
        }

        Map<String, Row> rows = new LinkedHashMap<>();
        if (openssl != null) {
            rows.put("openssl-sha256", row("openssl-sha256", "`openssl dgst -sha256`", "SHA-256", bytes));
            rows.put("openssl-sha512", row("openssl-sha512", "`openssl dgst -sha512`", "SHA-512", bytes));
            rows.put("openssl-both", row("openssl-both", "`openssl dgst -sha256` and `-sha512` at once (2 processes)",
                    "both", bytes));
        }
        rows.put("jdk-sha256", row("jdk-sha256", "JDK `MessageDigest` SHA-256, 1 thread", "SHA-256", bytes));
        rows.put("jdk-sha512", row("jdk-sha512", "JDK `MessageDigest` SHA-512, 1 thread", "SHA-512", bytes));
        rows.put("hasher", row("hasher", "itsvc `Hasher` on the file (no HTTP, no write)", "both", bytes));
        rows.put("cold", row("cold", "**itsvc cold verify**: HTTP from 127.0.0.1 (sendfile), hash, into the cache",
                "SHA-256", bytes));
        rows.put("cold-both", row("cold-both", "itsvc cold verify, a SHA-512 pinned in service.yaml too (sendfile)",
                "both", bytes));
        rows.put("cold-jdk", row("cold-jdk", "itsvc cold verify from the JDK's `HttpServer` (1 MiB writes)", "SHA-256",
                bytes));
        rows.put("warm", row("warm", "**itsvc warm verify**: the cached entry, unchanged", "stamp", 0));

        double loadMax = firstLoad(loadStart);
        List<String> coldFailures = new ArrayList<>();
        Path project = work.resolve("project");
        try (SendfileServer publisher = new SendfileServer(PATH, file); Publisher jdkPublisher = new Publisher()) {
            String url = publisher.url();
            Service service = service(project, url, null);
            Lockfile lock = new Lockfile(Lockfile.FILE_NAME, List.of(new Lockfile.Entry("big", url, digests, bytes)));
            // A SHA-512 in service.yaml is always checked: the cold path then computes both digests.
            Path projectBoth = work.resolve("project-both");
            Service serviceBoth = service(projectBoth, url, digests.sha512());
            jdkPublisher.file(PATH, file);
            String jdkUrl = jdkPublisher.url(PATH);
            Path projectJdk = work.resolve("project-jdk");
            Service serviceJdk = service(projectJdk, jdkUrl, null);
            Lockfile lockJdk = new Lockfile(Lockfile.FILE_NAME,
                    List.of(new Lockfile.Entry("big", jdkUrl, digests, bytes)));
            int rounds = config.warmup() + config.runs();
            for (int round = 0; round < rounds; round++) {
                boolean measured = round >= config.warmup();
                log.println((measured ? "round " + (round - config.warmup() + 1) + "/" + config.runs()
                        : "warm-up round " + (round + 1) + "/" + config.warmup()) + ", load " + loadAverage());
                if (openssl != null) {
                    record(rows, "openssl-sha256", measured, () -> check(opensslDigest("sha256", file),
                            digests.sha256(), "openssl -sha256"));
                    record(rows, "openssl-sha512", measured, () -> check(opensslDigest("sha512", file),
                            digests.sha512(), "openssl -sha512"));
                    record(rows, "openssl-both", measured, () -> opensslBoth(file, digests));
                }
                record(rows, "jdk-sha256", measured, () -> check(jdkDigest("SHA-256", file), digests.sha256(),
                        "SHA-256"));
                record(rows, "jdk-sha512", measured, () -> check(jdkDigest("SHA-512", file), digests.sha512(),
                        "SHA-512"));
                record(rows, "hasher", measured, () -> checkDigests(Hasher.hash(file), digests, "Hasher"));

                Path cacheRoot = work.resolve("cache-" + round);
                FileTrees.delete(cacheRoot);
                try {
                    int hits = publisher.hits();
                    long serverCpu = publisher.cpuNanos();
                    Sample cold = null;
                    for (int attempt = 1; cold == null; attempt++) {
                        try {
                            cold = verify(project, cacheRoot, service, lock, digests, false, null);
                        } catch (BinaryException e) {
                            // Recorded and shown with the figures; the run goes on, so one failure does not cost a
                            // whole measurement.
                            String failure = "round " + (round + 1) + " of " + rounds + ", attempt " + attempt
                                    + " (the publisher " + (publisher.hits() == hits ? "never saw the request"
                                    : "got the request") + "): " + e.getMessage().lines().findFirst().orElse("");
                            log.println("cold verify failed: " + failure);
                            coldFailures.add(failure);
                            if (attempt == 3) {
                                throw e;
                            }
                            FileTrees.delete(cacheRoot);
                            hits = publisher.hits();
                        }
                    }
                    add(rows, "cold", measured, cold);
                    if (measured) {
                        // Its thread ends just after the client has the last byte: give it a moment to count.
                        Thread.sleep(200);
                        log.println("  the publisher's share of the cold verify's CPU time: "
                                + cpu(publisher.cpuNanos() - serverCpu));
                    }
                    if (publisher.hits() != hits + 1) {
                        throw new IllegalStateException("the cold verify did not fetch from the publisher once");
                    }
                    for (int i = 0; i < config.warmRuns(); i++) {
                        add(rows, "warm", measured, verify(project, cacheRoot, service, lock, digests, false, cache -> {
                            if (cache.rehashes() != 0) {
                                throw new IllegalStateException("the warm verify hashed the entry again");
                            }
                        }));
                    }
                    if (publisher.hits() != hits + 1) {
                        throw new IllegalStateException("a warm verify went to the publisher");
                    }
                } finally {
                    FileTrees.delete(cacheRoot);
                }
                Path otherCache = work.resolve("cache-other-" + round);
                try {
                    FileTrees.delete(otherCache);
                    add(rows, "cold-both", measured, verify(projectBoth, otherCache, serviceBoth, lock, digests, true,
                            null));
                    FileTrees.delete(otherCache);
                    add(rows, "cold-jdk", measured, verify(projectJdk, otherCache, serviceJdk, lockJdk, digests, false,
                            null));
                } finally {
                    FileTrees.delete(otherCache);
                }
                if (measured) {
                    log.println("  " + last(rows, "openssl-sha256") + last(rows, "cold") + last(rows, "cold-both")
                            + last(rows, "cold-jdk"));
                }
                loadMax = Math.max(loadMax, firstLoad(loadAverage()));
            }
        }
        String machine = machine(openssl);
        return new Result(bytes, digests, config.runs(), config.warmup(), machine, loadStart, loadAverage(), loadMax,
                rows, List.copyOf(coldFailures));
    }

    /** The row's last measurement, for the log: {@code cold 1234 ms (5678 ms CPU); }. */
    private static String last(Map<String, Row> rows, String key) {
        Row row = rows.get(key);
        if (row == null || row.nanos().isEmpty()) {
            return "";
        }
        int i = row.nanos().size() - 1;
        return key + " " + duration(row.nanos().get(i)) + " (" + cpu(row.cpuNanos().get(i)) + " CPU); ";
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void record(Map<String, Row> rows, String key, boolean measured, Action action) throws Exception {
        Sample start = Sample.now();
        action.run();
        add(rows, key, measured, Sample.now().since(start));
    }

    private static void add(Map<String, Row> rows, String key, boolean measured, Sample sample) {
        if (measured) {
            rows.get(key).nanos().add(sample.nanos());
            rows.get(key).cpuNanos().add(sample.cpuNanos());
        }
    }

    /** A point in time, or a span: wall-clock nanoseconds and CPU nanoseconds (-1 if unknown). */
    record Sample(long nanos, long cpuNanos) {

        static Sample now() {
            long wall = System.nanoTime();
            return new Sample(wall, cpuTime());
        }

        Sample since(Sample start) {
            return new Sample(nanos - start.nanos, cpuNanos < 0 || start.cpuNanos < 0 ? -1 : cpuNanos - start.cpuNanos);
        }
    }

    /** CPU time so far of this JVM and of the child processes it waited for (openssl); -1 if unknown. */
    static long cpuTime() {
        long self = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        long children = childrenCpuTime();
        return self < 0 || children < 0 ? -1 : self + children;
    }

    /** Linux: the cutime and cstime of /proc/self/stat, in clock ticks (USER_HZ, 100 a second). */
    private static long childrenCpuTime() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the 3rd field of proc(5), the state: cutime and cstime are the 16th and 17th
            long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return ticks * (1_000_000_000L / USER_HZ);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Row row(String key, String what, String digests, long bytes) {
        return new Row(key, what, digests, bytes, new ArrayList<>(), new ArrayList<>());
    }

    private interface CacheCheck {
        void check(BinaryCache cache);
    }

    /**
     * One build's verify, with a fresh cache object and fetcher as a new Maven run has them; returns how long the call
     * to {@link Binaries#verify} took (making the objects is not timed).
     */
    private static Sample verify(Path project, Path cacheRoot, Service service, Lockfile lock, Digests expected,
            boolean sha512, CacheCheck after) throws Exception {
        BinaryCache cache = new BinaryCache(cacheRoot);
        Binaries binaries = new Binaries(Binaries.Options.defaults(project, project.resolve("src/main/itsvc"), cache,
                null).withAllowHttp(true));
        Sample start = Sample.now();
        List<VerifiedBinary> verified = binaries.verify(service, lock);
        Sample elapsed = Sample.now().since(start);
        // The SHA-512 is computed only where a pin needs it (here: one in service.yaml).
        Digests wanted = sha512 ? expected : new Digests(expected.sha256(), null);
        if (verified.size() != 1 || !verified.get(0).digests().equals(wanted)) {
            throw new IllegalStateException("verify returned " + verified);
        }
        if (after != null) {
            after.check(cache);
        }
        return elapsed;
    }

    /**
     * A service with one binary from the publisher; its pins are in the lock file, as {@code itsvc:pin} writes, and
     * the SHA-512 also in service.yaml if {@code sha512} is not null.
     */
    private static Service service(Path project, String url, String sha512) throws Exception {
        Path definition = project.resolve("src/main/itsvc");
        Files.createDirectories(definition);
        Files.writeString(definition.resolve("service.yaml"), "name: bench\nbinaries:\n  big:\n    url: " + url
                + (sha512 == null ? "" : "\n    sha512: " + sha512) + "\nroles:\n  web: { run: x }\n");
        return new DefinitionReader(project, definition).readService();
    }

    // ---- the references

    private static String jdkDigest(String algorithm, Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[BUFFER];
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            for (int n = in.read(wrapped); n >= 0; n = in.read(wrapped)) {
                digest.update(buffer, 0, n);
                wrapped.clear();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String opensslVersion() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null; // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Process opensslStart(String algorithm, Path file) throws IOException {
        return new ProcessBuilder("openssl", "dgst", "-" + algorithm, "-r", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The digest {@code openssl dgst -r} prints: {@code <hex> *<file>}. */
    private static String opensslResult(Process p, String algorithm) throws IOException, InterruptedException {
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        if (p.waitFor() != 0 || out.indexOf(' ') < 0) {
            throw new IllegalStateException("openssl dgst -" + algorithm + " failed: " + out);
        }
        return out.substring(0, out.indexOf(' ')).toLowerCase(Locale.ROOT);
    }

    private static String opensslDigest(String algorithm, Path file) throws IOException, InterruptedException {
        return opensslResult(opensslStart(algorithm, file), algorithm);
    }

    private static void opensslBoth(Path file, Digests expected) throws IOException, InterruptedException {
        Process sha256 = opensslStart("sha256", file);
        Process sha512 = opensslStart("sha512", file);
        check(opensslResult(sha256, "sha256"), expected.sha256(), "openssl -sha256");
        check(opensslResult(sha512, "sha512"), expected.sha512(), "openssl -sha512");
    }

    private static void check(String actual, String expected, String what) {
        if (!actual.equals(expected)) {
            throw new IllegalStateException(what + " gave " + actual + ", expected " + expected);
        }
    }

    private static void checkDigests(Digests actual, Digests expected, String what) {
        if (!actual.equals(expected)) {
            throw new IllegalStateException(what + " gave " + actual + ", expected " + expected);
        }
    }

    // ---- the machine

    /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f (1 min)", one);
        }
    }

    private static double firstLoad(String load) {
        try {
            return Double.parseDouble(load.split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String machine(String openssl) {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), Java "
                + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + "), "
                + (openssl != null ? openssl : "no openssl");
    }

    // ---- the report

    /** The figures as one Markdown table, then the verdicts against the targets. */
    static String table(Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "itsvc binaries benchmark: %,d bytes (%s), median and best of %d runs"
                + " after %d warm-up run%s%n", r.bytes(), human(r.bytes()), r.runs(), r.warmup(),
                r.warmup() == 1 ? "" : "s"));
        out.append("machine: ").append(r.machine()).append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "load average: %s at start, %s at end, highest 1-min seen %.2f%n%n",
                r.loadStart(), r.loadEnd(), r.loadMax()));
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"measured", "digests", "median", "best", "median MB/s", "best MB/s", "median CPU"});
        for (Row row : r.rows().values()) {
            boolean throughput = row.bytes() > 0;
            cells.add(new String[] {row.what(), row.digests(), duration(row.median()), duration(row.min()),
                throughput ? mbps(row.mbps(row.median())) : "-", throughput ? mbps(row.mbps(row.min())) : "-",
                cpu(row.cpuMedian())});
        }
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (int l = 0; l < cells.size(); l++) {
            appendLine(out, cells.get(l), widths);
            if (l == 0) {
                String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    rule[i] = (i >= 2 ? "-".repeat(widths[i] - 1) + ":" : "-".repeat(widths[i]));
                }
                appendLine(out, rule, widths);
            }
        }
        out.append(System.lineSeparator());
        Row cold = r.row("cold");
        Row warm = r.row("warm");
        if (r.rows().containsKey("openssl-sha256")) {
            double ratio = r.coldRatio("openssl-sha256");
            out.append(String.format(Locale.ROOT, "cold / openssl -sha256: %.0f%% (medians), %.0f%% (best) -"
                    + " target >= %.0f%%: %s%n", 100 * ratio, 100 * r.coldRatioBest("openssl-sha256"),
                    100 * COLD_TARGET, ratio >= COLD_TARGET ? "met" : "MISSED"));
            out.append(String.format(Locale.ROOT, "cold with SHA-512 too / openssl both digests at once: %.0f%%"
                    + " (medians), %.0f%% (best) - like with like for a binary whose SHA-512 is pinned in service.yaml%n",
                    100 * r.ratio("cold-both", "openssl-both"), 100 * r.ratioBest("cold-both", "openssl-both")));
        } else {
            out.append("cold / openssl: not measured (no openssl on the PATH, or --openssl off)")
                    .append(System.lineSeparator());
        }
        out.append(String.format(Locale.ROOT, "cold: %s MB/s (median); from the JDK's HttpServer instead of the"
                + " sendfile server: %.0f%% of that%n", mbps(cold.mbps(cold.median())), 100 * r.ratio("cold-jdk",
                        "cold")));
        if (cold.cpuMedian() > 0) {
            out.append(String.format(Locale.ROOT, "CPU time per GB (less sensitive to the load than wall time): cold"
                    + " %s", cpuPerGb(cold)));
            for (String key : List.of("cold-both", "cold-jdk", "openssl-sha256", "openssl-both", "hasher")) {
                Row row = r.row(key);
                if (row != null && row.cpuMedian() > 0) {
                    out.append(", ").append(key).append(' ').append(cpuPerGb(row));
                }
            }
            out.append(System.lineSeparator());
        }
        if (!r.coldFailures().isEmpty()) {
            out.append("cold verifications that failed and were run again: ").append(r.coldFailures().size())
                    .append(System.lineSeparator());
            r.coldFailures().forEach(f -> out.append("  ").append(f).append(System.lineSeparator()));
        }
        boolean warmMet = warm.median() < WARM_TARGET.toNanos();
        out.append(String.format(Locale.ROOT, "warm: %s median, %s best, %s worst of %d - target < %d ms: %s%n",
                duration(warm.median()), duration(warm.min()), duration(warm.max()), warm.nanos().size(),
                WARM_TARGET.toMillis(), warmMet ? "met" : "MISSED"));
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String[] line, int[] widths) {
        out.append('|');
        for (int i = 0; i < line.length; i++) {
            String cell = line[i];
            String pad = " ".repeat(widths[i] - cell.length());
            out.append(' ').append(i >= 2 ? pad + cell : cell + pad).append(" |");
        }
        out.append(System.lineSeparator());
    }

    /** CPU times come in clock ticks of 10 ms (from the JVM as from /proc): less is not measured. */
    private static String cpu(long nanos) {
        return nanos < 0 ? "?" : nanos < 10_000_000 ? "< 10 ms" : duration(nanos);
    }

    private static String cpuPerGb(Row row) {
        return String.format(Locale.ROOT, "%.2f s", row.cpuMedian() / 1e9 / (row.bytes() / 1e9));
    }

    private static String duration(long nanos) {
        double ms = nanos / 1e6;
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private static String mbps(double mbps) {
        return String.format(Locale.ROOT, "%.0f", mbps);
    }

    private static String human(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
    }

    // ---- files

    private static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(20_260_101);
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                for (int i = 0; i < n; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8 && i + b < n; b++) {
                        buffer[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }
}
