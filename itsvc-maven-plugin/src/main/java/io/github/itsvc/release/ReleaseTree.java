package io.github.itsvc.release;

import io.github.itsvc.io.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A release's files, written out of the subscriber's mirror into a folder of their own: what sync renders and
 * provisions from, and what it brings back when the next release fails. Written aside and moved into place whole.
 */
final class ReleaseTree {

    private static final String MARKER = ".itsvc-release";

    private ReleaseTree() {}

    /** The folder of a release, written if it is not there yet (or holds another commit). */
    static Path materialize(Repository repository, ObjectId commitId, Path folder) throws IOException,
            ReleaseException {
        Path marker = folder.resolve(MARKER);
        if (Files.isRegularFile(marker)
                && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(commitId.name())) {
            return folder;
        }
        Files.createDirectories(folder.getParent());
        Path tmp = Files.createTempDirectory(folder.getParent(), folder.getFileName() + ".");
        try {
            try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader();
                    TreeWalk tree = new TreeWalk(reader)) {
                RevCommit commit = walk.parseCommit(commitId);
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                boolean posix = Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class);
                while (tree.next()) {
                    FileMode mode = tree.getFileMode(0);
                    if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                        continue; // symbolic links and submodules have no place in a service definition
                    }
                    Path file = tmp.resolve(tree.getPathString()).normalize();
                    if (!file.startsWith(tmp)) {
                        throw new ReleaseException("the release " + commitId.name() + " holds a path outside its"
                                + " folder: " + tree.getPathString(), "this is not a release made by itsvc; refuse it");
                    }
                    Files.createDirectories(file.getParent());
                    try (OutputStream out = Files.newOutputStream(file)) {
                        reader.open(tree.getObjectId(0)).copyTo(out);
                    }
                    if (posix && mode == FileMode.EXECUTABLE_FILE) {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
            Files.writeString(tmp.resolve(MARKER), commitId.name() + "\n", StandardCharsets.UTF_8);
            if (Files.exists(folder)) {
                FileTrees.delete(folder);
            }
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
            return folder;
        } finally {
            if (Files.exists(tmp)) {
                FileTrees.delete(tmp);
            }
        }
    }
}
