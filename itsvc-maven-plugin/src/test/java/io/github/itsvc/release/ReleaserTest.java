package io.github.itsvc.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** release against a real upstream served by git daemon on loopback, with real OpenPGP keys. */
class ReleaserTest {

    @RegisterExtension
    static final GitUpstreams upstreams = new GitUpstreams();

    ReleaseKeys keys;

    @TempDir
    Path dir;

    final List<String> log = new ArrayList<>();

    @BeforeEach
    void keys() throws Exception {
        keys = upstreams.openPgp("publisher");
    }

    private String newUpstream() throws Exception {
        return upstreams.newBare();
    }

    private Releaser releaser() {
        return new Releaser(Clock.systemUTC(), log::add);
    }

    private Repository upstreamRepository(String name) throws Exception {
        return upstreams.open(name);
    }

    @Test
    void tagsSignsPushesAndPublishesOnTheFirstChannel() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            var result = releaser().release(project.request("1.4.0", keys.signer()));

            assertThat(result.tag()).isEqualTo("v1.4.0");
            assertThat(result.record().sequence()).isEqualTo(1);
            assertThat(result.record().release()).isEqualTo("1.4.0");
            try (Repository upstream = upstreamRepository(name); RevWalk walk = new RevWalk(upstream)) {
                ObjectId tagId = upstream.exactRef("refs/tags/v1.4.0").getObjectId();
                assertThat(tagId).isEqualTo(result.tagId());
                RevTag tag = walk.parseTag(tagId);
                ReleaseManifest manifest = ReleaseManifest.fromTagMessage(tag.getFullMessage(), "v1.4.0");
                assertThat(manifest.service()).isEqualTo("team-wiki");
                assertThat(manifest.version()).isEqualTo("1.4.0");
                assertThat(manifest.commit()).isEqualTo(project.git.getRepository().resolve("HEAD").name());
                assertThat(manifest.binaries()).containsKey("tomcat");
                assertThat(manifest.templates()).containsEntry("io.github.itsvc:itsvc-templates", "0.1.0");
                assertThat(manifest.configDigest()).isEqualTo(project.passingEvidence().configDigest());
                assertThat(manifest.tests()).startsWith("Checks: 2 passed, 0 failed");
                assertThat(Signatures.verifyTag(tag, keys.trusted(), dir.resolve("scratch"), "fix"))
                        .isEqualTo(keys.signer().fingerprint());

                Channels.Entry dev = Channels.head(upstream, "dev");
                assertThat(dev.record()).isEqualTo(result.record());
                assertThat(dev.record().tag()).isEqualTo(tagId.name());
                assertThat(Signatures.verifyRecord(dev, keys.trusted(), dir.resolve("scratch"), "fix"))
                        .isEqualTo(keys.signer().fingerprint());
            }
        }
    }

    @Test
    void theNextReleaseTakesTheNextSequence() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            releaser().release(project.request("1.4.0", keys.signer()));
            project.change("version 2");
            var second = releaser().release(project.request("1.4.1", keys.signer()));
            assertThat(second.record().sequence()).isEqualTo(2);
            try (Repository upstream = upstreamRepository(name)) {
                assertThat(Channels.history(upstream, "dev", 10)).extracting(e -> e.record().release())
                        .containsExactly("1.4.1", "1.4.0");
            }
        }
    }

    @Test
    void refusesADirtyWorkTree() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            Files.writeString(project.dir.resolve("src/main/itsvc/service.yaml"), "name: team-wiki\n# edited\n");
            Files.writeString(project.dir.resolve("notes.txt"), "new\n");
            var request = project.request("1.4.0", keys.signer());
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("not committed: notes.txt, src/main/itsvc/service.yaml")
                    .hasMessageContaining("fix: commit them");
            assertNothingReleased(project, name);
        }
    }

    @Test
    void refusesACommitWithoutTestEvidence() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            var request = project.request("1.4.0", keys.signer(), null);
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("no test evidence for site dev")
                    .hasMessageContaining("fix: run mvn verify");
            assertNothingReleased(project, name);
        }
    }

    @Test
    void refusesEvidenceOfAFailedTest() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            Evidence passing = project.passingEvidence();
            Evidence failed = new Evidence("dev", passing.configDigest(), 2, 1, 1, 0, passing.finished());
            var request = project.request("1.4.0", keys.signer(), failed);
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("did not pass: Checks: 1 passed, 1 failed");
            assertNothingReleased(project, name);
        }
    }

    @Test
    void refusesEvidenceOfAnotherConfiguration() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            Evidence tested = project.passingEvidence();
            project.change("changed after the test");
            var request = project.request("1.4.0", keys.signer(), tested);
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("tested another configuration");
            assertNothingReleased(project, name);
        }
    }

    @Test
    void refusesATagThatExistsHere() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            project.git.tag().setName("v1.4.0").setAnnotated(true).setMessage("by hand").setSigned(false).call();
            var request = project.request("1.4.0", keys.signer());
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("tag v1.4.0 already exists here")
                    .hasMessageContaining("fix: set the next version in pom.xml's <version> (say 1.4.1-SNAPSHOT)");
            try (Repository upstream = upstreamRepository(name)) {
                assertThat(upstream.getRefDatabase().getRefs()).isEmpty();
            }
        }
    }

    @Test
    void refusesATagThatExistsUpstreamBeforeWritingAnything() throws Exception {
        String name = newUpstream();
        try (Project other = Project.create(dir.resolve("other"), upstreams.url(name))) {
            other.git.tag().setName("v1.4.0").setAnnotated(true).setMessage("elsewhere").setSigned(false).call();
            other.git.push().setRemote(upstreams.url(name)).setPushTags().call();
        }
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            var request = project.request("1.4.0", keys.signer());
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("tag v1.4.0 already exists in " + upstreams.url(name));
            assertThat(project.git.getRepository().exactRef("refs/tags/v1.4.0")).isNull();
            assertThat(project.git.getRepository().getRefDatabase().getRefsByPrefix(Channels.REF_PREFIX)).isEmpty();
        }
    }

    @Test
    void aFailedPushLeavesNoTagAndNoRecordBehind() throws Exception {
        String name = newUpstream();
        // The read-only daemon answers ls-remote and fetch, and refuses the push.
        try (Project project = Project.create(dir.resolve("p"), upstreams.readOnlyUrl(name))) {
            var request = project.request("1.4.0", keys.signer());
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("push of v1.4.0 and channel dev to " + upstreams.readOnlyUrl(name) + " failed")
                    .hasMessageContaining("tag v1.4.0 was removed here");
            assertNothingReleased(project, name);
            // The same release goes through once the upstream takes pushes.
            var config = project.git.getRepository().getConfig();
            config.setString("remote", "origin", "url", upstreams.url(name));
            config.save();
            assertThat(releaser().release(project.request("1.4.0", keys.signer())).tag()).isEqualTo("v1.4.0");
        }
    }

    @Test
    void refusesAVersionNotNewerThanTheFirstChannelCarries() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            releaser().release(project.request("1.4.0", keys.signer()));
            project.change("hotfix");
            var request = project.request("1.3.9", keys.signer());
            assertThatThrownBy(() -> releaser().release(request)).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("channel dev already carries 1.4.0, which is not older than 1.3.9");
            assertThat(project.git.getRepository().exactRef("refs/tags/v1.3.9")).isNull();
        }
    }

    @Test
    void withoutASigningKeyTheReleaseIsUnsignedAndSaysSo() throws Exception {
        String name = newUpstream();
        try (Project project = Project.create(dir.resolve("p"), upstreams.url(name))) {
            var result = releaser().release(project.request("1.0.0", null));
            assertThat(log).anyMatch(l -> l.startsWith("WARNING: no signing key"));
            try (Repository upstream = upstreamRepository(name); RevWalk walk = new RevWalk(upstream)) {
                assertThat(Channels.head(upstream, "dev").signature()).isNull();
                RevTag tag = walk.parseTag(result.tagId());
                assertThat(tag.getRawGpgSignature()).isNull();
            }
        }
    }

    @Test
    void snapshotVersionsReleaseWithoutTheSuffix() throws Exception {
        assertThat(Versions.releaseVersion("1.4.0-SNAPSHOT")).isEqualTo("1.4.0");
        assertThat(Versions.releaseVersion("2.0.1")).isEqualTo("2.0.1");
        assertThatThrownBy(() -> Versions.releaseVersion("1.4-SNAPSHOT")).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("'1.4-SNAPSHOT' is not a semantic version");
    }

    private void assertNothingReleased(Project project, String name) throws Exception {
        Repository local = project.git.getRepository();
        assertThat(local.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)).isEmpty();
        assertThat(local.getRefDatabase().getRefsByPrefix(Channels.REF_PREFIX)).isEmpty();
        try (Repository upstream = upstreamRepository(name)) {
            assertThat(upstream.getRefDatabase().getRefs()).isEmpty();
        }
    }
}
