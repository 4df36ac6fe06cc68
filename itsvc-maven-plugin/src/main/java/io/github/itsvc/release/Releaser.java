package io.github.itsvc.release;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Releases the commit a project's work tree is on: checks everything first (clean tree, passing test evidence for the
 * same config digest, no tag {@code v<version>} here or upstream, the first channel not ahead), then tags, writes the
 * first channel's next record, and pushes both at once. A failed push takes the tag and the record back: nothing is
 * left behind to clash with the next try.
 */
public final class Releaser {

    /**
     * @param basedir the service project (anywhere in a git work tree)
     * @param version the release version, {@code -SNAPSHOT} already dropped (see {@link Versions#releaseVersion})
     * @param evidence what test-deployment recorded ({@code null}: none)
     * @param configDigest the config digest of the work tree now ({@link ConfigDigest})
     * @param binaries binary name to source and hashes, from the lock file
     * @param templates template artifacts to versions
     * @param remote a remote's name ({@code origin}) or URL
     * @param signer signs the tag and the channel record; {@code null} leaves them unsigned (subscribers refuse them)
     * @param channel the first channel, where every release is published
     * @param validity how long the channel record is valid
     */
    public record Request(Path basedir, String service, String version, String site, Evidence evidence,
            String configDigest, SortedMap<String, Map<String, String>> binaries, SortedMap<String, String> templates,
            String remote, Upstream.Access access, ReleaseSigner signer, String channel, Duration validity) {}

    /** What was released. */
    public record Result(String tag, ObjectId tagId, String commit, ChannelRecord record, String url) {}

    private final Clock clock;
    private final Consumer<String> log;

    public Releaser(Clock clock, Consumer<String> log) {
        this.clock = clock;
        this.log = log;
    }

    public Result release(Request request) throws ReleaseException, IOException {
        String tag = Versions.tag(request.version());
        try (Repository repository = open(request.basedir()); Git git = Git.wrap(repository)) {
            requireClean(git);
            RevCommit head = head(repository);
            Ref existing = repository.exactRef(Constants.R_TAGS + tag);
            if (existing != null) {
                throw new ReleaseException("tag " + tag + " already exists here (on " + existing.getObjectId().name()
                        .substring(0, 12) + "): " + request.version() + " was released before",
                        "set the next version in pom.xml's <version> (say " + next(request.version()) + "-SNAPSHOT)");
            }
            String url = Upstream.resolve(repository, request.remote());
            Upstream upstream = new Upstream(url, request.access());
            Map<String, ObjectId> remoteRefs = upstream.refs();
            if (remoteRefs.containsKey(Constants.R_TAGS + tag)) {
                throw new ReleaseException("tag " + tag + " already exists in " + url + ": " + request.version()
                        + " was released before", "fetch it (git fetch --tags) and set the next version in pom.xml's"
                        + " <version> (say " + next(request.version()) + "-SNAPSHOT)");
            }
            requireEvidence(request);

            upstream.fetch(repository, List.of("+" + Channels.REF_PREFIX + "*:" + Channels.REF_PREFIX + "*"));
            Channels.Entry previous = Channels.head(repository, request.channel());
            if (previous != null) {
                var before = Versions.parse(previous.record().release());
                if (before != null && !Versions.parse(request.version()).isGreaterThan(before)) {
                    throw new ReleaseException("channel " + request.channel() + " already carries " + before.getVersion()
                            + ", which is not older than " + request.version() + "; subscribers would refuse it as"
                            + " a rollback", "release a version newer than " + before.getVersion());
                }
            }
            if (request.signer() == null) {
                log.accept("WARNING: no signing key: tag " + tag + " and the channel record are unsigned, and"
                        + " subscribers refuse unsigned releases");
            }

            // Everything is checked: from here on, whatever is written is taken back if the push fails.
            ReleaseManifest manifest = new ReleaseManifest(request.service(), request.version(), head.name(),
                    request.binaries(), request.templates(), request.configDigest(), request.evidence().summary());
            PersonIdent ident = ident(repository);
            Ref tagRef;
            try {
                tagRef = git.tag().setName(tag).setObjectId(head).setAnnotated(true).setMessage(manifest.tagMessage())
                        .setTagger(ident).setSigned(request.signer() != null).setSigner(request.signer()).call();
            } catch (GitAPIException e) {
                throw new ReleaseException("could not create tag " + tag + ": " + e.getMessage(), null, e);
            }
            ObjectId tagId = tagRef.getObjectId();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            ChannelRecord record = new ChannelRecord(request.service(), request.channel(), request.version(),
                    tagId.name(), head.name(), previous == null ? 1 : previous.record().sequence() + 1,
                    now.toString(), now.plus(request.validity()).toString());
            ObjectId previousId = previous == null ? null : previous.commit();
            ObjectId recordId = Channels.write(repository, record, request.signer(), previousId, ident);
            Channels.move(repository, request.channel(), previousId, recordId);

            String failure = upstream.push(repository, List.of(Constants.R_TAGS + tag,
                    Channels.ref(request.channel())));
            if (failure != null) {
                deleteTag(repository, tag);
                Channels.move(repository, request.channel(), recordId, previousId);
                throw new ReleaseException("push of " + tag + " and channel " + request.channel() + " to " + url
                        + " failed: " + failure + "; nothing was released, and tag " + tag + " was removed here",
                        "make sure you may push tags and refs/itsvc/* to " + url + " (credentials: the <server> in"
                                + " settings.xml), then run the release again");
            }
            log.accept("Released " + request.service() + " " + request.version() + " (" + head.name().substring(0, 12)
                    + ") as " + tag + (request.signer() == null ? ", unsigned" : ", signed by "
                            + request.signer().fingerprint()));
            log.accept("Channel " + request.channel() + " carries " + request.version() + " (sequence "
                    + record.sequence() + ", expires " + record.expires() + "); pushed to " + url);
            return new Result(tag, tagId, head.name(), record, url);
        }
    }

    static Repository open(Path basedir) throws ReleaseException, IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(basedir.toFile());
        File gitDir = builder.getGitDir();
        if (gitDir == null) {
            throw new ReleaseException(basedir + " is not in a git repository", "git init, commit the project, and add"
                    + " the upstream remote: git remote add origin <url>");
        }
        return builder.setMustExist(true).build();
    }

    private static void requireClean(Git git) throws ReleaseException {
        requireClean(git, "commit them (and test that commit with mvn verify), or remove them; a release is a commit");
    }

    static void requireClean(Git git, String fix) throws ReleaseException {
        Status status;
        try {
            status = git.status().call();
        } catch (GitAPIException e) {
            throw new ReleaseException("cannot read the work tree's status: " + e.getMessage(), null, e);
        }
        if (!status.isClean()) {
            TreeSet<String> dirty = new TreeSet<>();
            dirty.addAll(status.getUncommittedChanges());
            dirty.addAll(status.getUntracked());
            List<String> shown = new ArrayList<>(dirty).subList(0, Math.min(5, dirty.size()));
            throw new ReleaseException("the work tree has changes that are not committed: " + String.join(", ", shown)
                    + (dirty.size() > shown.size() ? " and " + (dirty.size() - shown.size()) + " more" : ""),
                    fix);
        }
    }

    private static RevCommit head(Repository repository) throws IOException, ReleaseException {
        ObjectId head = repository.resolve(Constants.HEAD);
        if (head == null) {
            throw new ReleaseException("the repository has no commit yet", "commit the project first");
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(head);
        }
    }

    private static void requireEvidence(Request request) throws ReleaseException {
        Evidence evidence = request.evidence();
        String test = "mvn verify (or mvn itsvc:provision itsvc:test-deployment -D" + "itsvc.site=" + request.site()
                + ") on this commit";
        if (evidence == null) {
            throw new ReleaseException("there is no test evidence for site " + request.site() + ": this commit was"
                    + " not tested", "run " + test + ", then release");
        }
        if (!evidence.passedAll()) {
            throw new ReleaseException("the last test of site " + request.site() + " did not pass: "
                    + evidence.summary(), "fix what failed, run " + test + ", then release");
        }
        if (!evidence.configDigest().equals(request.configDigest())) {
            throw new ReleaseException("the last test of site " + request.site() + " tested another configuration"
                    + " (config digest " + evidence.configDigest().substring(0, 12) + ") than this commit's ("
                    + request.configDigest().substring(0, 12) + ")", "run " + test + ", then release");
        }
    }

    static PersonIdent ident(Repository repository) {
        return new PersonIdent(repository);
    }

    static void deleteTag(Repository repository, String tag) throws IOException {
        RefUpdate update = repository.updateRef(Constants.R_TAGS + tag);
        update.setForceUpdate(true);
        update.delete();
    }

    private static String next(String version) {
        var v = Versions.parse(version);
        return v == null ? version : v.nextPatch().getVersion();
    }
}
