package io.github.itsvc.binaries;

import io.github.itsvc.model.Fields;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Location;
import io.github.itsvc.model.Problems;
import io.github.itsvc.model.Yaml;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * {@code itsvc.lock}: the SHA-256, SHA-512 and size of every binary of the service, recorded with the source they
 * were fetched from. Written by {@code mvn itsvc:pin}, reviewed in pull requests like code, so its text is
 * deterministic: binaries sorted by name, keys in a fixed order, LF line ends, a trailing newline.
 *
 * <pre>
 * # itsvc.lock: ...
 * binaries:
 *   tomcat:
 *     source: maven:org.apache.tomcat:tomcat:tar.gz:11.0.24
 *     sha256: 0f1e...
 *     sha512: 9a8b...
 *     size: 12345678
 * </pre>
 */
public final class Lockfile {

    /** The lock file's name, in the project directory. */
    public static final String FILE_NAME = "itsvc.lock";

    static final String HEADER = """
            # itsvc.lock: the pinned hashes of every binary of this service.
            # Written by 'mvn itsvc:pin'; review changes to it like code, and commit it.
            # A binary that no longer matches fails the build; if its publisher really changed it, find out why,
            # then pin it again with 'mvn itsvc:pin -Ditsvc.force'.
            """;

    private static final List<String> TOP_KEYS = List.of("binaries");
    private static final List<String> ENTRY_KEYS = List.of("source", "sha256", "sha512", "size");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+~-][A-Za-z0-9_./+~:@=%?&,;!$*'()\\[\\]-]*");
    private static final ScalarResolver CORE = new CoreSchema().getScalarResolver();

    /**
     * One pinned binary.
     *
     * @param name the binary's name in {@code service.yaml}
     * @param source the source it was pinned from, as written in {@code service.yaml}
     * @param sha256 lower-case hex, or {@code null} (a hand-written entry may pin one hash only)
     * @param sha512 lower-case hex, or {@code null}
     * @param size the size in bytes, or {@code null} when unknown
     * @param location where the entry is written, or {@code null} for entries not read from a file
     */
    public record Entry(String name, String source, String sha256, String sha512, Long size, Location location) {

        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
            sha512 = sha512 == null ? null : sha512.toLowerCase(Locale.ROOT);
            if (sha256 == null && sha512 == null) {
                throw new IllegalArgumentException("the entry of " + name + " pins no hash");
            }
        }

        /** An entry for a binary just fetched. */
        public Entry(String name, String source, Digests digests, long size) {
            this(name, source, digests.sha256(), digests.sha512(), size, null);
        }

        /** The pinned digests by algorithm, {@code sha256} first. */
        public Map<String, String> hashes() {
            Map<String, String> hashes = new TreeMap<>();
            if (sha256 != null) {
                hashes.put("sha256", sha256);
            }
            if (sha512 != null) {
                hashes.put("sha512", sha512);
            }
            return hashes;
        }

        /** Where messages point: the entry's line, or the lock file's name. */
        String where(String displayName) {
            return location == null ? displayName : location.toString();
        }

        boolean sameContent(Entry other) {
            return other != null && source.equals(other.source) && Objects.equals(sha256, other.sha256)
                    && Objects.equals(sha512, other.sha512) && Objects.equals(size, other.size);
        }
    }

    private final String displayName;
    private final SortedMap<String, Entry> entries;

    /**
     * @param displayName the lock file as messages name it, e.g. {@code itsvc.lock}
     * @param entries the pinned binaries, in any order (one per name)
     */
    public Lockfile(String displayName, Collection<Entry> entries) {
        this.displayName = displayName;
        SortedMap<String, Entry> sorted = new TreeMap<>();
        for (Entry entry : entries) {
            if (sorted.put(entry.name(), entry) != null) {
                throw new IllegalArgumentException("two entries for " + entry.name());
            }
        }
        this.entries = Collections.unmodifiableSortedMap(sorted);
    }

    /** A lock file that pins nothing yet. */
    public static Lockfile empty(String displayName) {
        return new Lockfile(displayName, List.of());
    }

    /**
     * Reads a lock file; a missing file reads as an empty one.
     *
     * @param displayName the file as messages name it (relative to the project), e.g. {@code itsvc.lock}
     * @throws InvalidInputException every problem of the file, each at its file:line:column
     */
    public static Lockfile read(Path file, String displayName) throws InvalidInputException {
        if (!Files.exists(file)) {
            return empty(displayName);
        }
        Problems problems = new Problems(displayName);
        MappingNode root = Yaml.readMapping(file, problems, "run 'mvn itsvc:pin' to write it again");
        List<Entry> entries = new ArrayList<>();
        if (root != null) {
            Fields top = new Fields(root, displayName, TOP_KEYS, problems);
            MappingNode binaries = top.mapping("binaries", "{ tomcat: { source: ..., sha256: ..., sha512: ... } }");
            if (binaries == null && !top.has("binaries")) {
                top.missing("binaries", "{}");
            } else if (binaries != null) {
                Yaml.entries(binaries, "'binaries' of " + displayName, problems).forEach((name, tuple) -> {
                    Entry entry = entry(name, tuple.getKeyNode(), tuple.getValueNode(), problems);
                    if (entry != null) {
                        entries.add(entry);
                    }
                });
            }
        }
        problems.throwIfAny();
        return new Lockfile(displayName, entries);
    }

    private static Entry entry(String name, Node key, Node value, Problems problems) {
        String what = "the entry of binary '" + name + "'";
        if (!(value instanceof MappingNode mapping)) {
            problems.add(value, what + " must be a mapping, not " + Yaml.describe(value),
                    "run 'mvn itsvc:pin' to write the entry again");
            return null;
        }
        int before = problems.count();
        Fields f = new Fields(mapping, what, ENTRY_KEYS, problems);
        String source = f.requiredString("source", "maven:group:artifact:type:version");
        String sha256 = hex(f, "sha256", 64, problems);
        String sha512 = hex(f, "sha512", 128, problems);
        if (!f.has("sha256") && !f.has("sha512")) {
            problems.add(mapping, what + " pins no hash: it has neither 'sha256' nor 'sha512'",
                    "run 'mvn itsvc:pin' to pin the binary again");
        }
        Long size = null;
        if (f.has("size")) {
            BigInteger i = Yaml.integer(f.value("size"));
            if (i == null || i.signum() < 0 || i.bitLength() > 62) {
                problems.add(f.value("size"), "'size' in " + what + " must be a number of bytes, not "
                        + Yaml.describe(f.value("size")), "remove it, or run 'mvn itsvc:pin' to write it again");
            } else {
                size = i.longValue();
            }
        }
        if (problems.count() > before) {
            return null;
        }
        return new Entry(name, source, sha256, sha512, size, problems.at(key));
    }

    /** A digest in hex; a plain all-digit hash is read as the digits, whatever YAML makes of it. */
    private static String hex(Fields f, String key, int digits, Problems problems) {
        Node value = f.value(key);
        if (value == null) {
            return null;
        }
        String text = value instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) ? s.getValue() : null;
        if (text == null || !text.matches("[0-9a-fA-F]{" + digits + "}")) {
            problems.add(value, "'" + key + "' in " + f.what() + " must be " + digits
                    + " hexadecimal digits, not " + (text == null ? Yaml.describe(value) : Yaml.quote(text)),
                    "run 'mvn itsvc:pin' to write it again (add -Ditsvc.force if the hash changed on purpose)");
            return null;
        }
        return text.toLowerCase(Locale.ROOT);
    }

    public String displayName() {
        return displayName;
    }

    /** Every entry, sorted by binary name. */
    public SortedMap<String, Entry> entries() {
        return entries;
    }

    /** The entry of a binary, or {@code null}. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The file's exact text: the same entries always give the same bytes. */
    public String format() {
        StringBuilder text = new StringBuilder(HEADER);
        if (entries.isEmpty()) {
            return text.append("binaries: {}\n").toString();
        }
        text.append("binaries:\n");
        for (Entry e : entries.values()) {
            text.append("  ").append(scalar(e.name())).append(":\n");
            text.append("    source: ").append(scalar(e.source())).append('\n');
            if (e.sha256() != null) {
                text.append("    sha256: ").append(scalar(e.sha256())).append('\n');
            }
            if (e.sha512() != null) {
                text.append("    sha512: ").append(scalar(e.sha512())).append('\n');
            }
            if (e.size() != null) {
                text.append("    size: ").append(e.size()).append('\n');
            }
        }
        return text.toString();
    }

    /** A string as YAML reads it back as the same string: plain when that is safe, else double-quoted. */
    static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !value.contains(": ") && !value.contains(" #")
                && Tag.STR.equals(CORE.resolve(value, true))) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** Writes the file atomically (a temp file beside it, then a move), so a killed build leaves the old one. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temp, format().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * What changed from {@code before} to this lock file, one line per binary, for the pin goal's log: "pinned",
     * "source changed", "hash changed", "removed". Empty when nothing changed.
     */
    public List<String> changesSince(Lockfile before) {
        List<String> changes = new ArrayList<>();
        for (Entry now : entries.values()) {
            Entry old = before.entry(now.name());
            if (old == null) {
                changes.add(now.name() + ": pinned " + now.source());
            } else if (!old.source().equals(now.source())) {
                changes.add(now.name() + ": source changed from " + old.source() + " to " + now.source());
            } else if (!Objects.equals(old.sha256(), now.sha256()) && old.sha256() != null
                    || !Objects.equals(old.sha512(), now.sha512()) && old.sha512() != null) {
                changes.add(now.name() + ": hash changed for " + now.source());
            } else if (!old.sameContent(now)) {
                changes.add(now.name() + ": completed the pin of " + now.source());
            }
        }
        for (Entry old : before.entries().values()) {
            if (!entries.containsKey(old.name())) {
                changes.add(old.name() + ": removed (no longer in the service)");
            }
        }
        return changes;
    }

    /** Same entries (locations aside): same file. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Lockfile other && format().equals(other.format());
    }

    @Override
    public int hashCode() {
        return format().hashCode();
    }

    @Override
    public String toString() {
        return displayName + " " + entries.keySet();
    }
}
