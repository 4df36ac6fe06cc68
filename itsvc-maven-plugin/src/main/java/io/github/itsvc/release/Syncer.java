package io.github.itsvc.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.semver4j.Semver;

/**
 * Keeps a subscribed site on the newest release its subscription accepts. Fetches the upstream's channel and tags into
 * a mirror beside the trusted state, refuses what it must not take — an unsigned or unknown-key record or tag, an
 * expired (frozen) channel, a replayed older record, a rollback, a change beyond the accepted level, a tag that moved —
 * and only then deploys through the {@link Deployer}; when the new release fails its tests it deploys the previous one
 * again. Nothing is deployed and no state changes when a check refuses.
 */
public final class Syncer {

    /** How far back a channel's history is searched for an acceptable release. */
    private static final int HISTORY = 200;

    /** Renders, provisions and tests a release's files: the same path {@code mvn verify} takes. */
    public interface Deployer {
        /** Never throws for a failed deployment: a failure is a {@link Deployment} that did not pass. */
        Deployment deploy(Path releaseFolder, String version) throws IOException;
    }

    /** How a deployment went: whether every check passed, and the lines that say so. */
    public record Deployment(boolean passed, List<String> lines) {}

    /**
     * @param keys the keys (OpenPGP, SSH) trusted to sign records and tags
     * @param stateDir where the trusted state, the mirror and the release folders live, outside the work tree
     */
    public record Request(String service, String site, String upstream, String channel, Versions.Level accept,
            TrustedSigners keys, Path stateDir, Upstream.Access access) {}

    public enum Outcome { UP_TO_DATE, DEPLOYED, ROLLED_BACK, FAILED }

    /** What sync did, and the one screen that says it. */
    public record Result(Outcome outcome, String running, List<String> lines) {}

    private final Clock clock;
    private final Consumer<String> log;

    public Syncer(Clock clock, Consumer<String> log) {
        this.clock = clock;
        this.log = log;
    }

    public Result sync(Request request, Deployer deployer) throws ReleaseException, IOException {
        Path stateDir = request.stateDir();
        SubscriptionState state = SubscriptionState.read(stateDir);
        List<String> lines = new ArrayList<>();
        String shownUrl = display(request.upstream());
        lines.add("Sync of " + request.service() + ", site " + request.site() + ": channel " + request.channel()
                + " of " + shownUrl + ", accepting " + request.accept().label() + " changes");
        lines.add("  running   " + (state.release() == null ? "nothing yet" : state.release() + " (channel record "
                + state.sequence() + ")"));

        try (Repository mirror = mirror(stateDir.resolve("upstream.git"))) {
            String channelRef = Channels.ref(request.channel());
            new Upstream(request.upstream(), request.access()).fetch(mirror,
                    List.of("+" + channelRef + ":" + channelRef, "+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"));
            Channels.Entry head = Channels.head(mirror, request.channel());
            if (head == null) {
                throw new ReleaseException("channel " + request.channel() + " of " + shownUrl + " has no release",
                        "check 'channel' in the site's subscribe: block; the upstream publishes with itsvc:release"
                                + " and itsvc:promote");
            }
            Instant now = clock.instant();
            String keysFix = "trust only what the publisher signs: the publisher signs with a key listed in"
                    + " 'keys' of the site's subscribe: block; nothing was deployed";
            if (head.commit().name().equals(state.channelCommit())) {
                // Nothing new: its signature was checked when it was taken; only time can have changed.
                requireFresh(head, now, state);
                lines.add("  channel   " + head.record().release() + " (record " + head.record().sequence()
                        + ", unchanged)" + heldBack(head.record().release(), state.release(), request.accept()));
                lines.add(state.release() == null ? "Nothing new: no release passed its tests on site "
                        + request.site() + " yet (failed: " + String.join(", ", state.failed()) + ")"
                        : "Up to date: " + request.service() + " " + state.release() + " runs on site "
                                + request.site());
                return new Result(Outcome.UP_TO_DATE, state.release(), lines);
            }
            Path scratch = stateDir.resolve("tmp");
            String recordSigner = Signatures.verifyRecord(head, request.keys(), scratch, keysFix);
            ChannelRecord record = head.record();
            if (!request.channel().equals(record.channel()) || !request.service().equals(record.service())) {
                throw new ReleaseException("the record on channel " + request.channel() + " is for " + record.service()
                        + " on channel " + record.channel() + ", not " + request.service() + " on "
                        + request.channel() + ": a record copied from elsewhere; nothing was deployed",
                        "the upstream must publish its own channel with itsvc:promote");
            }
            requireFresh(head, now, state);
            if (record.sequence() < state.sequence()
                    || record.sequence() == state.sequence() && state.channelCommit() != null) {
                throw new ReleaseException("channel " + request.channel() + " offers record " + record.sequence()
                        + " (" + record.release() + ", published " + record.published() + "), but this site has"
                        + " already taken record " + state.sequence() + ": an older record replayed; nothing was"
                        + " deployed", "if the upstream repository was restored from a backup, publish again with"
                                + " itsvc:promote (it writes the next record); otherwise find who reset "
                                + channelRef + " upstream");
            }
            lines.add("  channel   " + record.release() + " (record " + record.sequence() + ", signed by "
                    + recordSigner + ", expires " + record.expires() + ")");

            Semver running = state.release() == null ? null : Versions.parse(state.release());
            Semver offered = parse(record.release(), record);
            if (running != null && offered.isLowerThan(running)) {
                throw new ReleaseException("channel " + request.channel() + " now carries " + offered.getVersion()
                        + ", older than the running " + running.getVersion() + ": a rollback, refused; nothing was"
                        + " deployed", "to go back on purpose, the publisher releases the old content as a new"
                                + " version (say " + running.nextPatch().getVersion() + ")");
            }
            Channels.Entry chosen = null;
            Semver best = null;
            List<String> skipped = new ArrayList<>();
            if (running == null) {
                chosen = head;
                best = offered;
            } else {
                for (Channels.Entry entry : Channels.history(mirror, request.channel(), HISTORY)) {
                    Semver v = Versions.parse(entry.record().release());
                    if (v == null || !v.isGreaterThan(running) || best != null && !v.isGreaterThan(best)) {
                        continue;
                    }
                    if (!Versions.accepts(request.accept(), running, v)) {
                        continue;
                    }
                    if (state.failed().contains(v.getVersion())) {
                        if (!skipped.contains(v.getVersion())) {
                            skipped.add(v.getVersion());
                        }
                        continue;
                    }
                    chosen = entry;
                    best = v;
                }
            }
            if (chosen == null) {
                if (offered.isEqualTo(running)) {
                    String seen = state.tags().get(running.getVersion());
                    if (seen != null && !seen.equals(record.tag())) {
                        throw new ReleaseException("tag " + Versions.tag(running.getVersion()) + " moved: channel "
                                + request.channel() + " now names tag " + record.tag().substring(0, 12) + " for "
                                + running.getVersion() + ", but this site deployed " + seen.substring(0, 12)
                                + "; a published release never changes, so nothing was deployed",
                                "the publisher releases the change as a new version");
                    }
                    remember(state, head, null, null, now).write(stateDir);
                    lines.add("Up to date: " + request.service() + " " + running.getVersion() + " runs on site "
                            + request.site());
                    return new Result(Outcome.UP_TO_DATE, running.getVersion(), lines);
                }
                if (!skipped.isEmpty()) {
                    throw new ReleaseException("the releases channel " + request.channel() + " offers (" + String.join(
                            ", ", skipped) + ") failed their tests on this site before; " + running.getVersion()
                            + " stays", "wait for the next release; to try one again, remove it from 'failed' in "
                                    + stateDir.resolve(SubscriptionState.FILE));
                }
                throw new ReleaseException("channel " + request.channel() + " carries " + offered.getVersion() + ", a "
                        + Versions.change(running, offered).label() + " change from the running "
                        + running.getVersion() + ", but this subscription accepts only " + request.accept().label()
                        + " changes; nothing was deployed", "to take it, set 'accept: "
                                + Versions.change(running, offered).label() + "' in the subscribe: block of sites/"
                                + request.site() + ".yaml; or wait for a " + request.accept().label() + " release");
            }
            String version = best.getVersion();
            if (chosen != head) {
                Signatures.verifyRecord(chosen, request.keys(), scratch, keysFix);
            }
            String tagSigner = requireTag(mirror, chosen.record(), state, request, scratch, keysFix);
            lines.add("  release   " + version + " (tag " + Versions.tag(version) + " on "
                    + chosen.record().commit().substring(0, 12) + ", signed by " + tagSigner + ")");

            Path folder = ReleaseTree.materialize(mirror, org.eclipse.jgit.lib.ObjectId.fromString(
                    chosen.record().commit()), stateDir.resolve("releases").resolve(version));
            log.accept("Deploying " + request.service() + " " + version + " on site " + request.site());
            Deployment deployment = deployer.deploy(folder, version);
            deployment.lines().forEach(l -> lines.add("    " + l));
            if (deployment.passed()) {
                remember(state, head, version, chosen.record().tag(), now).write(stateDir);
                lines.add("Deployed: " + request.service() + " " + version + " runs on site " + request.site()
                        + (running == null ? "" : " (was " + running.getVersion() + ")")
                        + heldBack(record.release(), version, request.accept()));
                return new Result(Outcome.DEPLOYED, version, lines);
            }
            // Refused from now on, so the next sync does not flap between the two releases.
            List<String> failed = new ArrayList<>(state.failed());
            failed.add(version);
            SubscriptionState after = new SubscriptionState(state.release(), record.sequence(),
                    head.commit().name(), withTag(state.tags(), version, chosen.record().tag()), failed,
                    now.toString());
            Path previous = running == null ? null : stateDir.resolve("releases").resolve(running.getVersion());
            if (previous == null || !Files.isDirectory(previous)) {
                after.write(stateDir);
                lines.add("FAILED: " + version + " did not pass its tests on site " + request.site()
                        + ", and there is no earlier release here to bring back");
                return new Result(Outcome.FAILED, version, lines);
            }
            log.accept(version + " failed its tests: bringing " + running.getVersion() + " back");
            Deployment back = deployer.deploy(previous, running.getVersion());
            lines.add("  back to   " + running.getVersion() + " (" + version + " failed its tests)");
            back.lines().forEach(l -> lines.add("    " + l));
            after.write(stateDir);
            lines.add((back.passed() ? "ROLLED BACK: " : "FAILED: ") + version + " did not pass its tests on site "
                    + request.site() + "; " + running.getVersion() + " was deployed again" + (back.passed()
                            ? " and passes its tests" : " but fails its tests too"));
            return new Result(back.passed() ? Outcome.ROLLED_BACK : Outcome.FAILED, running.getVersion(), lines);
        }
    }

    private static Repository mirror(Path dir) throws ReleaseException, IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
            } catch (GitAPIException e) {
                throw new ReleaseException("cannot create the mirror " + dir + ": " + e.getMessage(), null, e);
            }
        }
        return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }

    private static void requireFresh(Channels.Entry head, Instant now, SubscriptionState state)
            throws ReleaseException {
        if (head.record().expiredAt(now)) {
            throw new ReleaseException("channel " + head.record().channel() + " expired on " + head.record().expires()
                    + " (record " + head.record().sequence() + ", " + head.record().release() + "): the upstream has"
                    + " not renewed it, so it may be frozen to hold back a fix; nothing was deployed"
                    + (state.release() == null ? "" : ", " + state.release() + " keeps running"),
                    "ask the publisher to publish the channel again (itsvc:promote writes a fresh record)");
        }
    }

    /** Checks the release's tag: there, unmoved, signed by a trusted key, pointing at the recorded commit. */
    private static String requireTag(Repository mirror, ChannelRecord record, SubscriptionState state,
            Request request, Path scratch, String keysFix) throws IOException, ReleaseException {
        String tag = Versions.tag(record.release());
        Ref ref = mirror.exactRef(Constants.R_TAGS + tag);
        if (ref == null) {
            throw new ReleaseException("tag " + tag + " of the release on channel " + record.channel()
                    + " is missing upstream; nothing was deployed", "the publisher pushes the tag again");
        }
        String seen = state.tags().get(record.release());
        if (!ref.getObjectId().name().equals(record.tag()) || seen != null && !seen.equals(record.tag())) {
            throw new ReleaseException("tag " + tag + " moved: it is " + ref.getObjectId().name().substring(0, 12)
                    + " upstream, but the channel record" + (seen != null && !seen.equals(record.tag())
                            ? " and this site's state say " + seen.substring(0, 12) : " says "
                                    + record.tag().substring(0, 12)) + "; a published release never changes, so"
                    + " nothing was deployed", "the publisher releases the change as a new version");
        }
        try (RevWalk walk = new RevWalk(mirror)) {
            RevObject object = walk.parseAny(ref.getObjectId());
            if (!(object instanceof RevTag revTag)) {
                throw new ReleaseException("tag " + tag + " is a lightweight tag, not a release", keysFix);
            }
            String signer = Signatures.verifyTag(revTag, request.keys(), scratch, keysFix);
            if (!revTag.getObject().name().equals(record.commit()) || !revTag.getTagName().equals(tag)) {
                throw new ReleaseException("tag " + tag + " points at " + revTag.getObject().name().substring(0, 12)
                        + ", not the commit the channel record names (" + record.commit().substring(0, 12) + ");"
                        + " nothing was deployed", "the publisher publishes the channel again");
            }
            ReleaseManifest manifest = ReleaseManifest.fromTagMessage(revTag.getFullMessage(), tag);
            if (!manifest.service().equals(request.service()) || !manifest.version().equals(record.release())) {
                throw new ReleaseException("tag " + tag + " is a release of " + manifest.service() + " "
                        + manifest.version() + ", not " + request.service() + " " + record.release()
                        + "; nothing was deployed", "check 'upstream' in the site's subscribe: block");
            }
            return signer;
        }
    }

    /** What the channel offers beyond what the subscription takes by itself, for a person to decide. */
    private static String heldBack(String offered, String running, Versions.Level accept) {
        Semver o = Versions.parse(offered);
        Semver r = running == null ? null : Versions.parse(running);
        if (o == null || r == null || !o.isGreaterThan(r) || Versions.accepts(accept, r, o)) {
            return "";
        }
        return "; " + o.getVersion() + " on the channel is a " + Versions.change(r, o).label() + " change, not taken:"
                + " this subscription accepts " + accept.label() + " changes";
    }

    private static SubscriptionState remember(SubscriptionState state, Channels.Entry head, String release,
            String tag, Instant now) {
        return new SubscriptionState(release == null ? state.release() : release, head.record().sequence(),
                head.commit().name(), release == null ? state.tags() : withTag(state.tags(), release, tag),
                state.failed(), now.toString());
    }

    private static Map<String, String> withTag(Map<String, String> tags, String release, String tag) {
        Map<String, String> copy = new LinkedHashMap<>(tags);
        copy.put(release, tag);
        return copy;
    }

    private static Semver parse(String version, ChannelRecord record) throws ReleaseException {
        Semver v = Versions.parse(version);
        if (v == null) {
            throw new ReleaseException("record " + record.sequence() + " of channel " + record.channel()
                    + " carries '" + version + "', which is not a semantic version; nothing was deployed",
                    "the publisher releases with itsvc:release");
        }
        return v;
    }

    /** The URL without credentials, for messages. */
    static String display(String url) {
        return url.replaceFirst("://[^/@]*@", "://");
    }
}
