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

/** Real OpenPGP keys made for a test: a secret key file a publisher signs with, the public key a subscriber trusts. */
record ReleaseKeys(Path secretKey, Path publicKey, String passphrase) {

    /** An Ed25519 key protected by a passphrase, as {@code gpg --quick-gen-key} makes them. */
    static ReleaseKeys generate(Path dir, String name) throws Exception {
        String passphrase = "pass-" + name;
        OpenPGPKey key = new BcOpenPGPApi(new BcOpenPGPImplementation())
                .generateKey(4, new Date(System.currentTimeMillis() / 1000 * 1000 - 86_400_000L))
                .ed25519x25519Key(name + " <" + name + "@publisher.example>")
                .build(passphrase.toCharArray()); // a v4 key: v6 keys' Argon2 takes seconds
        Files.createDirectories(dir);
        Path secret = Files.writeString(dir.resolve(name + "-secret.asc"), key.toAsciiArmoredString(),
                StandardCharsets.US_ASCII);
        Path pub = Files.writeString(dir.resolve(name + ".asc"), key.toCertificate().toAsciiArmoredString(),
                StandardCharsets.US_ASCII);
        return new ReleaseKeys(secret, pub, passphrase);
    }

    ReleaseSigner signer() throws ReleaseException {
        return ReleaseSigner.fromFile(secretKey, passphrase.toCharArray());
    }

    OpenPgp.TrustedKeys trusted() throws Exception {
        return OpenPgp.loadKeys(List.of(publicKey));
    }

    static OpenPgp.TrustedKeys trusted(ReleaseKeys... keys) throws Exception {
        return OpenPgp.loadKeys(java.util.Arrays.stream(keys).map(ReleaseKeys::publicKey).toList());
    }
}
