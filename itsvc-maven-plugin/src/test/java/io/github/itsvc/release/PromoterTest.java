package io.github.itsvc.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** promote against a real upstream (git daemon on loopback), from a second clone as a release manager would. */
class PromoterTest {

    static final List<String> CHANNELS = List.of("dev", "beta", "live");

    @RegisterExtension
    static final GitUpstreams upstreams = new GitUpstreams();

    ReleaseKeys keys;

    @TempDir
    Path dir;

    String name;
    Project project;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void upstream() throws Exception {
        keys = upstreams.openPgp("publisher");
        name = upstreams.newBare();
        project = Project.create(dir.resolve("publisher"), upstreams.url(name));
        new Releaser(Clock.systemUTC(), log::add).release(project.request("1.4.0", keys.signer()));
    }

    private ChannelRecord promote(String version, String to) throws Exception {
        // Another clone of the upstream: the release manager's, which has never seen the channels.
        Path clone = dir.resolve("manager-" + version + "-" + to);
        if (!Files.exists(clone)) {
            try (var git = org.eclipse.jgit.api.Git.init().setDirectory(clone.toFile()).call()) {
                var config = git.getRepository().getConfig();
                config.setString("remote", "origin", "url", upstreams.url(name));
                config.save();
            }
        }
        return new Promoter(Clock.systemUTC(), log::add).promote(new Promoter.Request(clone, version, to, CHANNELS,
                "origin", Upstream.Access.NONE, keys.signer(), Duration.ofDays(30)));
    }

    private Channels.Entry head(String channel) throws Exception {
        try (Repository upstream = upstreams.open(name)) {
            return Channels.head(upstream, channel);
        }
    }

    @Test
    void movesAReleaseOnChannelByChannelWithSignedRecords() throws Exception {
        ChannelRecord beta = promote("1.4.0", "beta");
        assertThat(beta.release()).isEqualTo("1.4.0");
        assertThat(beta.sequence()).isEqualTo(1);
        assertThat(beta.tag()).isEqualTo(head("dev").record().tag());
        ChannelRecord live = promote("1.4.0", "live");
        assertThat(head("live").record()).isEqualTo(live);
        assertThat(Signatures.verifyRecord(head("live"), keys.trusted(), dir.resolve("scratch"), "fix"))
                .isEqualTo(keys.signer().fingerprint());
        assertThat(log).anyMatch(l -> l.startsWith("Promoted team-wiki 1.4.0 from beta to live (sequence 1"));
    }

    @Test
    void refusesToSkipAChannel() throws Exception {
        assertThatThrownBy(() -> promote("1.4.0", "live")).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("1.4.0 has never been on channel beta, so it cannot move on to live")
                .hasMessageContaining("fix: promote it to beta first");
        assertThat(head("live")).isNull();
    }

    @Test
    void refusesAnOlderOrTheSameRelease() throws Exception {
        promote("1.4.0", "beta");
        assertThatThrownBy(() -> promote("1.4.0", "beta")).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("channel beta already carries 1.4.0, which is not older than 1.4.0");
        assertThat(head("beta").record().sequence()).isEqualTo(1);
    }

    @Test
    void refusesTheFirstChannelAndUnknownOnes() throws Exception {
        assertThatThrownBy(() -> promote("1.4.0", "dev")).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("channel dev is the first: releases start there");
        assertThatThrownBy(() -> promote("1.4.0", "prod")).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("there is no channel 'prod'; the channels are dev -> beta -> live");
    }
}
