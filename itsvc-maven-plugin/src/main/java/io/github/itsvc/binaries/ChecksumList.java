package io.github.itsvc.binaries;

import java.util.Map;

/**
 * A publisher's checksum list ({@code SHA256SUMS}, {@code SHA512SUMS}, {@code *.sha256}...): file name to hex digest.
 * Accepts GNU coreutils lines ({@code <hex>  <name>}, {@code <hex> *<name>}) and BSD tags
 * ({@code SHA256 (<name>) = <hex>}); blank lines and {@code #} comments are skipped.
 */
public final class ChecksumList {

    private ChecksumList() {}

    /**
     * @param content the list's text
     * @param origin where it came from, for messages
     * @return file name (without directories) to lower-case hex digest, in the list's order
     * @throws BinaryException a malformed line (the message gives origin:line) or a name listed twice
     */
    public static Map<String, String> parse(String content, String origin) throws BinaryException {
        throw new UnsupportedOperationException("TODO");
    }
}
