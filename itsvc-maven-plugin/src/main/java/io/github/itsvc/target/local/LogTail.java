package io.github.itsvc.target.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines of an instance's logs, for failure reports.
 *
 * @param stdout the last lines of {@code logs/stdout.log}, oldest first (empty if missing)
 * @param stderr the last lines of {@code logs/stderr.log}, oldest first (empty if missing)
 */
public record LogTail(List<String> stdout, List<String> stderr) {

    /** At most this many bytes are read from the end of each log, however long its lines. */
    public static final int MAX_BYTES = 64 * 1024;

    public LogTail {
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
    }

    /** The last {@code lines} lines of each log of {@code instanceDir}, within {@link #MAX_BYTES} each. */
    public static LogTail read(Path instanceDir, int lines) throws IOException {
        return new LogTail(lastLines(InstanceLayout.stdoutLog(instanceDir), lines, MAX_BYTES),
                lastLines(InstanceLayout.stderrLog(instanceDir), lines, MAX_BYTES));
    }

    static List<String> lastLines(Path file, int lines, int maxBytes) throws IOException {
        if (lines < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("lines " + lines + ", maxBytes " + maxBytes);
        }
        byte[] tail;
        boolean partialFirstLine;
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long from = Math.max(0, size - maxBytes);
            partialFirstLine = from > 0 && !newlineAt(ch, from - 1);
            ch.position(from);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // the file may be growing or shrinking under us; take what is there
            }
            tail = Arrays.copyOf(buf.array(), buf.position());
        } catch (NoSuchFileException e) {
            return List.of();
        }
        // Invalid or cut UTF-8 becomes U+FFFD: a log is reported, never rejected.
        List<String> all = new ArrayList<>(new String(tail, StandardCharsets.UTF_8).lines().toList());
        if (partialFirstLine && !all.isEmpty()) {
            all.set(0, "[...]" + all.get(0)); // it began before the bytes we read
        }
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static boolean newlineAt(SeekableByteChannel ch, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.position(position);
        return ch.read(one) == 1 && one.get(0) == '\n';
    }

    /** For a report: each non-empty log under a heading, lines indented. */
    public String format() {
        StringBuilder b = new StringBuilder();
        append(b, "stdout", stdout);
        append(b, "stderr", stderr);
        return b.length() == 0 ? "(logs are empty)\n" : b.toString();
    }

    private static void append(StringBuilder b, String name, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        b.append(name).append(" (last ").append(lines.size()).append(" lines):\n");
        lines.forEach(l -> b.append("  ").append(l).append('\n'));
    }
}
