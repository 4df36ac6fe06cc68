package io.github.itsvc.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * Signs release tags and channel records with an OpenPGP secret key read from an armored file (a settings.xml
 * {@code <server>}'s {@code <privateKey>}, or {@code -Ditsvc.signingKey}), with BouncyCastle: no {@code gpg} and no
 * keyring needed. As a JGit {@link Signer} it signs annotated tags the way {@code git tag -s} does, so
 * {@code git tag -v} verifies them with the public key.
 */
public final class ReleaseSigner implements Signer {

    private final OpenPGPKey key;
    private final PGPKeyPair pair;

    private ReleaseSigner(OpenPGPKey key, PGPKeyPair pair) {
        this.key = key;
        this.pair = pair;
    }

    /**
     * @param passphrase the key's passphrase, or {@code null} for an unprotected key; cleared by the caller after
     */
    public static ReleaseSigner fromFile(Path keyFile, char[] passphrase) throws ReleaseException {
        byte[] armored;
        try {
            armored = Files.readAllBytes(keyFile);
        } catch (IOException e) {
            throw new ReleaseException("cannot read the signing key " + keyFile + ": " + e.getMessage(),
                    "point <privateKey> of the signing <server> in settings.xml (or -Ditsvc.signingKey) at an armored"
                            + " OpenPGP secret key: gpg --export-secret-keys --armor <fingerprint> > key.asc");
        }
        OpenPGPKey key;
        try {
            key = new BcOpenPGPApi(new BcOpenPGPImplementation()).readKeyOrCertificate().parseKey(armored);
        } catch (IOException | RuntimeException e) {
            throw new ReleaseException("the signing key " + keyFile + " holds no OpenPGP secret key",
                    "export one with: gpg --export-secret-keys --armor <fingerprint> > " + keyFile.getFileName());
        }
        List<OpenPGPComponentKey> signing = key.getSigningKeys(new Date());
        if (signing.isEmpty()) {
            throw new ReleaseException("the signing key " + keyFile + " has no valid signing key (expired, revoked,"
                    + " or not marked for signing)", "use a key that may sign: gpg --quick-add-key <fingerprint> ed25519 sign");
        }
        OpenPGPComponentKey signer = signing.get(signing.size() - 1); // the newest signing subkey, as gpg picks
        try {
            var secret = key.getSecretKey(signer);
            if (secret == null) {
                throw new ReleaseException("the signing key " + keyFile + " lacks the secret part of its signing key",
                        "export the secret key: gpg --export-secret-keys --armor <fingerprint>");
            }
            PGPKeyPair pair = secret.isLocked()
                    ? secret.unlock(passphrase == null ? new char[0] : passphrase).getKeyPair()
                    : secret.unlock().getKeyPair();
            return new ReleaseSigner(key, pair);
        } catch (PGPException e) {
            throw new ReleaseException("cannot unlock the signing key " + keyFile + " (wrong or missing passphrase)",
                    "put its passphrase in <passphrase> of the signing <server> in settings.xml (encrypted with mvn"
                            + " --encrypt-password)");
        }
    }

    /** The primary key's fingerprint, upper-case hex, as subscribers list it. */
    public String fingerprint() {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /** An armored detached binary-document signature over {@code data}. */
    public byte[] signDetached(byte[] data) {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA512),
                    pair.getPublicKey());
            generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, pair.getPublicKey());
            generator.setHashedSubpackets(hashed.generate());
            generator.update(data);
            PGPSignature signature = generator.generate();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream armor = ArmoredOutputStream.builder().build(out)) {
                signature.encode(armor);
            }
            return out.toByteArray();
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public GpgSignature sign(Repository repository, GpgConfig config, byte[] data, PersonIdent committer,
            String signingKey, CredentialsProvider credentialsProvider) {
        return new GpgSignature(signDetached(data));
    }

    @Override
    public boolean canLocateSigningKey(Repository repository, GpgConfig config, PersonIdent committer,
            String signingKey, CredentialsProvider credentialsProvider) {
        return true;
    }

    @Override
    public String toString() {
        return "OpenPGP key " + fingerprint();
    }
}
