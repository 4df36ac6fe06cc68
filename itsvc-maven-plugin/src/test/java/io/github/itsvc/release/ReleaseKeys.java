package io.github.itsvc.release;

import io.github.itsvc.binaries.OpenPgp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;

/**
 * Real keys made for a test, OpenPGP or SSH: a secret key file a publisher signs with, the public key a subscriber
 * trusts.
 * Without a passphrase: BouncyCastle protects new keys with Argon2, seconds per unlock on a busy machine
 * ({@link ReleaseSignerTest} covers protected keys).
 */
record ReleaseKeys(Path secretKey, Path publicKey, ReleaseSigner signer) {

    static ReleaseKeys generate(Path dir, String name) throws Exception {
        return generate(dir, name, null);
    }

    static ReleaseKeys generate(Path dir, String name, String passphrase) throws Exception {
        var generator = new BcOpenPGPApi(new BcOpenPGPImplementation())
                .generateKey(4, new Date(System.currentTimeMillis() / 1000 * 1000 - 86_400_000L))
                .ed25519x25519Key(name + " <" + name + "@publisher.example>");
        OpenPGPKey key = passphrase == null ? generator.build() : generator.build(passphrase.toCharArray());
        Files.createDirectories(dir);
        Path secret = Files.writeString(dir.resolve(name + "-secret.asc"), key.toAsciiArmoredString(),
                StandardCharsets.US_ASCII);
        Path pub = Files.writeString(dir.resolve(name + ".asc"), key.toCertificate().toAsciiArmoredString(),
                StandardCharsets.US_ASCII);
        ReleaseSigner signer = ReleaseSigner.fromFile(secret, passphrase == null ? null : passphrase.toCharArray());
        return new ReleaseKeys(secret, pub, signer);
    }

    /** An ed25519 SSH key made by {@code ssh-keygen}, without passphrase: {@code <name>} and {@code <name>.pub}. */
    static ReleaseKeys generateSsh(Path dir, String name) throws Exception {
        Path secret = SshGitServer.keygen(dir.resolve(name + "-ssh"), name + "@publisher.example");
        return new ReleaseKeys(secret, dir.resolve(name + "-ssh.pub"), ReleaseSigner.fromFile(secret, null));
    }

    TrustedSigners trusted() throws Exception {
        return TrustedSigners.load(List.of(publicKey));
    }

    OpenPgp.TrustedKeys openPgpTrusted() throws Exception {
        return OpenPgp.loadKeys(List.of(publicKey));
    }
}
