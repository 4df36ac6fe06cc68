package io.github.itsvc.release;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.OpenPgp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.revwalk.RevTag;

/**
 * Checks the signatures of release tags and channel records against a subscription's trusted keys: OpenPGP ones with
 * the same rules as binaries' signatures ({@link OpenPgp}), SSH ones ({@link SshSig}, git's {@code gpg.format=ssh})
 * against the trusted SSH keys. Unsigned is refused like a bad signature.
 */
final class Signatures {

    private static final byte[] PGP_START = "-----BEGIN PGP SIGNATURE-----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SSH_START = "-----BEGIN SSH SIGNATURE-----".getBytes(StandardCharsets.US_ASCII);

    private Signatures() {}

    /** @return the fingerprint of the key that signed */
    static String verifyRecord(Channels.Entry entry, TrustedSigners keys, Path scratch, String fix)
            throws ReleaseException, IOException {
        String what = "the record " + entry.record().sequence() + " of channel " + entry.record().channel() + " ("
                + entry.commit().name().substring(0, 12) + ")";
        if (entry.signature() == null) {
            throw new ReleaseException(what + " is not signed", fix);
        }
        return verify(entry.json(), entry.signature(), what, keys, scratch, fix);
    }

    /** @return the fingerprint of the key that signed the tag */
    static String verifyTag(RevTag tag, TrustedSigners keys, Path scratch, String fix)
            throws ReleaseException, IOException {
        byte[] raw = tag.getRawBuffer();
        String what = "the release tag " + tag.getTagName() + " (" + tag.name().substring(0, 12) + ")";
        // The last signature block counts, whichever its kind, as git takes it.
        int start = Math.max(lineStart(raw, PGP_START), lineStart(raw, SSH_START));
        if (start < 0) {
            throw new ReleaseException(what + " is not signed", fix);
        }
        return verify(Arrays.copyOfRange(raw, 0, start), Arrays.copyOfRange(raw, start, raw.length), what, keys,
                scratch, fix);
    }

    private static String verify(byte[] data, byte[] signature, String what, TrustedSigners keys, Path scratch,
            String fix) throws ReleaseException, IOException {
        if (startsWith(signature, SSH_START)) {
            return verifySsh(data, signature, what, keys, fix);
        }
        Files.createDirectories(scratch);
        Path dataFile = Files.createTempFile(scratch, "signed", ".data");
        Path signatureFile = Files.createTempFile(scratch, "signed", ".asc");
        try {
            Files.write(dataFile, data);
            Files.write(signatureFile, signature);
            return OpenPgp.verifyDetached(dataFile, what, signatureFile, "", keys.openPgp());
        } catch (BinaryException e) {
            throw new ReleaseException(e.getMessage().replace("OpenPGP signature  of ", "the OpenPGP signature of "),
                    fix);
        } finally {
            Files.deleteIfExists(dataFile);
            Files.deleteIfExists(signatureFile);
        }
    }

    /** @return the {@code SHA256:} fingerprint of the SSH key that signed */
    private static String verifySsh(byte[] data, byte[] signature, String what, TrustedSigners keys, String fix)
            throws ReleaseException {
        String refused = "the SSH signature of " + what + " is refused: ";
        SshSig.Parsed parsed;
        try {
            parsed = SshSig.parse(signature);
        } catch (IllegalArgumentException e) {
            throw new ReleaseException(refused + "it is malformed (" + e.getMessage() + ")", fix);
        }
        String fingerprint = SshSig.fingerprint(parsed.key());
        PublicKey trusted = keys.ssh(fingerprint);
        if (trusted == null || !KeyUtils.compareKeys(trusted, parsed.key())) {
            throw new ReleaseException(refused + "it was made by SSH key " + fingerprint + ", which is not among the"
                    + " trusted keys " + keys.sshFingerprints(), fix);
        }
        try {
            if (!SshSig.verify(parsed, data)) {
                throw new ReleaseException(refused + "it does not match what was signed (changed after signing, or"
                        + " not in the git namespace)", fix);
            }
        } catch (GeneralSecurityException e) {
            throw new ReleaseException(refused + "it cannot be checked (" + e.getMessage() + ")", fix);
        }
        return fingerprint;
    }

    private static boolean startsWith(byte[] data, byte[] marker) {
        int i = 0;
        while (i < data.length && Character.isWhitespace(data[i])) {
            i++;
        }
        return data.length - i >= marker.length && Arrays.equals(data, i, i + marker.length, marker, 0, marker.length);
    }

    /** The last index where {@code marker} starts a line, or -1 (git takes the last signature block, too). */
    private static int lineStart(byte[] raw, byte[] marker) {
        for (int i = raw.length - marker.length; i >= 0; i--) {
            if ((i == 0 || raw[i - 1] == '\n') && Arrays.equals(raw, i, i + marker.length, marker, 0, marker.length)) {
                return i;
            }
        }
        return -1;
    }
}
