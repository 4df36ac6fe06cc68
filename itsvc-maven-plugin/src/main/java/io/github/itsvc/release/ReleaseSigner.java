package io.github.itsvc.release;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
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
 * Signs release tags and channel records with a key read from a file (a settings.xml {@code <server>}'s
 * {@code <privateKey>}, or {@code -Ditsvc.signingKey}): an armored OpenPGP secret key, signed with BouncyCastle (no
 * {@code gpg} and no keyring needed), or an OpenSSH private key ({@code ~/.ssh/id_ed25519}), signed in git's SSH
 * format ({@link SshSig}). The file's content says which. As a JGit {@link Signer} it signs annotated tags the way
 * {@code git tag -s} does ({@code gpg.format=ssh} for an SSH key), so {@code git tag -v} verifies them.
 */
public final class ReleaseSigner implements Signer {

    private static final List<String> SSH_PRIVATE_KEYS = List.of("-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----");

    private final OpenPGPKey key;
    private final PGPKeyPair pair;
    private final KeyPair sshPair;

    private ReleaseSigner(OpenPGPKey key, PGPKeyPair pair, KeyPair sshPair) {
        this.key = key;
        this.pair = pair;
        this.sshPair = sshPair;
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
                            + " OpenPGP secret key (gpg --export-secret-keys --armor <fingerprint> > key.asc) or an"
                            + " OpenSSH private key (~/.ssh/id_ed25519)");
        }
        String text = new String(armored, 0, Math.min(armored.length, 200), StandardCharsets.US_ASCII).strip();
        if (SSH_PRIVATE_KEYS.stream().anyMatch(text::startsWith)) {
            return fromSshKey(keyFile, armored, passphrase);
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
            return new ReleaseSigner(key, pair, null);
        } catch (PGPException e) {
            throw new ReleaseException("cannot unlock the signing key " + keyFile + " (wrong or missing passphrase)",
                    "put its passphrase in <passphrase> of the signing <server> in settings.xml (encrypted with mvn"
                            + " --encrypt-password)");
        }
    }

    private static ReleaseSigner fromSshKey(Path keyFile, byte[] content, char[] passphrase)
            throws ReleaseException {
        Iterable<KeyPair> pairs;
        try {
            pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(keyFile.toString()),
                    new ByteArrayInputStream(content),
                    passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(new String(passphrase)));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ReleaseException("cannot unlock the SSH signing key " + keyFile + " (wrong or missing"
                    + " passphrase, or a key type sshd does not read)", "put its passphrase in <passphrase> of the"
                            + " signing <server> in settings.xml (encrypted with mvn --encrypt-password)");
        }
        if (pairs == null || !pairs.iterator().hasNext()) {
            throw new ReleaseException("the signing key " + keyFile + " holds no SSH private key",
                    "point -Ditsvc.signingKey (or <privateKey>) at the private key, not its .pub");
        }
        KeyPair pair = pairs.iterator().next();
        try {
            SshSig.sign(pair, new byte[0]); // an algorithm sshd cannot sign with is said now, not at the push
        } catch (GeneralSecurityException e) {
            throw new ReleaseException("the SSH key " + keyFile + " cannot sign: " + e.getMessage(),
                    "use an ed25519, ecdsa or rsa key: ssh-keygen -t ed25519");
        }
        return new ReleaseSigner(null, null, pair);
    }

    /**
     * How subscribers list the key: an OpenPGP primary key's fingerprint, upper-case hex, or an SSH key's
     * {@code SHA256:} fingerprint.
     */
    public String fingerprint() {
        return sshPair != null ? SshSig.fingerprint(sshPair.getPublic())
                : Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /** An armored detached signature over {@code data}: OpenPGP binary-document, or SSH in the git namespace. */
    public byte[] signDetached(byte[] data) {
        if (sshPair != null) {
            try {
                return SshSig.sign(sshPair, data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("signing failed: " + e.getMessage(), e);
            }
        }
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
        return (sshPair != null ? "SSH key " : "OpenPGP key ") + fingerprint();
    }
}
