package io.github.itsvc.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Shares the branch a service project is on: pushes it (never forced) to a fork or the upstream, then says what a
 * reviewer needs, the way {@code git request-pull} does: the commits since the merge base with the upstream's branch,
 * and what they change in the service's terms — binaries (the lock file's pins and {@code service.yaml}'s sources),
 * templates, roles and sites — then the files. JGit only.
 */
public final class Sharer {

    private static final String BASE_REF = "refs/itsvc/share/base";

    /**
     * @param basedir the service project (anywhere in a git work tree)
     * @param remote where the branch goes: a remote's name or a URL
     * @param upstream where the branch to compare with is: a remote's name or a URL ({@code null}: the remote)
     * @param baseBranch the upstream's branch the changes are for, e.g. {@code main}
     * @param definitionDir the project's definition directory ({@code src/main/itsvc})
     * @param lockFile the project's lock file
     */
    public record Request(Path basedir, String remote, String upstream, String baseBranch, Path definitionDir,
            Path lockFile, Upstream.Access access) {}

    /** What was shared, and the summary for the pull request. */
    public record Result(String branch, String url, String head, String base, List<String> summary) {}

    private final Consumer<String> log;

    public Sharer(Consumer<String> log) {
        this.log = log;
    }

    public Result share(Request request) throws ReleaseException, IOException {
        try (Repository repository = Releaser.open(request.basedir()); Git git = Git.wrap(repository)) {
            Releaser.requireClean(git, "commit them (a pull request is commits), or remove them");
            String branch = repository.getBranch();
            ObjectId headId = repository.resolve(Constants.HEAD);
            if (headId == null) {
                throw new ReleaseException("the repository has no commit yet", "commit the project first");
            }
            if (branch == null || ObjectId.isId(branch)) {
                throw new ReleaseException("HEAD is detached (at " + headId.name().substring(0, 12) + "), on no branch"
                        + " to share", "create one: git switch -c <name>");
            }
            String url = Upstream.resolve(repository, request.remote());
            Upstream target = new Upstream(url, request.access());
            String upstreamUrl = request.upstream() == null ? url : Upstream.resolve(repository, request.upstream());
            Upstream upstream = new Upstream(upstreamUrl, request.access());

            // The branch the changes are for, as the upstream has it now.
            String baseRef = Constants.R_HEADS + request.baseBranch();
            ObjectId base = null;
            if (upstream.refs().containsKey(baseRef)) {
                upstream.fetch(repository, List.of("+" + baseRef + ":" + BASE_REF));
                base = repository.resolve(BASE_REF);
            }
            String failure = target.push(repository, List.of(Constants.R_HEADS + branch));
            if (failure != null) {
                throw new ReleaseException("push of branch " + branch + " to " + url + " failed: " + failure,
                        "if the branch there has commits you do not have, git pull them first (itsvc never forces a"
                                + " push); otherwise check that you may push to " + url);
            }
            log.accept("Pushed branch " + branch + " (" + headId.name().substring(0, 12) + ") to "
                    + Syncer.display(url));
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit head = walk.parseCommit(headId);
                RevCommit mergeBase = base == null ? null : mergeBase(walk, head, walk.parseCommit(base));
                List<String> summary = summary(repository, walk, mergeBase, head, url, branch, request,
                        upstreamUrl);
                return new Result(branch, url, head.name(), mergeBase == null ? null : mergeBase.name(), summary);
            } finally {
                RefUpdate delete = repository.updateRef(BASE_REF);
                delete.setForceUpdate(true);
                delete.delete();
            }
        }
    }

    private static RevCommit mergeBase(RevWalk walk, RevCommit a, RevCommit b) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(a);
        walk.markStart(b);
        RevCommit found = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        return found;
    }

    private List<String> summary(Repository repository, RevWalk walk, RevCommit base, RevCommit head, String url,
            String branch, Request request, String upstreamUrl) throws IOException {
        List<String> lines = new ArrayList<>();
        if (base == null) {
            lines.add("The branch " + request.baseBranch() + " is not in " + Syncer.display(upstreamUrl)
                    + ": everything is new.");
        } else {
            lines.add("The following changes since commit " + base.name() + ":");
            lines.add("");
            lines.add("  " + base.getShortMessage());
            lines.add("");
        }
        lines.add("are available in the Git repository at:");
        lines.add("");
        lines.add("  " + Syncer.display(url) + " " + branch);
        lines.add("");
        lines.add("for you to fetch changes up to " + head.name() + ":");
        lines.add("");
        lines.add("  " + head.getShortMessage());
        lines.add("");
        String rule = "-".repeat(64);
        lines.add(rule);
        List<RevCommit> commits = commits(walk, base, head);
        Map<String, List<String>> authors = new LinkedHashMap<>();
        for (RevCommit c : commits) {
            authors.computeIfAbsent(c.getAuthorIdent().getName(), k -> new ArrayList<>()).add(c.getShortMessage());
        }
        if (commits.isEmpty()) {
            lines.add("No commits beyond " + request.baseBranch() + ".");
        }
        authors.forEach((author, messages) -> {
            lines.add(author + " (" + messages.size() + "):");
            messages.forEach(m -> lines.add("      " + m));
            lines.add("");
        });
        lines.add(rule);

        Path workTree = repository.getWorkTree().toPath().toRealPath();
        String definition = relative(workTree, request.definitionDir());
        String lock = relative(workTree, request.lockFile());
        String serviceYaml = definition + "service.yaml";
        List<DiffEntry> diffs = diff(repository, base, head);
        ObjectReader reader = repository.newObjectReader();
        try (reader) {
            Map<String, Object> serviceBefore = yaml(reader, base, serviceYaml);
            Map<String, Object> serviceAfter = yaml(reader, head, serviceYaml);
            section(lines, "Binaries", binaries(serviceBefore, serviceAfter, yaml(reader, base, lock),
                    yaml(reader, head, lock)));
            section(lines, "Templates", files(diffs, definition + "templates/"));
            section(lines, "Roles", roles(serviceBefore, serviceAfter));
            section(lines, "Sites", files(diffs, definition + "sites/"));
        }
        lines.add("Files:");
        int added = 0;
        int deleted = 0;
        try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            formatter.setRepository(repository);
            for (DiffEntry d : diffs) {
                int plus = 0;
                int minus = 0;
                for (Edit edit : formatter.toFileHeader(d).toEditList()) {
                    plus += edit.getLengthB();
                    minus += edit.getLengthA();
                }
                added += plus;
                deleted += minus;
                lines.add(String.format(" %-60s | %d+ %d-", path(d), plus, minus));
            }
        }
        lines.add(" " + diffs.size() + " file" + (diffs.size() == 1 ? "" : "s") + " changed, " + added + " insertion"
                + (added == 1 ? "" : "s") + "(+), " + deleted + " deletion" + (deleted == 1 ? "" : "s") + "(-)");
        return lines;
    }

    private static List<RevCommit> commits(RevWalk walk, RevCommit base, RevCommit head) throws IOException {
        walk.reset();
        walk.markStart(walk.parseCommit(head));
        if (base != null) {
            walk.markUninteresting(walk.parseCommit(base));
        }
        List<RevCommit> commits = new ArrayList<>();
        for (RevCommit c : walk) {
            commits.add(c);
        }
        walk.reset();
        java.util.Collections.reverse(commits);
        return commits;
    }

    private static void section(List<String> lines, String title, List<String> entries) {
        lines.add(title + ":" + (entries.isEmpty() ? " unchanged" : ""));
        entries.forEach(e -> lines.add("  " + e));
    }

    /** Binaries added, removed, or changed in source or pinned hash. */
    static List<String> binaries(Map<String, Object> serviceBefore, Map<String, Object> serviceAfter,
            Map<String, Object> lockBefore, Map<String, Object> lockAfter) {
        Map<String, Object> defBefore = map(serviceBefore.get("binaries"));
        Map<String, Object> defAfter = map(serviceAfter.get("binaries"));
        Map<String, Object> pinBefore = map(lockBefore.get("binaries"));
        Map<String, Object> pinAfter = map(lockAfter.get("binaries"));
        TreeSet<String> names = new TreeSet<>();
        names.addAll(defBefore.keySet());
        names.addAll(defAfter.keySet());
        names.addAll(pinBefore.keySet());
        names.addAll(pinAfter.keySet());
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            boolean was = defBefore.containsKey(name);
            boolean is = defAfter.containsKey(name);
            Map<String, Object> before = map(pinBefore.get(name));
            Map<String, Object> after = map(pinAfter.get(name));
            if (!was && is) {
                lines.add("added    " + name + " " + source(after, defAfter.get(name)) + pin(after));
            } else if (was && !is) {
                lines.add("removed  " + name + " " + source(before, defBefore.get(name)));
            } else if (!Objects.equals(defBefore.get(name), defAfter.get(name)) || !before.equals(after)) {
                String from = source(before, defBefore.get(name));
                String to = source(after, defAfter.get(name));
                lines.add("changed  " + name + " " + (from.equals(to) ? to : from + " -> " + to)
                        + pinChange(before, after));
            }
        }
        return lines;
    }

    private static String source(Map<String, Object> pin, Object definition) {
        if (pin.get("source") != null) {
            return String.valueOf(pin.get("source"));
        }
        Map<String, Object> def = map(definition);
        for (String key : List.of("maven", "url", "file")) {
            if (def.get(key) != null) {
                return key + ":" + def.get(key);
            }
        }
        return "";
    }

    private static String pin(Map<String, Object> pin) {
        return pin.get("sha256") == null ? " (not pinned)" : " (sha256 " + shortHash(pin.get("sha256")) + ")";
    }

    private static String pinChange(Map<String, Object> before, Map<String, Object> after) {
        Object a = before.get("sha256");
        Object b = after.get("sha256");
        if (Objects.equals(a, b)) {
            return "";
        }
        return " (sha256 " + (a == null ? "none" : shortHash(a)) + " -> " + (b == null ? "none" : shortHash(b)) + ")";
    }

    private static String shortHash(Object hash) {
        String h = String.valueOf(hash);
        return h.substring(0, Math.min(12, h.length()));
    }

    /** Roles added, removed, or changed, with the keys that changed. */
    static List<String> roles(Map<String, Object> serviceBefore, Map<String, Object> serviceAfter) {
        Map<String, Object> before = map(serviceBefore.get("roles"));
        Map<String, Object> after = map(serviceAfter.get("roles"));
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            if (!before.containsKey(name)) {
                lines.add("added    " + name);
            } else if (!after.containsKey(name)) {
                lines.add("removed  " + name);
            } else if (!Objects.equals(before.get(name), after.get(name))) {
                Map<String, Object> a = map(before.get(name));
                Map<String, Object> b = map(after.get(name));
                TreeSet<String> keys = new TreeSet<>(a.keySet());
                keys.addAll(b.keySet());
                keys.removeIf(k -> Objects.equals(a.get(k), b.get(k)));
                lines.add("changed  " + name + " (" + String.join(", ", keys) + ")");
            }
        }
        return lines;
    }

    /** Files added, deleted, modified or renamed under a folder of the repository. */
    private static List<String> files(List<DiffEntry> diffs, String folder) {
        List<String> lines = new ArrayList<>();
        for (DiffEntry d : diffs) {
            String path = path(d);
            if (!path.startsWith(folder) && !d.getOldPath().startsWith(folder)) {
                continue;
            }
            String what = switch (d.getChangeType()) {
                case ADD -> "added   ";
                case DELETE -> "deleted ";
                case MODIFY -> "modified";
                case RENAME -> "renamed ";
                case COPY -> "copied  ";
            };
            lines.add(what + " " + (d.getChangeType() == DiffEntry.ChangeType.RENAME ? d.getOldPath() + " -> " : "")
                    + path);
        }
        return lines;
    }

    private static String path(DiffEntry d) {
        return d.getChangeType() == DiffEntry.ChangeType.DELETE ? d.getOldPath() : d.getNewPath();
    }

    private static List<DiffEntry> diff(Repository repository, RevCommit base, RevCommit head) throws IOException {
        try (ObjectReader reader = repository.newObjectReader();
                DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            formatter.setRepository(repository);
            formatter.setDetectRenames(true);
            CanonicalTreeParser after = new CanonicalTreeParser(null, reader, head.getTree());
            if (base == null) {
                return formatter.scan(new EmptyTreeIterator(), after);
            }
            return formatter.scan(new CanonicalTreeParser(null, reader, base.getTree()), after);
        }
    }

    /** A YAML file of a commit as plain maps; empty when the commit has no such file or it does not parse. */
    private static Map<String, Object> yaml(ObjectReader reader, RevCommit commit, String path) throws IOException {
        if (commit == null) {
            return Map.of();
        }
        RevTree tree = commit.getTree();
        try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            if (walk == null) {
                return Map.of();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            reader.open(walk.getObjectId(0)).copyTo(out);
            Object loaded = new Load(LoadSettings.builder().build()).loadFromString(out.toString(
                    StandardCharsets.UTF_8));
            return map(loaded);
        } catch (YamlEngineException e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }
        return Map.of();
    }

    /** A path inside the work tree as git names it, with a trailing slash for a folder. */
    private static String relative(Path workTree, Path path) throws IOException {
        Path real = path.toAbsolutePath().normalize();
        try {
            real = real.toRealPath();
        } catch (IOException missing) {
            // not there (yet): the normalized path names it
        }
        String rel = workTree.relativize(real).toString().replace('\\', '/');
        return java.nio.file.Files.isDirectory(real) && !rel.isEmpty() ? rel + "/" : rel;
    }
}
