package io.github.itsvc.binaries;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 and SHA-512 of one file, lower-case hex. The SHA-256 is always known (it names the file in the cache);
 * the SHA-512 may not have been computed: a download checked by its SHA-256 alone skips it (see
 * {@code Binaries}).
 *
 * @param sha256 64 hex digits
 * @param sha512 128 hex digits, or {@code null} when not computed
 */
public record Digests(String sha256, String sha512) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");

    public Digests {
        sha256 = sha256.toLowerCase(Locale.ROOT);
        sha512 = sha512 == null ? null : sha512.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha256).matches() || sha512 != null && !SHA512.matcher(sha512).matches()) {
            throw new IllegalArgumentException("not a SHA-256 and a SHA-512 in hex: " + sha256 + ", " + sha512);
        }
    }

    /** The digest of {@code algorithm} ({@code sha256} or {@code sha512}); {@code null} if not computed. */
    public String get(String algorithm) {
        return switch (algorithm) {
            case "sha256" -> sha256;
            case "sha512" -> sha512;
            default -> throw new IllegalArgumentException("unknown algorithm " + algorithm);
        };
    }

    static boolean isSha256(String hex) {
        return hex != null && SHA256.matcher(hex).matches();
    }

    static boolean isSha512(String hex) {
        return hex != null && SHA512.matcher(hex).matches();
    }
}
