package io.github.itsvc.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.upgrade.FileMerge.Change;
import io.github.itsvc.upgrade.FileMerge.Outcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileMergeTest {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Change merge(String base, String ours, String theirs) {
        return FileMerge.merge("f.txt", base == null ? null : text(base), ours == null ? null : text(ours),
                theirs == null ? null : text(theirs), "project", "itsvc-archetype 2.0");
    }

    private static String result(Change change) {
        return new String(change.result(), StandardCharsets.UTF_8);
    }

    @Test
    void aFileTheNewVersionLeftAloneIsNotTouched() {
        assertThat(merge("a\n", "a, edited\n", "a\n")).isNull();
        assertThat(merge(null, "mine\n", null)).isNull();
    }

    @Test
    void aFileTheProjectAlreadyHasAsTheNewVersionIsNotTouched() {
        assertThat(merge("a\n", "b\n", "b\n")).isNull();
    }

    @Test
    void aFileOnlyTheNewVersionChangedIsTaken() {
        Change change = merge("a\n", "a\n", "b\n");
        assertThat(change.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(result(change)).isEqualTo("b\n");
        assertThat(merge(null, null, "new\n").outcome()).isEqualTo(Outcome.ADDED);
        Change deleted = merge("a\n", "a\n", null);
        assertThat(deleted.outcome()).isEqualTo(Outcome.DELETED);
        assertThat(deleted.result()).isNull();
    }

    @Test
    void changesToDifferentLinesMerge() {
        Change change = merge("1\n2\n3\n4\n5\n", "1, mine\n2\n3\n4\n5\n", "1\n2\n3\n4\n5, theirs\n");
        assertThat(change.outcome()).isEqualTo(Outcome.MERGED);
        assertThat(result(change)).isEqualTo("1, mine\n2\n3\n4\n5, theirs\n");
    }

    @Test
    void changesToTheSameLineConflictWithGitsMarkers() {
        Change change = merge("1\n2\n3\n", "1\n2, mine\n3\n", "1\n2, theirs\n3\n");
        assertThat(change.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(change.outcome().isConflict()).isTrue();
        assertThat(result(change)).isEqualTo("1\n<<<<<<< project\n2, mine\n=======\n2, theirs\n"
                + ">>>>>>> itsvc-archetype 2.0\n3\n");
    }

    @Test
    void aFileAddedOnBothSidesDifferentlyConflicts() {
        assertThat(merge(null, "mine\n", "theirs\n").outcome()).isEqualTo(Outcome.ADDED_BOTH);
    }

    @Test
    void deletedOnOneSideAndChangedOnTheOtherConflictsAndKeepsTheChangedFile() {
        Change deletedHere = merge("a\n", null, "b\n");
        assertThat(deletedHere.outcome()).isEqualTo(Outcome.DELETED_HERE);
        assertThat(result(deletedHere)).isEqualTo("b\n");
        Change deletedThere = merge("a\n", "mine\n", null);
        assertThat(deletedThere.outcome()).isEqualTo(Outcome.DELETED_THERE);
        assertThat(result(deletedThere)).isEqualTo("mine\n");
    }

    @Test
    void binaryFilesChangedOnBothSidesConflictAndKeepTheProjectsFile() {
        byte[] ours = {0, 1, 2};
        Change change = FileMerge.merge("b.bin", new byte[] {0, 1}, ours, new byte[] {0, 3}, "project", "new");
        assertThat(change.outcome()).isEqualTo(Outcome.BINARY);
        assertThat(change.result()).isEqualTo(ours);
    }
}
