package io.github.itsvc.check;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Check results as a JUnit XML report ({@code TEST-<suite>.xml}, the Ant/Surefire format Jenkins, GitLab and
 * Surefire's own report read).
 *
 * <p>One {@code testsuite}; a {@code testcase} per result with {@code classname="itsvc.<role>"} and the check's name;
 * a failed check has a {@code failure} whose message is the reason and whose text is the detail; a skipped one a
 * {@code skipped}. Attributes are always written in the same order. Text that XML 1.0 cannot hold (control
 * characters of a binary body, lone surrogates) is written as a Java escape: backslash, {@code u}, four hex digits.
 */
public final class JUnitReport {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss",
            Locale.ROOT);

    private JUnitReport() {}

    /** The report's file name: {@code TEST-<suite>.xml}, characters other than {@code [A-Za-z0-9._-]} as {@code _}. */
    public static String fileName(String suite) {
        return "TEST-" + suite.replaceAll("[^A-Za-z0-9._-]", "_") + ".xml";
    }

    /**
     * Writes (or replaces) {@code dir/TEST-<suite>.xml}, whole or not at all: a reader never sees half a report.
     *
     * @param dir created if missing, e.g. {@code target/itsvc-reports}
     * @param suite the suite's name, e.g. {@code itsvc.team-wiki.dev}
     * @return the report file
     */
    public static Path write(Path dir, String suite, List<CheckResult> results) throws IOException {
        return write(dir, suite, results, ZoneId.systemDefault());
    }

    /** As {@link #write(Path, String, List)}, with the timestamp in {@code zone} (Surefire writes local time). */
    static Path write(Path dir, String suite, List<CheckResult> results, ZoneId zone) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName(suite));
        Path temp = Files.createTempFile(dir, ".TEST-", ".xml.tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                writeSuite(xml, suite, results, zone);
                xml.close();
            } catch (XMLStreamException e) {
                throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    private static void writeSuite(XMLStreamWriter xml, String suite, List<CheckResult> results, ZoneId zone)
            throws XMLStreamException {
        long failures = results.stream().filter(CheckResult::failed).count();
        long skipped = results.stream().filter(r -> r.outcome() == CheckResult.Outcome.SKIPPED).count();
        Duration total = results.stream().map(CheckResult::duration).reduce(Duration.ZERO, Duration::plus);
        Instant started = results.stream().map(CheckResult::started).min(Comparator.naturalOrder())
                .orElseGet(Instant::now);

        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", clean(suite));
        xml.writeAttribute("tests", String.valueOf(results.size()));
        xml.writeAttribute("failures", String.valueOf(failures));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", String.valueOf(skipped));
        xml.writeAttribute("time", seconds(total));
        xml.writeAttribute("timestamp",
                TIMESTAMP.format(LocalDateTime.ofInstant(started.truncatedTo(ChronoUnit.SECONDS), zone)));
        for (CheckResult r : results) {
            xml.writeCharacters("\n  ");
            boolean empty = r.passed();
            if (empty) {
                xml.writeEmptyElement("testcase");
            } else {
                xml.writeStartElement("testcase");
            }
            xml.writeAttribute("name", clean(r.name()));
            xml.writeAttribute("classname", clean("itsvc." + r.role()));
            xml.writeAttribute("time", seconds(r.duration()));
            if (r.failed()) {
                xml.writeCharacters("\n    ");
                xml.writeStartElement("failure");
                xml.writeAttribute("message", clean(r.reason()));
                xml.writeAttribute("type", "itsvc.CheckFailed");
                xml.writeCharacters(clean(failureText(r)));
                xml.writeEndElement();
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            } else if (!empty) {
                xml.writeCharacters("\n    ");
                xml.writeEmptyElement("skipped");
                xml.writeAttribute("message", clean(r.reason()));
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
        }
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
    }

    private static String failureText(CheckResult r) {
        return r.detail() + "\n\n" + r.attempts() + (r.attempts() == 1 ? " attempt" : " attempts") + " in "
                + Text.seconds(r.duration()) + (r.location() == null ? "" : "; check defined at " + r.location());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    /**
     * XML 1.0 can hold no control characters but tab, newline and carriage return, and no lone surrogates or
     * U+FFFE/U+FFFF; the stream writer escapes {@code <}, {@code &} and quotes but writes those as they are, which
     * makes the whole report unreadable. They become Java escapes (backslash, u, four hex digits). Line ends become
     * {@code \n}, as a reader would make them anyway.
     */
    static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (c == '\r') {
                // CRLF -> LF, a lone CR -> LF
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                if (i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
                    sb.append('\n');
                }
                continue;
            }
            ok = c == '\t' || c == '\n' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD);
            if (ok) {
                if (sb != null) {
                    sb.append(c);
                }
            } else {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
