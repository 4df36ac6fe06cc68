package io.github.itsvc.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync against a real upstream (git daemon on loopback) with real keys. Each attack is made the way a hostile or
 * broken upstream would make it, by writing the upstream repository directly, and must be refused with nothing
 * deployed and the trusted state unchanged.
 */
class SyncerTest {

    @RegisterExtension
    static final GitUpstreams upstreams = new GitUpstreams();

    ReleaseKeys publisher;
    ReleaseKeys stranger;

    @TempDir
    Path dir;

    String name;
    Project project;
    Path state;
    final Deployer deployer = new Deployer();
    final List<String> log = new ArrayList<>();

    /** The publisher's and a stranger's key of the kind this class signs with; {@link SshSignedSyncerTest}: SSH. */
    ReleaseKeys keys(String name) throws Exception {
        return upstreams.openPgp(name);
    }

    @BeforeEach
    void upstream() throws Exception {
        publisher = keys("publisher");
        stranger = keys("stranger");
        name = upstreams.newBare();
        project = Project.create(dir.resolve("publisher"), upstreams.url(name));
        state = dir.resolve("subscriber/state");
    }

    /** Records what it was asked to deploy; fails the versions it is told to. */
    static final class Deployer implements Syncer.Deployer {
        final List<String> deployed = new ArrayList<>();
        final Set<String> failing = new HashSet<>();

        @Override
        public Syncer.Deployment deploy(Path folder, String version) throws IOException {
            assertThat(folder.resolve("src/main/itsvc/service.yaml")).exists();
            deployed.add(version);
            boolean passed = !failing.contains(version);
            return new Syncer.Deployment(passed, List.of("Checks: " + (passed ? "1 passed, 0 failed" : "0 passed,"
                    + " 1 failed") + " of 1"));
        }
    }

    private void release(String version, ReleaseSigner signer) throws Exception {
        if (project.git.getRepository().exactRef("refs/tags/v1.0.0") != null) {
            project.change("for " + version);
        }
        new Releaser(Clock.systemUTC(), log::add).release(project.request(version, signer));
    }

    private Syncer.Result sync() throws Exception {
        return sync(Clock.systemUTC(), Versions.Level.PATCH);
    }

    private Syncer.Result sync(Clock clock, Versions.Level accept) throws Exception {
        return sync(clock, accept, publisher.trusted());
    }

    private Syncer.Result sync(Clock clock, Versions.Level accept, TrustedSigners keys) throws Exception {
        return new Syncer(clock, log::add).sync(new Syncer.Request(Project.SERVICE, "live", upstreams.url(name), "dev",
                accept, keys, state, Upstream.Access.NONE), deployer);
    }

    private Repository upstreamRepository() throws IOException {
        return upstreams.open(name);
    }

    /** A record written straight into the upstream, as a hostile upstream would. */
    private void forgeRecord(String release, String tag, long sequence, ReleaseSigner signer, String channel)
            throws Exception {
        try (Repository upstream = upstreamRepository()) {
            Channels.Entry head = Channels.head(upstream, "dev");
            String commit;
            try (RevWalk walk = new RevWalk(upstream)) {
                commit = walk.parseTag(ObjectId.fromString(tag)).getObject().name();
            }
            Instant now = Instant.now();
            ChannelRecord record = new ChannelRecord(Project.SERVICE, channel, release, tag, commit, sequence,
                    now.toString(), now.plus(Duration.ofDays(30)).toString());
            ObjectId id = Channels.write(upstream, record, signer, head.commit(), new PersonIdent("x", "x@x"));
            Channels.move(upstream, "dev", head.commit(), id);
        }
    }

    /**
     * The channel's head record changed without the key (a later expiry, the next sequence), keeping the old
     * signature: what an upstream without the publisher's key can do to stretch a frozen channel.
     */
    private void forgeChangedRecord() throws Exception {
        try (Repository upstream = upstreamRepository(); ObjectInserter inserter = upstream.newObjectInserter()) {
            Channels.Entry head = Channels.head(upstream, "dev");
            ChannelRecord was = head.record();
            ChannelRecord changed = new ChannelRecord(was.service(), was.channel(), was.release(), was.tag(),
                    was.commit(), was.sequence() + 1, was.published(), Instant.now().plus(Duration.ofDays(365))
                            .toString());
            TreeFormatter tree = new TreeFormatter();
            tree.append(Channels.RECORD, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB,
                    Json.bytes(changed)));
            tree.append(Channels.SIGNATURE, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB,
                    head.signature()));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(tree));
            commit.setParentId(head.commit());
            commit.setAuthor(new PersonIdent("x", "x@x"));
            commit.setCommitter(new PersonIdent("x", "x@x"));
            commit.setMessage("stretched\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            Channels.move(upstream, "dev", head.commit(), id);
        }
    }

    /** A new tag object for a version, on the given commit, replacing the one upstream. */
    private String forgeTag(String version, String commit, ReleaseSigner signer) throws Exception {
        try (Repository upstream = upstreamRepository(); Git git = Git.wrap(upstream); RevWalk walk =
                new RevWalk(upstream)) {
            RevCommit target = walk.parseCommit(ObjectId.fromString(commit));
            Ref ref = git.tag().setName("v" + version).setObjectId(target).setAnnotated(true).setForceUpdate(true)
                    .setMessage("Release team-wiki " + version + "\n\n{\"service\":\"team-wiki\",\"version\":\""
                            + version + "\"}\n").setTagger(new PersonIdent("x", "x@x")).setSigned(signer != null)
                    .setSigner(signer).call();
            return ref.getObjectId().name();
        }
    }

    private String tagId(String version) throws IOException {
        try (Repository upstream = upstreamRepository()) {
            return upstream.exactRef(Constants.R_TAGS + "v" + version).getObjectId().name();
        }
    }

    private String commitOf(String version) throws IOException {
        try (Repository upstream = upstreamRepository(); RevWalk walk = new RevWalk(upstream)) {
            return walk.parseTag(ObjectId.fromString(tagId(version))).getObject().name();
        }
    }

    private byte[] stateBytes() throws IOException {
        Path file = state.resolve(SubscriptionState.FILE);
        return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    }

    /** The attack is refused with {@code message}, nothing is deployed, the trusted state is as it was. */
    private void assertRefused(String message) throws Exception {
        List<String> before = List.copyOf(deployer.deployed);
        byte[] stateBefore = stateBytes();
        assertThatThrownBy(this::sync).isInstanceOf(ReleaseException.class).hasMessageContaining(message)
                .hasMessageContaining("fix: ");
        assertThat(deployer.deployed).isEqualTo(before);
        assertThat(stateBytes()).isEqualTo(stateBefore);
    }

    @Test
    void deploysTheChannelsReleaseThenFindsNothingNew() throws Exception {
        release("1.0.0", publisher.signer());

        Syncer.Result first = sync();
        assertThat(first.outcome()).isEqualTo(Syncer.Outcome.DEPLOYED);
        assertThat(first.running()).isEqualTo("1.0.0");
        assertThat(first.lines()).anyMatch(l -> l.startsWith("Deployed: team-wiki 1.0.0 runs on site live"));
        SubscriptionState after = SubscriptionState.read(state);
        assertThat(after.release()).isEqualTo("1.0.0");
        assertThat(after.sequence()).isEqualTo(1);
        assertThat(after.tags()).containsEntry("1.0.0", tagId("1.0.0"));

        Syncer.Result second = sync();
        assertThat(second.outcome()).isEqualTo(Syncer.Outcome.UP_TO_DATE);
        assertThat(deployer.deployed).containsExactly("1.0.0");
    }

    @Test
    void takesTheNewestReleaseWithinTheAcceptedLevelAndSaysWhatItLeft() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        release("1.0.1", publisher.signer());
        release("1.1.0", publisher.signer());

        Syncer.Result result = sync();
        assertThat(result.outcome()).isEqualTo(Syncer.Outcome.DEPLOYED);
        assertThat(result.running()).isEqualTo("1.0.1");
        assertThat(result.lines()).anyMatch(l -> l.endsWith("1.1.0 on the channel is a minor change, not taken: this"
                + " subscription accepts patch changes"));
        assertThat(sync().outcome()).isEqualTo(Syncer.Outcome.UP_TO_DATE);
        assertThat(deployer.deployed).containsExactly("1.0.0", "1.0.1");
    }

    @Test
    void refusesAReleaseBeyondTheAcceptedLevel() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        release("1.1.0", publisher.signer());

        assertRefused("channel dev carries 1.1.0, a minor change from the running 1.0.0, but this subscription"
                + " accepts only patch changes; nothing was deployed");
        assertRefused("fix: to take it, set 'accept: minor' in the subscribe: block of sites/live.yaml");
        assertThat(sync(Clock.systemUTC(), Versions.Level.MINOR).running()).isEqualTo("1.1.0");
        assertThat(deployer.deployed).containsExactly("1.0.0", "1.1.0");
    }

    @Test
    void refusesAnUnsignedChannelRecord() throws Exception {
        release("1.0.0", null);
        assertRefused("the record 1 of channel dev");
        assertRefused("is not signed");
    }

    @Test
    void refusesAChannelRecordSignedByAnUnknownKey() throws Exception {
        release("1.0.0", stranger.signer());
        assertRefused("which is not among the trusted keys [" + publisher.signer().fingerprint() + "]");
    }

    @Test
    void refusesAChannelRecordChangedAfterItWasSigned() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        forgeChangedRecord();
        assertRefused("signature of the record 2 of channel dev");
        assertRefused("does not match");
    }

    @Test
    void refusesATagChangedAfterItWasSigned() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        // The signed tag's bytes with another message: a tag object git accepts, its signature over other content.
        String moved;
        try (Repository upstream = upstreamRepository(); RevWalk walk = new RevWalk(upstream);
                ObjectInserter inserter = upstream.newObjectInserter()) {
            String raw = new String(walk.parseTag(ObjectId.fromString(tagId("1.0.0"))).getRawBuffer(),
                    java.nio.charset.StandardCharsets.UTF_8);
            ObjectId id = inserter.insert(Constants.OBJ_TAG, raw.replace("Release team-wiki 1.0.0",
                    "Release team-wiki 1.0.1").replace("tag v1.0.0", "tag v1.0.1")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            inserter.flush();
            RefUpdate update = upstream.updateRef(Constants.R_TAGS + "v1.0.1");
            update.setNewObjectId(id);
            assertThat(update.update()).isEqualTo(RefUpdate.Result.NEW);
            moved = id.name();
        }
        forgeRecord("1.0.1", moved, 2, publisher.signer(), "dev");
        assertRefused("signature of the release tag v1.0.1 (" + moved.substring(0, 12) + ")");
        assertRefused("does not match");
    }

    @Test
    void refusesAnUnsignedTag() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        String tag = forgeTag("1.0.1", commitOf("1.0.0"), null);
        forgeRecord("1.0.1", tag, 2, publisher.signer(), "dev");
        assertRefused("the release tag v1.0.1 (" + tag.substring(0, 12) + ") is not signed");
    }

    @Test
    void refusesATagSignedByAnUnknownKey() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        String tag = forgeTag("1.0.1", commitOf("1.0.0"), stranger.signer());
        forgeRecord("1.0.1", tag, 2, publisher.signer(), "dev");
        assertRefused("the release tag v1.0.1 (" + tag.substring(0, 12) + ")");
        assertRefused("which is not among the trusted keys");
    }

    @Test
    void refusesARollbackToAnOlderRelease() throws Exception {
        release("1.0.0", publisher.signer());
        release("1.0.1", publisher.signer());
        assertThat(sync().running()).isEqualTo("1.0.1");
        forgeRecord("1.0.0", tagId("1.0.0"), 3, publisher.signer(), "dev");
        assertRefused("channel dev now carries 1.0.0, older than the running 1.0.1: a rollback, refused");
    }

    @Test
    void refusesAReplayedOlderChannelRecord() throws Exception {
        release("1.0.0", publisher.signer());
        ObjectId first;
        try (Repository upstream = upstreamRepository()) {
            first = Channels.head(upstream, "dev").commit();
        }
        release("1.0.1", publisher.signer());
        assertThat(sync().running()).isEqualTo("1.0.1");
        try (Repository upstream = upstreamRepository()) {
            Channels.move(upstream, "dev", Channels.head(upstream, "dev").commit(), first);
        }
        assertRefused("channel dev offers record 1 (1.0.0");
        assertRefused("but this site has already taken record 2: an older record replayed");
    }

    @Test
    void refusesAnExpiredChannel() throws Exception {
        release("1.0.0", publisher.signer());
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertThatThrownBy(() -> sync(later, Versions.Level.PATCH)).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("channel dev expired on").hasMessageContaining("may be frozen");
        assertThat(deployer.deployed).isEmpty();
        assertThat(stateBytes()).isEmpty();

        // A channel that stays the same while it expires is refused too: the fix it holds back never comes.
        sync();
        byte[] before = stateBytes();
        assertThatThrownBy(() -> sync(later, Versions.Level.PATCH)).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("channel dev expired on");
        assertThat(stateBytes()).isEqualTo(before);
        assertThat(deployer.deployed).containsExactly("1.0.0");
    }

    @Test
    void refusesATagThatMovedAfterItsRecord() throws Exception {
        release("1.0.0", publisher.signer());
        project.change("other content");
        project.commit("other");
        String recorded = tagId("1.0.0");
        // The new commit goes upstream first, then the tag is moved onto it.
        project.git.push().setRemote(upstreams.url(name)).add("main").call();
        String moved = forgeTag("1.0.0", project.git.getRepository().resolve("HEAD").name(), publisher.signer());
        assertThat(moved).isNotEqualTo(recorded);
        assertRefused("tag v1.0.0 moved: it is " + moved.substring(0, 12) + " upstream, but the channel record says "
                + recorded.substring(0, 12));
    }

    @Test
    void refusesATagMovedUnderTheRunningReleaseEvenWithAFreshRecord() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        String moved = forgeTag("1.0.0", commitOf("1.0.0"), publisher.signer());
        forgeRecord("1.0.0", moved, 2, publisher.signer(), "dev");
        assertRefused("tag v1.0.0 moved: channel dev now names tag " + moved.substring(0, 12));
    }

    @Test
    void refusesARecordOfAnotherChannel() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        release("1.0.1", publisher.signer());
        forgeRecord("1.0.1", tagId("1.0.1"), 3, publisher.signer(), "beta");
        assertRefused("is for team-wiki on channel beta, not team-wiki on dev");
    }

    @Test
    void aReleaseThatFailsItsTestsIsRolledBackAndNotTriedAgain() throws Exception {
        release("1.0.0", publisher.signer());
        sync();
        release("1.0.1", publisher.signer());
        deployer.failing.add("1.0.1");

        Syncer.Result result = sync();
        assertThat(result.outcome()).isEqualTo(Syncer.Outcome.ROLLED_BACK);
        assertThat(result.running()).isEqualTo("1.0.0");
        assertThat(deployer.deployed).containsExactly("1.0.0", "1.0.1", "1.0.0");
        assertThat(result.lines()).anyMatch(l -> l.startsWith("ROLLED BACK: 1.0.1 did not pass its tests on site live;"
                + " 1.0.0 was deployed again"));
        SubscriptionState after = SubscriptionState.read(state);
        assertThat(after.release()).isEqualTo("1.0.0");
        assertThat(after.failed()).containsExactly("1.0.1");

        assertThat(sync().outcome()).isEqualTo(Syncer.Outcome.UP_TO_DATE);
        assertThat(deployer.deployed).containsExactly("1.0.0", "1.0.1", "1.0.0");
        // A newer record naming the failed release again does not bring it back either.
        forgeRecord("1.0.1", tagId("1.0.1"), 3, publisher.signer(), "dev");
        assertRefused("the releases channel dev offers (1.0.1) failed their tests on this site before; 1.0.0 stays");
    }
}
