package io.github.itsvc.binaries;

import static io.github.itsvc.binaries.TestKeys.DAY;
import static io.github.itsvc.binaries.TestKeys.Sig;
import static io.github.itsvc.binaries.TestKeys.armored;
import static io.github.itsvc.binaries.TestKeys.armoredPublicKey;
import static io.github.itsvc.binaries.TestKeys.binary;
import static io.github.itsvc.binaries.TestKeys.binaryPublicKey;
import static io.github.itsvc.binaries.TestKeys.fingerprint;
import static io.github.itsvc.binaries.TestKeys.keyId;
import static io.github.itsvc.binaries.TestKeys.sign;
import static io.github.itsvc.binaries.TestKeys.signer;
import static io.github.itsvc.binaries.TestKeys.write;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenPgpTest {

    // Key generation is the slow part: one of each kind for the whole class.
    static OpenPGPKey publisher;
    static OpenPGPKey subkeyed;
    static OpenPGPKey stranger;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        publisher = TestKeys.signingPrimary();
        subkeyed = TestKeys.withSigningSubkey();
        stranger = TestKeys.signingPrimary();
    }

    /** A data file larger than the read buffer, so the signature is fed in several pieces. */
    private Path data(String name) {
        byte[] bytes = new byte[200_000];
        new Random(42).nextBytes(bytes);
        return write(dir.resolve(name), bytes);
    }

    private static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    private OpenPgp.TrustedKeys trust(OpenPGPKey... keys) throws BinaryException {
        StringBuilder text = new StringBuilder();
        for (OpenPGPKey key : keys) {
            text.append(armoredPublicKey(key));
        }
        return OpenPgp.loadKeys(List.of(write(dir.resolve("trusted.asc"), text.toString().getBytes(US_ASCII))));
    }

    @Test
    void armoredSignatureByTrustedPrimaryKeyVerifies() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(publisher, bytes(data), Sig.standard())));

        assertThat(OpenPgp.verifyDetached(data, asc, trust(publisher))).isEqualTo(fingerprint(publisher));
    }

    @Test
    void binaryKeyFileAndBinarySignatureVerify() throws Exception {
        Path data = data("tool.tar.gz");
        Path sig = write(dir.resolve("tool.tar.gz.sig"), binary(sign(publisher, bytes(data), Sig.standard())));
        Path key = write(dir.resolve("publisher.gpg"), binaryPublicKey(publisher));

        OpenPgp.TrustedKeys keys = OpenPgp.loadKeys(List.of(key));

        assertThat(keys.fingerprints()).containsExactly(fingerprint(publisher));
        assertThat(OpenPgp.verifyDetached(data, sig, keys)).isEqualTo(fingerprint(publisher));
    }

    @Test
    void rsaKeyVerifies() throws Exception {
        OpenPGPKey rsa = TestKeys.rsaPrimary();
        Path data = data("tool.zip");
        Path asc = write(dir.resolve("tool.zip.asc"), armored(sign(rsa, bytes(data), Sig.standard())));

        assertThat(OpenPgp.verifyDetached(data, asc, trust(publisher, rsa))).isEqualTo(fingerprint(rsa));
    }

    @Test
    void signatureBySubkeyReturnsThePrimaryKeysFingerprint() throws Exception {
        Path data = data("tool.tar.gz");
        PGPSignature signature = sign(subkeyed, bytes(data), Sig.standard());
        assertThat(signer(subkeyed).isPrimaryKey()).isFalse();
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(signature));

        assertThat(OpenPgp.verifyDetached(data, asc, trust(publisher, subkeyed))).isEqualTo(fingerprint(subkeyed));
    }

    @Test
    void signatureNamingOnlyTheIssuerKeyIdVerifies() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"),
                armored(sign(subkeyed, bytes(data), Sig.standard().keyIdOnly())));

        assertThat(OpenPgp.verifyDetached(data, asc, trust(subkeyed))).isEqualTo(fingerprint(subkeyed));
    }

    @Test
    void tamperedDataIsRefused() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(publisher, bytes(data), Sig.standard())));
        byte[] tampered = bytes(data);
        tampered[100_000] ^= 1;
        write(data, tampered);

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(publisher)))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("OpenPGP signature " + asc + " of " + data + " is refused")
                .hasMessageContaining("does not match the file");
    }

    @Test
    void signatureByAnUntrustedKeyNamesItsKeyIdAndTheTrustedKeys() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(stranger, bytes(data), Sig.standard())));
        OpenPgp.TrustedKeys keys = trust(publisher, subkeyed);

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, keys))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("key id " + keyId(stranger.getPrimaryKey()))
                .hasMessageContaining("not among the trusted keys")
                .hasMessageContaining(fingerprint(publisher))
                .hasMessageContaining(fingerprint(subkeyed))
                .hasMessageContaining(dir.resolve("trusted.asc").toString());
    }

    @Test
    void noTrustedKeysTrustsNothing() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(publisher, bytes(data), Sig.standard())));

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, OpenPgp.loadKeys(List.of())))
                .hasMessageContaining("not among the trusted keys (no key file given)");
    }

    @Test
    void oneTrustedSignatureAmongSeveralSuffices() throws Exception {
        Path data = data("tool.tar.gz");
        byte[] content = bytes(data);
        Path binarySig = write(dir.resolve("two.sig"),
                binary(sign(stranger, content, Sig.standard()), sign(publisher, content, Sig.standard())));
        byte[] concatenated = (new String(armored(sign(stranger, content, Sig.standard())), US_ASCII)
                + new String(armored(sign(publisher, content, Sig.standard())), US_ASCII)).getBytes(US_ASCII);
        Path armoredSigs = write(dir.resolve("two.asc"), concatenated);

        assertThat(OpenPgp.verifyDetached(data, binarySig, trust(publisher))).isEqualTo(fingerprint(publisher));
        assertThat(OpenPgp.verifyDetached(data, armoredSigs, trust(publisher))).isEqualTo(fingerprint(publisher));
    }

    @Test
    void aBadTrustedSignatureIsNotSavedByAnUntrustedGoodOne() throws Exception {
        Path data = data("tool.tar.gz");
        byte[] content = bytes(data);
        byte[] other = content.clone();
        other[0] ^= 1;
        Path sig = write(dir.resolve("two.sig"),
                binary(sign(publisher, other, Sig.standard()), sign(stranger, content, Sig.standard())));

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, sig, trust(publisher)))
                .hasMessageContaining("does not match the file")
                .hasMessageContaining("key id " + keyId(stranger.getPrimaryKey()));
    }

    @Test
    void garbageSignaturesAreRefused() throws Exception {
        Path data = data("tool.tar.gz");
        OpenPgp.TrustedKeys keys = trust(publisher);
        byte[] random = new byte[300];
        new Random(7).nextBytes(random);
        random[0] = (byte) 0x88; // looks like a binary packet, is not one
        Path binaryGarbage = write(dir.resolve("garbage.sig"), random);
        Path text = write(dir.resolve("garbage.asc"), "<html>Not Found</html>\n".getBytes(US_ASCII));
        String good = new String(armored(sign(publisher, bytes(data), Sig.standard())), US_ASCII);
        String broken = good.replaceFirst("(?m)^([A-Za-z0-9+/]{10})[A-Za-z0-9+/]{10}", "$1AAAAAAAAAA");
        Path badArmor = write(dir.resolve("broken.asc"), broken.getBytes(US_ASCII));
        Path empty = write(dir.resolve("empty.asc"), new byte[0]);

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, binaryGarbage, keys))
                .isInstanceOf(BinaryException.class)
                .hasMessageStartingWith("OpenPGP signature " + binaryGarbage);
        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, text, keys))
                .hasMessage("OpenPGP signature " + text + " holds no signature (neither armored nor binary OpenPGP)");
        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, badArmor, keys))
                .isInstanceOf(BinaryException.class)
                .hasMessageStartingWith("OpenPGP signature " + badArmor);
        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, empty, keys))
                .hasMessageContaining("holds no signature");
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(publisher, bytes(data), Sig.standard())));
        Path absentSig = dir.resolve("absent.asc");
        Path absentData = dir.resolve("absent.tar.gz");

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, absentSig, trust(publisher)))
                .hasMessage("OpenPGP signature " + absentSig + " does not exist");
        assertThatThrownBy(() -> OpenPgp.verifyDetached(absentData, asc, trust(publisher)))
                .hasMessageContaining(absentData + ": the file does not exist");
    }

    @Test
    void textModeSignaturesAreRefused() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(publisher, bytes(data),
                Sig.standard().type(PGPSignature.CANONICAL_TEXT_DOCUMENT))));

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(publisher)))
                .hasMessageContaining("text-mode signature (type 0x01)")
                .hasMessageContaining("only binary-document signatures are accepted");
    }

    @Test
    void clearSignedMessagesAreRefused() throws Exception {
        Path data = data("SHA256SUMS");
        String clearSigned = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nabc  tool.tar.gz\n"
                + new String(armored(sign(publisher, bytes(data), Sig.standard())), US_ASCII);
        Path asc = write(dir.resolve("SHA256SUMS.asc"), clearSigned.getBytes(US_ASCII));

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(publisher)))
                .hasMessageContaining("is a clear-signed message, not a detached signature");
    }

    @Test
    void weakHashAlgorithmsAreRefused() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"),
                armored(sign(publisher, bytes(data), Sig.standard().hash(HashAlgorithmTags.SHA1))));

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(publisher)))
                .hasMessageContaining("by key " + fingerprint(publisher) + ": its hash algorithm SHA1 is too weak");
    }

    @Test
    void signaturesFromTheFutureAreRefused() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(publisher, bytes(data),
                Sig.standard().created(new Date(System.currentTimeMillis() + DAY)))));

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(publisher)))
                .hasMessageContaining("claims to be made in the future");
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        OpenPGPKey key = TestKeys.signingPrimary(new Date(System.currentTimeMillis() - 3 * DAY), 0);
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(key, bytes(data),
                Sig.standard().created(new Date(System.currentTimeMillis() - 2 * DAY)))));
        // A hard revocation (no reason: maybe compromised) made after the signature still voids it.
        OpenPGPKey revoked = TestKeys.revoke(key, key.getPrimaryKey(), new Date(System.currentTimeMillis() - DAY), null);

        assertThat(OpenPgp.verifyDetached(data, asc, trust(key))).isEqualTo(fingerprint(key));
        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(revoked)))
                .hasMessageContaining("key " + keyId(key.getPrimaryKey()) + " is revoked")
                .hasMessageContaining("no reason given");
    }

    @Test
    void aRetiredKeyStillVerifiesWhatItSignedBefore() throws Exception {
        OpenPGPKey key = TestKeys.signingPrimary(new Date(System.currentTimeMillis() - 3 * DAY), 0);
        Path data = data("tool.tar.gz");
        byte[] content = bytes(data);
        Path before = write(dir.resolve("before.asc"), armored(sign(key, content,
                Sig.standard().created(new Date(System.currentTimeMillis() - 2 * DAY)))));
        Path after = write(dir.resolve("after.asc"), armored(sign(key, content, Sig.standard())));
        OpenPGPKey retired = TestKeys.revoke(key, key.getPrimaryKey(), new Date(System.currentTimeMillis() - DAY),
                TestKeys.KEY_RETIRED);

        assertThat(OpenPgp.verifyDetached(data, before, trust(retired))).isEqualTo(fingerprint(key));
        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, after, trust(retired)))
                .hasMessageContaining("is revoked")
                .hasMessageContaining("retired: \"test\"");
    }

    @Test
    void aRevokedSigningSubkeyIsRefused() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(subkeyed, bytes(data), Sig.standard())));
        OpenPGPKey revoked = TestKeys.revoke(subkeyed, signer(subkeyed), new Date(), null);

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(revoked)))
                .hasMessageContaining("subkey " + keyId(signer(subkeyed)) + " is revoked");
    }

    @Test
    void anExpiredKeyIsRefusedForSignaturesMadeAfterItExpired() throws Exception {
        OpenPGPKey key = TestKeys.signingPrimary(new Date(System.currentTimeMillis() - 10 * DAY), 2);
        Path data = data("tool.tar.gz");
        byte[] content = bytes(data);
        Path whileValid = write(dir.resolve("valid.asc"), armored(sign(key, content,
                Sig.standard().created(new Date(System.currentTimeMillis() - 9 * DAY)))));
        Path afterExpiry = write(dir.resolve("late.asc"), armored(sign(key, content, Sig.standard())));

        assertThat(OpenPgp.verifyDetached(data, whileValid, trust(key))).isEqualTo(fingerprint(key));
        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, afterExpiry, trust(key)))
                .hasMessageContaining("key " + keyId(key.getPrimaryKey()) + " expired on");
    }

    @Test
    void aCertifyOnlyPrimaryKeyMayNotSignData() throws Exception {
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"),
                armored(sign(subkeyed, subkeyed.getPrimaryKey(), bytes(data), Sig.standard())));

        assertThatThrownBy(() -> OpenPgp.verifyDetached(data, asc, trust(subkeyed)))
                .hasMessageContaining("is not marked for signing data");
    }

    @Test
    void keysFileWithProseAndSeveralBlocksLoadsEveryKey() throws Exception {
        String keys = "This file contains the PGP keys of the release managers.\n\n"
                + "pub   ed25519 2025-01-01 [SC]\nuid   Release Manager\n\n" + armoredPublicKey(publisher)
                + "\npub   ed25519 2025-01-01 [C]\n\n" + armoredPublicKey(subkeyed).replace("\n", "\r\n") + "\n";
        Path file = write(dir.resolve("KEYS"), keys.getBytes(US_ASCII));

        assertThat(OpenPgp.loadKeys(List.of(file)).fingerprints())
                .containsExactlyElementsOf(List.of(fingerprint(publisher), fingerprint(subkeyed)).stream().sorted()
                        .toList());
    }

    @Test
    void sameKeyInTwoFilesIsOneFingerprint() throws Exception {
        Path a = write(dir.resolve("a.asc"), armoredPublicKey(publisher).getBytes(US_ASCII));
        Path b = write(dir.resolve("b.gpg"), binaryPublicKey(publisher));
        Path data = data("tool.tar.gz");
        Path asc = write(dir.resolve("tool.tar.gz.asc"), armored(sign(publisher, bytes(data), Sig.standard())));

        OpenPgp.TrustedKeys keys = OpenPgp.loadKeys(List.of(a, b));

        assertThat(keys.fingerprints()).containsExactly(fingerprint(publisher));
        assertThat(OpenPgp.verifyDetached(data, asc, keys)).isEqualTo(fingerprint(publisher));
    }

    @Test
    void keyFilesWithoutAPublicKeyAreRefusedByName() throws Exception {
        Path missing = dir.resolve("missing.asc");
        Path prose = write(dir.resolve("prose.asc"), "just text\n".getBytes(US_ASCII));
        Path signatureInstead = write(dir.resolve("sig.asc"),
                armored(sign(publisher, new byte[] {1}, Sig.standard())));
        Path secret = write(dir.resolve("secret.asc"), publisher.toAsciiArmoredString().getBytes(US_ASCII));
        String key = armoredPublicKey(publisher);
        Path corrupt = write(dir.resolve("corrupt.asc"),
                key.replaceFirst("(?m)^([A-Za-z0-9+/]{20})[A-Za-z0-9+/]{8}", "$1AAAAAAAA").getBytes(US_ASCII));
        Path good = write(dir.resolve("good.asc"), key.getBytes(US_ASCII));

        assertThatThrownBy(() -> OpenPgp.loadKeys(List.of(good, missing)))
                .isInstanceOf(BinaryException.class)
                .hasMessage("OpenPGP key file " + missing + " does not exist");
        assertThatThrownBy(() -> OpenPgp.loadKeys(List.of(prose)))
                .hasMessageStartingWith("OpenPGP key file " + prose + " holds no public key;");
        assertThatThrownBy(() -> OpenPgp.loadKeys(List.of(signatureInstead)))
                .hasMessageStartingWith("OpenPGP key file " + signatureInstead + " holds no public key (it holds: PGP"
                        + " SIGNATURE)");
        assertThatThrownBy(() -> OpenPgp.loadKeys(List.of(secret)))
                .hasMessageStartingWith("OpenPGP key file " + secret + " holds a secret key");
        assertThatThrownBy(() -> OpenPgp.loadKeys(List.of(corrupt)))
                .hasMessageStartingWith("OpenPGP key file " + corrupt + " is malformed");
    }
}
