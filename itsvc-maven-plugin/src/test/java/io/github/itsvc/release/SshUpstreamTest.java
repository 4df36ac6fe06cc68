package io.github.itsvc.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * release, promote and sync through an {@code ssh://} upstream served by a real OpenSSH {@code sshd} on loopback, with
 * SSH-signed releases; and the two ways an SSH connection is refused: a host not in known_hosts, a key the server does
 * not authorize.
 */
class SshUpstreamTest {

    @TempDir
    static Path shared;

    static SshGitServer server;
    static Path manager;
    static ReleaseKeys signing;

    @TempDir
    Path dir;

    final List<String> log = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        manager = SshGitServer.userDirectory(shared.resolve("manager-ssh"));
        server = SshGitServer.start(shared.resolve("sshd"), List.of(manager.resolve("id_ed25519.pub")));
        server.trustIn(manager);
        signing = ReleaseKeys.generateSsh(shared.resolve("keys"), "publisher");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private Path bare(String name) throws Exception {
        Path repo = dir.resolve("upstream").resolve(name);
        Git.init().setBare(true).setDirectory(repo.toFile()).call().close();
        return repo;
    }

    private static Upstream.Access access(Path sshDirectory) {
        return new Upstream.Access(null, null, sshDirectory, null, null);
    }

    @Test
    void releasesPromotesAndSyncsOverSshWithAnSshSignedRelease() throws Exception {
        Path upstream = bare("team-wiki.git");
        String url = server.url(upstream);
        try (Project project = Project.create(dir.resolve("publisher"), url)) {
            var released = project.request("1.4.0", signing.signer());
            released = new Releaser.Request(released.basedir(), released.service(), released.version(),
                    released.site(), released.evidence(), released.configDigest(), released.binaries(),
                    released.templates(), released.remote(), access(manager), released.signer(), released.channel(),
                    released.validity());
            new Releaser(Clock.systemUTC(), log::add).release(released);
        }
        new Promoter(Clock.systemUTC(), log::add).promote(new Promoter.Request(dir.resolve("publisher"), "1.4.0",
                "beta", List.of("dev", "beta", "live"), "origin", access(manager), signing.signer(),
                Duration.ofDays(30)));
        try (Repository bare = new FileRepositoryBuilder().setGitDir(upstream.toFile()).build()) {
            assertThat(bare.exactRef("refs/tags/v1.4.0")).isNotNull();
            assertThat(Channels.head(bare, "beta").record().release()).isEqualTo("1.4.0");
        }

        List<String> deployed = new ArrayList<>();
        Syncer.Result result = new Syncer(Clock.systemUTC(), log::add).sync(new Syncer.Request(Project.SERVICE,
                "live", url, "beta", Versions.Level.PATCH, signing.trusted(), dir.resolve("subscriber"),
                access(manager)), (folder, version) -> {
                    deployed.add(version);
                    return new Syncer.Deployment(true, List.of("Checks: 1 passed, 0 failed of 1"));
                });
        assertThat(result.outcome()).isEqualTo(Syncer.Outcome.DEPLOYED);
        assertThat(deployed).containsExactly("1.4.0");
        assertThat(String.join("\n", result.lines())).contains("signed by " + signing.signer().fingerprint());
        assertThat(signing.signer().fingerprint()).startsWith("SHA256:");
    }

    @Test
    void readsTheSshConfigForAnScpLikeUrl() throws Exception {
        Path upstream = bare("scp-like.git");
        // A host alias as users write one in ~/.ssh/config; scp-like URLs have no port of their own.
        Path configured = Files.createDirectories(dir.resolve("configured"));
        Files.copy(manager.resolve("id_ed25519"), configured.resolve("id_ed25519"));
        Files.copy(manager.resolve("known_hosts"), configured.resolve("known_hosts"));
        Files.writeString(configured.resolve("config"), "Host upstream\n  HostName 127.0.0.1\n  Port "
                + server.port() + "\n  User " + System.getProperty("user.name") + "\n");
        String url = "upstream:" + upstream.toAbsolutePath();
        assertThat(Upstream.isSsh(url)).isTrue();

        try (Project project = Project.create(dir.resolve("scp"), url)) {
            project.git.tag().setName("marker").call();
            assertThat(new Upstream(url, access(configured)).push(project.git.getRepository(),
                    List.of("refs/heads/main", "refs/tags/marker"))).isNull();
            assertThat(new Upstream(url, access(configured)).refs()).containsKeys("refs/heads/main",
                    "refs/tags/marker");
        }
    }

    @Test
    void refusesAHostNotInKnownHostsAndSaysHowToAddIt() throws Exception {
        Path upstream = bare("unknown-host.git");
        // The right key, but no known_hosts: a first connection, which must not be accepted silently.
        Path stranger = Files.createDirectories(dir.resolve("no-known-hosts"));
        Files.copy(manager.resolve("id_ed25519"), stranger.resolve("id_ed25519"));
        Files.copy(manager.resolve("id_ed25519.pub"), stranger.resolve("id_ed25519.pub"));
        Upstream upstreamRepo = new Upstream(server.url(upstream), access(stranger));

        assertThatThrownBy(upstreamRepo::refs).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("the host [127.0.0.1]:" + server.port() + " of the upstream repository "
                        + server.url(upstream) + " is not in " + stranger + "/known_hosts")
                .hasMessageContaining("SHA256:")
                .hasMessageContaining("fix: check that fingerprint with the server's administrator, then add the key:"
                        + " ssh-keyscan -t ed25519 -p " + server.port() + " 127.0.0.1 >> " + stranger
                        + "/known_hosts");
        assertThat(stranger.resolve("known_hosts")).doesNotExist();
    }

    @Test
    void refusesAChangedHostKey() throws Exception {
        Path upstream = bare("changed-host.git");
        Path other = Files.createDirectories(dir.resolve("changed"));
        Files.copy(manager.resolve("id_ed25519"), other.resolve("id_ed25519"));
        Path fake = SshGitServer.keygen(dir.resolve("fake-host"), "another host");
        String[] key = Files.readString(fake.resolveSibling("fake-host.pub")).split(" ");
        Files.writeString(other.resolve("known_hosts"), "[127.0.0.1]:" + server.port() + " " + key[0] + " " + key[1]
                + "\n");

        assertThatThrownBy(() -> new Upstream(server.url(upstream), access(other)).refs())
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("is not the one " + other + "/known_hosts lists for it: refused")
                .hasMessageContaining("fix: if the server's key really changed");
    }

    @Test
    void refusesAKeyTheServerDoesNotAuthorize() throws Exception {
        Path upstream = bare("wrong-key.git");
        Path wrong = SshGitServer.userDirectory(dir.resolve("wrong-key"));
        server.trustIn(wrong);

        assertThatThrownBy(() -> new Upstream(server.url(upstream), access(wrong)).refs())
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("the SSH server of the upstream repository " + server.url(upstream)
                        + " refused the keys offered")
                .hasMessageContaining("fix: give the account's private key to the <server> of the upstream in"
                        + " settings.xml");

        // The same key named in settings.xml (<privateKey>) instead of the SSH directory's: let in.
        var named = new Upstream.Access(null, null, wrong, manager.resolve("id_ed25519"), null);
        assertThat(new Upstream(server.url(upstream), named).refs()).isEmpty();
    }
}
