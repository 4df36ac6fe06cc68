package io.github.itsvc.target.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads and writes {@link InstanceState} as a {@code java.util.Properties} file: keys sorted, no date comment, ASCII
 * with {@code \}{@code uXXXX} escapes, so equal states give equal bytes. Written through a temporary file and an
 * atomic rename, so a reader (another JVM) sees the old or the new state, never half of one.
 */
final class StateFile {

    static final int FORMAT = 1;
    private static final String HEADER = "# itsvc local instance state (written by itsvc; do not edit)\n";

    private StateFile() {}

    static Optional<InstanceState> read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(p, file));
    }

    static void write(Path file, InstanceState state) throws IOException {
        byte[] bytes = format(state).getBytes(StandardCharsets.US_ASCII);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true); // the rename must not reach the disk before the content
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String format(InstanceState s) {
        Map<String, String> m = new TreeMap<>();
        m.put("format", Integer.toString(FORMAT));
        m.put("command", s.command());
        m.put("config.digest", s.configDigest());
        m.put("launcher", s.launcher());
        s.ports().forEach((name, port) -> m.put("port." + name, Integer.toString(port)));
        if (s.hasPid()) {
            m.put("pid", Long.toString(s.pid()));
        }
        if (s.marker() != null && s.marker().instant() != null) {
            m.put("start.instant", s.marker().instant().toString());
        }
        if (s.marker() != null && s.marker().linux() != null) {
            m.put("start.linux", s.marker().linux());
        }
        putInstant(m, "since", s.since());
        putInstant(m, "starting", s.starting());
        putInstant(m, "stopped", s.stopped());
        StringBuilder out = new StringBuilder(HEADER);
        m.forEach((k, v) -> out.append(escape(k, true)).append('=').append(escape(v, false)).append('\n'));
        return out.toString();
    }

    static InstanceState parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return parse(p, Path.of("(text)"));
    }

    private static InstanceState parse(Properties p, Path file) throws IOException {
        String format = p.getProperty("format");
        if (!Integer.toString(FORMAT).equals(format)) {
            throw new IOException(file + ": state format " + format + " is not " + FORMAT
                    + " (written by another itsvc version?)");
        }
        Map<String, Integer> ports = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("port.")) {
                ports.put(key.substring("port.".length()), (int) number(p, key, file));
            }
        }
        long pid = p.getProperty("pid") == null ? 0 : number(p, "pid", file);
        Instant startInstant = instant(p, "start.instant", file);
        String linux = p.getProperty("start.linux");
        StartMarker marker = startInstant == null && linux == null ? null : new StartMarker(startInstant, linux);
        try {
            return new InstanceState(required(p, "command", file), ports, required(p, "config.digest", file),
                    required(p, "launcher", file), pid, marker, instant(p, "since", file),
                    instant(p, "starting", file), instant(p, "stopped", file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(file + ": no " + key);
        }
        return v;
    }

    private static long number(Properties p, String key, Path file) throws IOException {
        try {
            return Long.parseLong(p.getProperty(key).trim());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key + " is not a number: " + p.getProperty(key), e);
        }
    }

    private static Instant instant(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        try {
            return v == null ? null : Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IOException(file + ": " + key + " is not an instant: " + v, e);
        }
    }

    private static void putInstant(Map<String, String> m, String key, Instant value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }

    /** The escaping {@link Properties#store} does, minus its unordered keys and its date comment. */
    static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\f' -> b.append("\\f");
                case '=', ':', '#', '!' -> b.append('\\').append(c);
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
