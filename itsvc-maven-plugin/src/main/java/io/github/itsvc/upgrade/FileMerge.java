package io.github.itsvc.upgrade;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeFormatter;
import org.eclipse.jgit.merge.MergeResult;

/**
 * The three-way merge of one file: the base (what the old archetype generated), ours (the project's file now) and
 * theirs (what the new archetype generates). {@code null} content means the file is not there. Text is merged line
 * by line with JGit's merge algorithm, and a conflict is written as git writes it, between {@code <<<<<<<} and
 * {@code >>>>>>>} markers.
 */
public final class FileMerge {

    /** What happened to a file. */
    public enum Outcome {
        ADDED(false, "added by the new version"),
        UPDATED(false, "changed by the new version only: taken"),
        DELETED(false, "deleted by the new version"),
        MERGED(false, "changed here and by the new version: merged"),
        RECORDED(false, "the new baseline"),
        CONFLICT(true, "changed here and by the new version on the same lines"),
        ADDED_BOTH(true, "added here and by the new version, differently"),
        DELETED_HERE(true, "deleted here, changed by the new version (its version is in the work tree)"),
        DELETED_THERE(true, "changed here, deleted by the new version (yours is in the work tree)"),
        BINARY(true, "a binary file changed here and by the new version (yours is in the work tree)");

        private final boolean conflict;
        private final String description;

        Outcome(boolean conflict, String description) {
            this.conflict = conflict;
            this.description = description;
        }

        public boolean isConflict() {
            return conflict;
        }

        public String description() {
            return description;
        }
    }

    /**
     * A file the upgrade changes.
     *
     * @param path the file's path in the project, with {@code /}
     * @param result what the work tree gets; {@code null}: the file is deleted (or stays deleted)
     */
    public record Change(String path, Outcome outcome, byte[] base, byte[] ours, byte[] theirs, byte[] result) {}

    private FileMerge() {}

    /**
     * Merges one file.
     *
     * @param labels the names on conflict markers: ours (the project), theirs (the new version)
     * @return the change to make, or {@code null} when the file stays as it is (the new version did not change it, or
     *         the project has it as the new version has it already)
     */
    public static Change merge(String path, byte[] base, byte[] ours, byte[] theirs, String oursLabel,
            String theirsLabel) {
        if (Arrays.equals(theirs, base) || Arrays.equals(ours, theirs)) {
            return null;
        }
        if (Arrays.equals(ours, base)) {
            Outcome outcome = theirs == null ? Outcome.DELETED : base == null ? Outcome.ADDED : Outcome.UPDATED;
            return new Change(path, outcome, base, ours, theirs, theirs);
        }
        // Changed on both sides.
        if (ours == null) {
            return new Change(path, Outcome.DELETED_HERE, base, null, theirs, theirs);
        }
        if (theirs == null) {
            return new Change(path, Outcome.DELETED_THERE, base, ours, null, ours);
        }
        byte[] baseText = base == null ? new byte[0] : base;
        if (RawText.isBinary(baseText) || RawText.isBinary(ours) || RawText.isBinary(theirs)) {
            return new Change(path, Outcome.BINARY, base, ours, theirs, ours);
        }
        MergeResult<RawText> merged = new MergeAlgorithm().merge(RawTextComparator.DEFAULT, new RawText(baseText),
                new RawText(ours), new RawText(theirs));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new MergeFormatter().formatMerge(out, merged, List.of("baseline", oursLabel, theirsLabel),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        Outcome outcome = !merged.containsConflicts() ? Outcome.MERGED
                : base == null ? Outcome.ADDED_BOTH : Outcome.CONFLICT;
        return new Change(path, outcome, base, ours, theirs, out.toByteArray());
    }
}
