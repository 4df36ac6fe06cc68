package io.github.itsvc.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.binaries.OpenPgp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseSignerTest {

    @TempDir
    Path dir;

    @Test
    void aPassphraseProtectedKeySignsWhatItsPublicKeyVerifies() throws Exception {
        ReleaseKeys keys = ReleaseKeys.generate(dir, "protected", "correct horse");
        byte[] data = "{\"release\":\"1.0.0\"}\n".getBytes(StandardCharsets.UTF_8);
        Path dataFile = Files.write(dir.resolve("channel.json"), data);
        Path signature = Files.write(dir.resolve("channel.json.asc"), keys.signer().signDetached(data));

        assertThat(new String(Files.readAllBytes(signature), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN PGP SIGNATURE-----");
        assertThat(OpenPgp.verifyDetached(dataFile, signature, keys.openPgpTrusted())).isEqualTo(keys.signer().fingerprint());
    }

    @Test
    void aWrongPassphraseIsToldWithoutTheKeyOrThePassphrase() throws Exception {
        ReleaseKeys keys = ReleaseKeys.generate(dir, "protected", "correct horse");
        assertThatThrownBy(() -> ReleaseSigner.fromFile(keys.secretKey(), "wrong".toCharArray()))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("cannot unlock the signing key " + keys.secretKey())
                .hasMessageNotContaining("wrong\"").hasMessageNotContaining("correct horse")
                .hasMessageContaining("fix: put its passphrase in <passphrase>");
    }

    @Test
    void aPublicKeyIsNotASigningKey() throws Exception {
        ReleaseKeys keys = ReleaseKeys.generate(dir, "plain");
        assertThatThrownBy(() -> ReleaseSigner.fromFile(keys.publicKey(), null)).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("holds no OpenPGP secret key")
                .hasMessageContaining("fix: export one with: gpg --export-secret-keys --armor");
    }
}
