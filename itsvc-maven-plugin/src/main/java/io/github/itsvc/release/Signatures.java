package io.github.itsvc.release;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.OpenPgp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jgit.revwalk.RevTag;

/**
 * Checks the OpenPGP signatures of release tags and channel records against a subscription's trusted keys, with the
 * same rules as binaries' signatures ({@link OpenPgp}). Unsigned is refused like a bad signature.
 */
final class Signatures {

    private static final byte[] PGP_START = "-----BEGIN PGP SIGNATURE-----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SSH_START = "-----BEGIN SSH SIGNATURE-----".getBytes(StandardCharsets.US_ASCII);

    private Signatures() {}

    /** @return the fingerprint of the key that signed */
    static String verifyRecord(Channels.Entry entry, OpenPgp.TrustedKeys keys, Path scratch, String fix)
            throws ReleaseException, IOException {
        String what = "the record " + entry.record().sequence() + " of channel " + entry.record().channel() + " ("
                + entry.commit().name().substring(0, 12) + ")";
        if (entry.signature() == null) {
            throw new ReleaseException(what + " is not signed", fix);
        }
        return verify(entry.json(), entry.signature(), what, keys, scratch, fix);
    }

    /** @return the fingerprint of the key that signed the tag */
    static String verifyTag(RevTag tag, OpenPgp.TrustedKeys keys, Path scratch, String fix)
            throws ReleaseException, IOException {
        byte[] raw = tag.getRawBuffer();
        String what = "the release tag " + tag.getTagName() + " (" + tag.name().substring(0, 12) + ")";
        if (lineStart(raw, SSH_START) >= 0) {
            throw new ReleaseException(what + " is signed with an SSH key, which itsvc cannot check yet",
                    "sign releases with an OpenPGP key");
        }
        int start = lineStart(raw, PGP_START);
        if (start < 0) {
            throw new ReleaseException(what + " is not signed", fix);
        }
        return verify(Arrays.copyOfRange(raw, 0, start), Arrays.copyOfRange(raw, start, raw.length), what, keys,
                scratch, fix);
    }

    private static String verify(byte[] data, byte[] signature, String what, OpenPgp.TrustedKeys keys, Path scratch,
            String fix) throws ReleaseException, IOException {
        Files.createDirectories(scratch);
        Path dataFile = Files.createTempFile(scratch, "signed", ".data");
        Path signatureFile = Files.createTempFile(scratch, "signed", ".asc");
        try {
            Files.write(dataFile, data);
            Files.write(signatureFile, signature);
            return OpenPgp.verifyDetached(dataFile, what, signatureFile, "", keys);
        } catch (BinaryException e) {
            throw new ReleaseException(e.getMessage().replace("OpenPGP signature  of ", "the OpenPGP signature of "),
                    fix);
        } finally {
            Files.deleteIfExists(dataFile);
            Files.deleteIfExists(signatureFile);
        }
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
