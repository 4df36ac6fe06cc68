package io.github.itsvc.binaries;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A publisher's checksum list ({@code SHA256SUMS}, {@code SHA512SUMS}, {@code *.sha256}...): file name to hex digest.
 * Accepts GNU coreutils lines ({@code <hex>  <name>}, {@code <hex> *<name>}) and BSD tags
 * ({@code SHA256 (<name>) = <hex>}); blank lines and {@code #} comments are skipped.
 */
public final class ChecksumList {

    /** coreutils writes two spaces (or space and {@code *} for binary mode) but reads a single space too. */
    private static final Pattern GNU = Pattern.compile("([0-9a-fA-F]{64}|[0-9a-fA-F]{128}) [ *]?(.+)");

    /** {@code sha256sum --tag}, BSD {@code sha256}, and OpenSSL's {@code SHA256(name)= hex} / {@code SHA2-256(...)}. */
    private static final Pattern BSD = Pattern.compile("(SHA2?-?(?:256|512)) ?\\((.+)\\) ?= ?([0-9a-fA-F]+)");

    private static final String CLEAR_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";

    private ChecksumList() {}

    /**
     * @param content the list's text
     * @param origin where it came from, for messages
     * @return file name (without directories) to lower-case hex digest, in the list's order
     * @throws BinaryException a malformed line (the message gives origin:line) or a name listed twice
     */
    public static Map<String, String> parse(String content, String origin) throws BinaryException {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        if (text.stripLeading().startsWith(CLEAR_SIGNED)) {
            throw new BinaryException(origin + " is a clear-signed checksum list, which itsvc does not read: use the"
                    + " publisher's plain list with its detached signature (SHA256SUMS with SHA256SUMS.asc, .gpg or"
                    + " .sig) instead");
        }
        Map<String, String> digests = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            Entry entry = entry(line, origin + ":" + number);
            String name = lastComponent(entry.name, line, origin + ":" + number);
            Integer first = lineOf.putIfAbsent(name, number);
            if (first != null) {
                throw new BinaryException(origin + ":" + number + ": " + printable(name) + " is listed twice (first on"
                        + " line " + first + "); itsvc keys a list by file name without directories, so it cannot"
                        + " tell the two apart");
            }
            digests.put(name, entry.hex.toLowerCase(Locale.ROOT));
        }
        if (digests.isEmpty()) {
            throw new BinaryException(origin + " lists no checksum");
        }
        return Collections.unmodifiableMap(digests);
    }

    private record Entry(String name, String hex) {}

    private static Entry entry(String line, String where) throws BinaryException {
        // coreutils skips leading blanks, and marks a line whose name it escaped (backslash, newline) with a backslash.
        String body = line.stripLeading();
        boolean escaped = body.startsWith("\\");
        body = escaped ? body.substring(1) : body;
        Matcher bsd = BSD.matcher(body);
        if (bsd.matches()) {
            String algorithm = bsd.group(1);
            String hex = bsd.group(3);
            int expected = algorithm.endsWith("256") ? 64 : 128;
            if (hex.length() != expected) {
                throw new BinaryException(where + ": the " + algorithm + " digest has " + hex.length()
                        + " hex digits, expected " + expected + ": " + printable(line));
            }
            return new Entry(escaped ? unescape(bsd.group(2), line, where) : bsd.group(2), hex);
        }
        Matcher gnu = GNU.matcher(body);
        if (gnu.matches()) {
            return new Entry(escaped ? unescape(gnu.group(2), line, where) : gnu.group(2), gnu.group(1));
        }
        throw new BinaryException(where + ": malformed checksum line " + printable(line) + " (expected \"<sha256 or"
                + " sha512 hex>  <name>\" or \"SHA256 (<name>) = <hex>\")");
    }

    private static String unescape(String name, String line, String where) throws BinaryException {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = i + 1 < name.length() ? name.charAt(++i) : 0;
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                default -> throw new BinaryException(where + ": bad escape in the file name of " + printable(line));
            }
        }
        return out.toString();
    }

    /** Publishers list {@code ./tool.tar.gz} or {@code dist/tool.tar.gz}; a binary is looked up by its file name. */
    private static String lastComponent(String name, String line, String where) throws BinaryException {
        String last = name.substring(name.lastIndexOf('/') + 1);
        if (last.isEmpty() || last.equals(".") || last.equals("..")) {
            throw new BinaryException(where + ": no file name in " + printable(line));
        }
        return last;
    }

    /** The line as it can be shown in a message: quoted, control characters escaped, cut if long. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder("\"");
        int max = 120;
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append(text.length() > max ? "...\"" : "\"").toString();
    }
}
