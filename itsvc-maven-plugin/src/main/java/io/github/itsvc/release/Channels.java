package io.github.itsvc.release;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Channels as git refs: {@code refs/itsvc/channels/<name>} points to a commit whose tree holds {@code channel.json}
 * (a {@link ChannelRecord}) and {@code channel.json.asc} (its detached OpenPGP signature); each new record's parent is
 * the one before, so a channel's history is its log. Kept apart from the branches, pushed and fetched like tags.
 */
public final class Channels {

    public static final String REF_PREFIX = "refs/itsvc/channels/";
    public static final String RECORD = "channel.json";
    public static final String SIGNATURE = "channel.json.asc";

    /** One record as read from the repository; {@code signature} is {@code null} for an unsigned record. */
    public record Entry(ObjectId commit, ChannelRecord record, byte[] json, byte[] signature) {}

    private Channels() {}

    public static String ref(String channel) {
        return REF_PREFIX + channel;
    }

    /** The channel's current record, or {@code null} when the channel has none yet. */
    public static Entry head(Repository repository, String channel) throws IOException, ReleaseException {
        Ref ref = repository.exactRef(ref(channel));
        return ref == null ? null : read(repository, ref.getObjectId(), channel);
    }

    /** The channel's records, newest first, at most {@code max}. */
    public static List<Entry> history(Repository repository, String channel, int max)
            throws IOException, ReleaseException {
        List<Entry> entries = new ArrayList<>();
        Ref ref = repository.exactRef(ref(channel));
        if (ref == null) {
            return entries;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(ref.getObjectId());
            while (commit != null && entries.size() < max) {
                entries.add(read(repository, commit, channel));
                commit = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
            }
        }
        return entries;
    }

    static Entry read(Repository repository, ObjectId commitId, String channel) throws IOException, ReleaseException {
        try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
            RevCommit commit = walk.parseCommit(commitId);
            byte[] json = blob(reader, commit, RECORD);
            if (json == null) {
                throw new ReleaseException("the record " + commit.name() + " of channel " + channel + " has no "
                        + RECORD, "the channel ref was written by another tool; publish it again with itsvc:promote");
            }
            byte[] signature = blob(reader, commit, SIGNATURE);
            ChannelRecord record = Json.read(json, ChannelRecord.class, RECORD + " of channel " + channel + " at "
                    + commit.name());
            return new Entry(commit.copy(), record, json, signature);
        }
    }

    private static byte[] blob(ObjectReader reader, RevCommit commit, String name) throws IOException {
        try (TreeWalk tree = TreeWalk.forPath(reader, name, commit.getTree())) {
            return tree == null ? null : reader.open(tree.getObjectId(0)).getCachedBytes(1 << 20);
        }
    }

    /**
     * Writes a record as a new commit on top of {@code parent} (the channel's current record, or {@code null}); the
     * ref is not moved: see {@link #move}.
     */
    public static ObjectId write(Repository repository, ChannelRecord record, ReleaseSigner signer, ObjectId parent,
            PersonIdent ident) throws IOException {
        byte[] json = Json.bytes(record);
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            TreeFormatter tree = new TreeFormatter();
            tree.append(RECORD, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, json));
            if (signer != null) {
                tree.append(SIGNATURE, FileMode.REGULAR_FILE,
                        inserter.insert(Constants.OBJ_BLOB, signer.signDetached(json)));
            }
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(tree));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage(record.channel() + ": " + record.service() + " " + record.release() + " (sequence "
                    + record.sequence() + ", expires " + record.expires() + ")\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    /** Moves the channel's ref from {@code expected} ({@code null}: absent) to {@code to} ({@code null}: delete). */
    static void move(Repository repository, String channel, ObjectId expected, ObjectId to) throws IOException {
        RefUpdate update = repository.updateRef(ref(channel));
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setForceUpdate(true);
        RefUpdate.Result result;
        if (to == null) {
            result = update.delete();
        } else {
            update.setNewObjectId(to);
            result = update.update();
        }
        switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            default -> throw new IOException("could not move " + ref(channel) + ": " + result);
        }
    }
}
