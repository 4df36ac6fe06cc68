package io.github.itsvc.binaries;

import java.nio.file.Path;
import java.util.List;

/**
 * OpenPGP detached signatures, checked against public keys kept in the service's repository
 * ({@code src/main/itsvc/keys/*.asc}).
 */
public final class OpenPgp {

    private OpenPgp() {}

    /**
     * The trusted keys: every public key (and subkey) in the given armored or binary key files.
     *
     * @throws BinaryException a file is missing or holds no OpenPGP public key (the message names the file)
     */
    public static TrustedKeys loadKeys(List<Path> keyFiles) throws BinaryException {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Checks a detached signature (armored or binary) over a file.
     *
     * @return the fingerprint (upper-case hex) of the key that made the signature
     * @throws BinaryException the signature is malformed, made by a key not among {@code keys} (its key id is
     *     named), or does not match the file
     */
    public static String verifyDetached(Path data, Path signature, TrustedKeys keys) throws BinaryException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Public keys trusted for signatures; opaque to callers. */
    public interface TrustedKeys {
        /** The fingerprints of the primary keys, upper-case hex, sorted. */
        List<String> fingerprints();
    }
}
