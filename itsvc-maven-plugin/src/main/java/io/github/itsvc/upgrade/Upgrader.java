package io.github.itsvc.upgrade;

import io.github.itsvc.io.FileTrees;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Upgrades a generated project to a newer version of its archetype: generates the project again as it was generated
 * (the baseline, from {@code itsvc.baseline}) and as the new version generates it, and three-way merges the
 * difference into the project. Files the new version did not change, and files the project added, are not touched.
 * A conflict is left as git leaves one: markers in the file and, in a git work tree, the file unmerged in the index
 * (stages 1, 2, 3), for {@code git add} after review; cleanly merged files are staged.
 *
 * <p>A git work tree with changes that are not committed is refused before anything is generated: an upgrade must
 * be reviewable, and possible to take back ({@code git reset --hard}).
 */
public final class Upgrader {

    /**
     * @param basedir the generated project
     * @param version the archetype version to upgrade to
     * @param workDirectory where the two generations go (emptied first, kept afterwards for review)
     */
    public record Request(Path basedir, String version, Path workDirectory) {}

    /**
     * What the upgrade did.
     *
     * @param changes every file the upgrade changed, or left in conflict, by path
     * @param repository whether the project is in a git work tree (so its index has the conflicts too)
     */
    public record Result(Baseline.Archetype from, Baseline.Archetype to, List<FileMerge.Change> changes,
            boolean repository) {

        public boolean upToDate() {
            return from.equals(to);
        }

        public List<FileMerge.Change> clean() {
            return changes.stream().filter(c -> !c.outcome().isConflict()).toList();
        }

        public List<FileMerge.Change> conflicts() {
            return changes.stream().filter(c -> c.outcome().isConflict()).toList();
        }

        /** What to do next: review and commit, or resolve the conflicts first. */
        public String next() {
            if (!conflicts().isEmpty()) {
                List<String> paths = conflicts().stream().map(FileMerge.Change::path).toList();
                return repository
                        ? "resolve each conflict (edit the file between <<<<<<< and >>>>>>>, or git checkout --ours"
                                + " / --theirs <file>), git add it, then review (git diff --cached) and git commit;"
                                + " to take the whole upgrade back: git reset --hard. Conflicting: "
                                + String.join(" ", paths)
                        : "resolve each conflict (edit the file between <<<<<<< and >>>>>>>): " + String.join(" ", paths);
            }
            return repository ? "review the upgrade (git diff --cached) and git commit it; to take it back: git reset"
                    + " --hard" : "review the changed files and build the project (mvn verify)";
        }
    }

    private final ProjectGenerator generator;
    private final Consumer<String> log;

    public Upgrader(ProjectGenerator generator, Consumer<String> log) {
        this.generator = generator;
        this.log = log;
    }

    public Result upgrade(Request request) throws UpgradeException, IOException {
        Path basedir = request.basedir().toAbsolutePath().normalize();
        Baseline baseline = Baseline.read(basedir);
        Baseline.Archetype from = baseline.archetype();
        Baseline.Archetype to = from.withVersion(request.version());
        try (Repository repository = open(basedir)) {
            String prefix = null;
            if (repository != null) {
                // First, also when there is nothing to upgrade: an upgrade left unfinished is told, not hidden.
                prefix = prefix(repository, basedir);
                requireClean(repository, prefix);
            }
            if (from.equals(to)) {
                return new Result(from, to, List.of(), repository != null);
            }

            log.accept("Generating the baseline with " + from + " and the upgrade with " + to + " (template "
                    + baseline.properties().getOrDefault("template", "?") + ") in " + request.workDirectory());
            FileTrees.delete(request.workDirectory());
            long start = System.nanoTime();
            Path base = generate(from, baseline.generationProperties(), request.workDirectory().resolve("baseline"));
            long between = System.nanoTime();
            Path theirs = generate(to, baseline.upgradeProperties(), request.workDirectory().resolve("upgrade"));
            log.accept(String.format(Locale.ROOT, "Generated the baseline in %.1f s, the upgrade in %.1f s",
                    (between - start) / 1e9, (System.nanoTime() - between) / 1e9));

            Map<String, byte[]> baseFiles = files(base);
            Map<String, byte[]> theirFiles = files(theirs);
            Set<String> paths = new TreeSet<>(baseFiles.keySet());
            paths.addAll(theirFiles.keySet());
            String theirsLabel = to.artifactId() + " " + to.version();
            List<FileMerge.Change> changes = new ArrayList<>();
            for (String path : paths) {
                byte[] ours = read(basedir.resolve(path));
                FileMerge.Change change;
                if (path.equals(Baseline.FILE)) {
                    // Written by the archetype, never by the user: the new version's record, as it is.
                    change = theirFiles.containsKey(path)
                            ? new FileMerge.Change(path, FileMerge.Outcome.RECORDED, baseFiles.get(path), ours,
                                    theirFiles.get(path), theirFiles.get(path))
                            : null;
                } else {
                    change = FileMerge.merge(path, baseFiles.get(path), ours, theirFiles.get(path), "project",
                            theirsLabel);
                }
                if (change != null) {
                    changes.add(change);
                }
            }
            if (repository == null) {
                log.accept("WARNING: " + basedir + " is not in a git work tree: conflicts are marked in the files"
                        + " only, and nothing records the files as they were before");
            }

            // Everything is known: write the work tree, then the index.
            for (FileMerge.Change change : changes) {
                write(basedir.resolve(change.path()), change.result());
            }
            if (repository != null) {
                updateIndex(repository, prefix, basedir, changes);
            }
            return new Result(from, to, List.copyOf(changes), repository != null);
        }
    }

    private Path generate(Baseline.Archetype archetype, Map<String, String> properties, Path directory)
            throws UpgradeException, IOException {
        Files.createDirectories(directory);
        Path project = generator.generate(archetype, properties, directory);
        if (!Files.isDirectory(project)) {
            throw new UpgradeException(archetype + " generated no project in " + directory, null);
        }
        return project;
    }

    /** The project's git repository, or {@code null} when it is in none (or in a bare one). */
    private static Repository open(Path basedir) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(basedir.toFile());
        if (builder.getGitDir() == null) {
            return null;
        }
        Repository repository = builder.setMustExist(true).build();
        if (repository.isBare()) {
            repository.close();
            return null;
        }
        return repository;
    }

    /** The project's path in the work tree, {@code ""} at its top, else ending with {@code /}. */
    private static String prefix(Repository repository, Path basedir) throws IOException {
        Path top = repository.getWorkTree().toPath().toRealPath();
        String relative = top.relativize(basedir.toRealPath()).toString().replace(File.separatorChar, '/');
        return relative.isEmpty() ? "" : relative + "/";
    }

    private static void requireClean(Repository repository, String prefix) throws UpgradeException, IOException {
        if (repository.resolve(Constants.HEAD) == null) {
            throw new UpgradeException("the project's git repository has no commit yet: an upgrade could not be"
                    + " reviewed or taken back", "commit the project first (git add -A && git commit), then upgrade");
        }
        Status status;
        try {
            StatusCommand command = Git.wrap(repository).status();
            if (!prefix.isEmpty()) {
                command.addPath(prefix.substring(0, prefix.length() - 1));
            }
            status = command.call();
        } catch (GitAPIException e) {
            throw new UpgradeException("cannot read the work tree's status: " + e.getMessage(), null, e);
        }
        TreeSet<String> dirty = new TreeSet<>();
        dirty.addAll(status.getUncommittedChanges());
        dirty.addAll(status.getUntracked());
        if (!dirty.isEmpty()) {
            List<String> shown = new ArrayList<>(dirty).subList(0, Math.min(5, dirty.size()));
            String what = "the work tree has changes that are not committed: " + String.join(", ", shown)
                    + (dirty.size() > shown.size() ? " and " + (dirty.size() - shown.size()) + " more" : "");
            if (!status.getConflicting().isEmpty()) {
                throw new UpgradeException(what + " (unmerged: " + String.join(", ", status.getConflicting())
                        + "; an upgrade or merge is not finished)", "finish it first: resolve each conflict, git add"
                        + " it and git commit; or take it back: git reset --hard");
            }
            throw new UpgradeException(what, "commit them, or remove them (git stash -u keeps them aside), then"
                    + " upgrade: an upgrade starts from a commit, so that you can review it and take it back");
        }
    }

    /** Every file under a directory: its path with {@code /} to its content. */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(dir.relativize(file).toString().replace(File.separatorChar, '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static byte[] read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    /** Writes a file whole (aside, then moved into place), or deletes it for {@code null}. */
    private static void write(Path file, byte[] content) throws IOException {
        if (content == null) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.getParent());
        Path aside = file.resolveSibling("." + file.getFileName() + ".itsvc-upgrade");
        Files.write(aside, content);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Stages the clean changes and records each conflict as git does: stage 1 the baseline, 2 the project's file, 3
     * the new version's (a side without the file has no stage). Entries the upgrade did not change are kept.
     */
    private static void updateIndex(Repository repository, String prefix, Path basedir,
            List<FileMerge.Change> changes) throws IOException {
        Set<String> changed = new HashSet<>();
        changes.forEach(c -> changed.add(prefix + c.path()));
        DirCache index = repository.lockDirCache();
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            DirCacheBuilder builder = index.builder();
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry entry = index.getEntry(i);
                if (!changed.contains(entry.getPathString())) {
                    builder.add(entry);
                }
            }
            for (FileMerge.Change change : changes) {
                String path = prefix + change.path();
                if (!change.outcome().isConflict()) {
                    if (change.result() != null) {
                        Path file = basedir.resolve(change.path());
                        DirCacheEntry entry = new DirCacheEntry(path);
                        entry.setFileMode(Files.isExecutable(file) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, change.result()));
                        entry.setLength(change.result().length);
                        entry.setLastModified(Files.getLastModifiedTime(file).toInstant());
                        builder.add(entry);
                    }
                    continue;
                }
                byte[][] stages = {change.base(), change.ours(), change.theirs()};
                for (int stage = 0; stage < 3; stage++) {
                    if (stages[stage] != null) {
                        DirCacheEntry entry = new DirCacheEntry(path, stage + 1);
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, stages[stage]));
                        builder.add(entry);
                    }
                }
            }
            inserter.flush();
            builder.finish();
            index.write();
            if (!index.commit()) {
                throw new IOException("could not write the git index " + repository.getIndexFile());
            }
        } finally {
            index.unlock();
        }
    }
}
