package io.github.itsvc.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH signatures as OpenSSH and git make and check them: what itsvc signs, {@code ssh-keygen -Y verify} and
 * {@code git tag -v} (gpg.format=ssh) accept, and what they sign, itsvc accepts. Plus the trusted-key files and a
 * protected key's passphrase.
 */
class SshSigningTest {

    @TempDir
    Path dir;

    private static String run(Path workDir, Path stdin, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private Path allowedSigners(ReleaseKeys keys) throws Exception {
        return Files.writeString(dir.resolve("allowed_signers"), "publisher@publisher.example "
                + Files.readString(keys.publicKey()));
    }

    @Test
    void whatItsvcSignsSshKeygenVerifies() throws Exception {
        ReleaseKeys keys = ReleaseKeys.generateSsh(dir, "publisher");
        byte[] data = "{\"release\":\"1.0.0\"}\n".getBytes(StandardCharsets.UTF_8);
        Path dataFile = Files.write(dir.resolve("channel.json"), data);
        Files.write(dir.resolve("channel.json.sig"), keys.signer().signDetached(data));

        String output = run(dir, dataFile, "ssh-keygen", "-Y", "verify", "-f", allowedSigners(keys).toString(), "-I",
                "publisher@publisher.example", "-n", "git", "-s", "channel.json.sig");
        assertThat(output).contains("Good \"git\" signature for publisher@publisher.example with ED25519 key "
                + keys.signer().fingerprint());
    }

    @Test
    void whatSshKeygenSignsItsvcVerifiesAndOnlyInTheGitNamespace() throws Exception {
        ReleaseKeys keys = ReleaseKeys.generateSsh(dir, "publisher");
        byte[] data = "{\"release\":\"1.0.0\"}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("channel.json"), data);
        run(dir, null, "ssh-keygen", "-Y", "sign", "-f", keys.secretKey().toString(), "-n", "git", "channel.json");
        SshSig.Parsed parsed = SshSig.parse(Files.readAllBytes(dir.resolve("channel.json.sig")));
        assertThat(SshSig.verify(parsed, data)).isTrue();
        assertThat(SshSig.verify(parsed, "{\"release\":\"1.0.1\"}\n".getBytes(StandardCharsets.UTF_8))).isFalse();

        // A signature made for another purpose (a file namespace) does not sign a release.
        Files.delete(dir.resolve("channel.json.sig"));
        run(dir, null, "ssh-keygen", "-Y", "sign", "-f", keys.secretKey().toString(), "-n", "file", "channel.json");
        assertThat(SshSig.verify(SshSig.parse(Files.readAllBytes(dir.resolve("channel.json.sig"))), data)).isFalse();
    }

    @Test
    void gitVerifiesAnSshSignedReleaseTag() throws Exception {
        ReleaseKeys keys = ReleaseKeys.generateSsh(dir, "publisher");
        Path work = dir.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).call()) {
            Files.writeString(work.resolve("a"), "a\n");
            git.add().addFilepattern("a").call();
            PersonIdent me = new PersonIdent("Release Manager", "publisher@publisher.example");
            var commit = git.commit().setMessage("a").setAuthor(me).setCommitter(me).setSign(false).call();
            var tag = git.tag().setName("v1.0.0").setObjectId(commit).setAnnotated(true).setMessage("Release 1.0.0\n")
                    .setTagger(me).setSigned(true).setSigner(keys.signer()).call();
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                // And itsvc itself takes the tag git takes.
                assertThat(Signatures.verifyTag(walk.parseTag(tag.getObjectId()), keys.trusted(), dir.resolve("tmp"),
                        "fix")).isEqualTo(keys.signer().fingerprint());
            }
        }
        String output = run(work, null, "git", "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile="
                + allowedSigners(keys), "tag", "-v", "v1.0.0");
        assertThat(output).contains("Good \"git\" signature for publisher@publisher.example");
    }

    @Test
    void aProtectedSshKeyNeedsItsPassphraseWhichNoMessageShows() throws Exception {
        Path key = SshGitServer.keygen(dir.resolve("protected"), "protected", "correct horse");
        assertThatThrownBy(() -> ReleaseSigner.fromFile(key, "wrong".toCharArray()))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("cannot unlock the SSH signing key " + key)
                .hasMessageNotContaining("wrong\"").hasMessageNotContaining("correct horse")
                .hasMessageContaining("fix: put its passphrase in <passphrase>");
        assertThat(ReleaseSigner.fromFile(key, "correct horse".toCharArray()).fingerprint()).startsWith("SHA256:");
    }

    @Test
    void trustedKeysMixOpenPgpFilesPubFilesAndAllowedSignersLines() throws Exception {
        ReleaseKeys pgp = ReleaseKeys.generate(dir, "pgp");
        ReleaseKeys ssh = ReleaseKeys.generateSsh(dir, "ssh");
        ReleaseKeys other = ReleaseKeys.generateSsh(dir, "other");
        Path allowed = Files.writeString(dir.resolve("allowed_signers"), "# publishers\n\n"
                + "release@publisher.example,ci@publisher.example namespaces=\"git\" "
                + Files.readString(other.publicKey()));

        TrustedSigners trusted = TrustedSigners.load(List.of(pgp.publicKey(), ssh.publicKey(), allowed));
        assertThat(trusted.fingerprints()).containsExactlyInAnyOrder(pgp.signer().fingerprint(),
                ssh.signer().fingerprint(), other.signer().fingerprint());
    }

    @Test
    void aLineThatIsNoKeyIsReportedWithItsPlace() throws Exception {
        ReleaseKeys ssh = ReleaseKeys.generateSsh(dir, "ssh");
        Path file = Files.writeString(dir.resolve("keys.txt"), Files.readString(ssh.publicKey())
                + "ssh-ed25519 not-base64 broken\n");
        assertThatThrownBy(() -> TrustedSigners.load(List.of(file))).isInstanceOf(ReleaseException.class)
                .hasMessageContaining(file + ":2:1: no SSH public key on this line")
                .hasMessageContaining("fix: write the key as its .pub file has it");
    }
}
