package io.github.itsvc.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.upgrade.FileMerge.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade core on real git work trees. The archetype is stood in for by {@link Archetypes} (a few files per
 * version, with the archetype's properties filled in, and the baseline it records): the real archetype:generate runs
 * in the invoker ITs (src/it/upgrade-*).
 */
class UpgraderTest {

    private static final String README_1 = "# ${artifactId}\n\nA service.\n\nBuild it: mvn verify\n";
    private static final String README_2 = "# ${artifactId}\n\nA service.\n\nBuild it: mvn verify (Java 17+)\n";
    private static final String TEMPLATE = "<html>\n<title>${artifactId}</title>\n<body>Welcome</body>\n</html>\n";

    @TempDir
    Path dir;

    private final Archetypes archetypes = new Archetypes();
    private final List<String> log = new ArrayList<>();
    private Path project;

    @BeforeEach
    void versions() {
        archetypes.version("1.0", Map.of("README.md", README_1, "index.html.ftl", TEMPLATE, "sites/dev.yaml", "a: 1\n"));
        archetypes.version("2.0", Map.of("README.md", README_2, "index.html.ftl", TEMPLATE, "sites/dev.yaml", "a: 1\n",
                "sites/beta.yaml", "b: 2\n"));
        project = dir.resolve("team-wiki");
    }

    private Upgrader.Result upgrade(String version) throws Exception {
        return new Upgrader(archetypes, log::add).upgrade(new Upgrader.Request(project, version,
                dir.resolve("work")));
    }

    @Test
    void aLocalEditAndTheNewVersionsChangeToAnotherFileBothLandWithoutConflict() throws Exception {
        Git git = generateAndCommit("1.0", project);
        edit("index.html.ftl", "Welcome", "Welcome to our wiki");
        commit(git, "our landing page");

        Upgrader.Result result = upgrade("2.0");

        assertThat(result.conflicts()).isEmpty();
        assertThat(result.clean()).extracting(FileMerge.Change::path, FileMerge.Change::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("README.md", Outcome.UPDATED),
                org.assertj.core.groups.Tuple.tuple("itsvc.baseline", Outcome.RECORDED),
                org.assertj.core.groups.Tuple.tuple("sites/beta.yaml", Outcome.ADDED));
        assertThat(read("index.html.ftl")).contains("Welcome to our wiki");
        assertThat(read("README.md")).isEqualTo("# team-wiki\n\nA service.\n\nBuild it: mvn verify (Java 17+)\n");
        assertThat(read("sites/beta.yaml")).isEqualTo("b: 2\n");
        assertThat(read("itsvc.baseline")).contains("archetype=g:archetype:2.0");
        // Staged like a merge git did, nothing unmerged, nothing left unstaged.
        Status status = git.status().call();
        assertThat(status.getConflicting()).isEmpty();
        assertThat(status.getChanged()).containsExactlyInAnyOrder("README.md", "itsvc.baseline");
        assertThat(status.getAdded()).containsExactly("sites/beta.yaml");
        assertThat(status.getModified()).isEmpty();
        assertThat(status.getUntracked()).isEmpty();
        assertThat(result.next()).contains("git commit");
    }

    @Test
    void bothChangingTheSameLineIsLeftAsAGitConflictAndTheRestOfTheTreeIsIntact() throws Exception {
        Git git = generateAndCommit("1.0", project);
        edit("README.md", "Build it: mvn verify", "Build it: ./mvnw verify");
        edit("index.html.ftl", "Welcome", "Welcome to our wiki");
        Files.writeString(project.resolve("NOTES.md"), "ours alone\n");
        commit(git, "our changes");

        Upgrader.Result result = upgrade("2.0");

        assertThat(result.conflicts()).extracting(FileMerge.Change::path).containsExactly("README.md");
        assertThat(read("README.md")).isEqualTo("# team-wiki\n\nA service.\n\n<<<<<<< project\n"
                + "Build it: ./mvnw verify\n=======\nBuild it: mvn verify (Java 17+)\n>>>>>>> archetype 2.0\n");
        assertThat(read("index.html.ftl")).contains("Welcome to our wiki");
        assertThat(read("NOTES.md")).isEqualTo("ours alone\n");
        assertThat(read("sites/beta.yaml")).isEqualTo("b: 2\n");

        Status status = git.status().call();
        assertThat(status.getConflicting()).containsExactly("README.md");
        assertThat(status.getAdded()).containsExactly("sites/beta.yaml");
        DirCache index = git.getRepository().readDirCache();
        assertThat(stages(index, "README.md")).containsExactly(1, 2, 3);
        assertThat(blob(git, index, "README.md", 2)).contains("./mvnw verify");
        assertThat(blob(git, index, "README.md", 3)).contains("(Java 17+)");
        assertThat(stages(index, "index.html.ftl")).containsExactly(0);
        assertThat(result.next()).contains("git add").contains("git reset --hard").contains("README.md");
    }

    @Test
    void aDirtyWorkTreeIsRefusedBeforeAnythingIsGeneratedOrWritten() throws Exception {
        Git git = generateAndCommit("1.0", project);
        edit("index.html.ftl", "Welcome", "Not committed");

        assertThatThrownBy(() -> upgrade("2.0")).isInstanceOf(UpgradeException.class)
                .hasMessageContaining("not committed: index.html.ftl").hasMessageContaining("fix: commit them");
        assertThat(archetypes.generated).isEmpty();
        assertThat(read("README.md")).isEqualTo("# team-wiki\n\nA service.\n\nBuild it: mvn verify\n");
        assertThat(git.status().call().getModified()).containsExactly("index.html.ftl");

        Files.writeString(project.resolve("index.html.ftl"), TEMPLATE.replace("${artifactId}", "team-wiki"));
        Files.writeString(project.resolve("stray.txt"), "x\n");
        assertThatThrownBy(() -> upgrade("2.0")).isInstanceOf(UpgradeException.class)
                .hasMessageContaining("not committed: stray.txt");
    }

    @Test
    void anUnfinishedUpgradeIsRefusedToo() throws Exception {
        Git git = generateAndCommit("1.0", project);
        edit("README.md", "Build it: mvn verify", "Build it: ./mvnw verify");
        commit(git, "ours");
        assertThat(upgrade("2.0").conflicts()).hasSize(1);

        assertThatThrownBy(() -> upgrade("2.0")).isInstanceOf(UpgradeException.class)
                .hasMessageContaining("unmerged: README.md").hasMessageContaining("fix: finish it first");
    }

    @Test
    void theSameVersionIsUpToDateAndChangesNothing() throws Exception {
        generateAndCommit("1.0", project);
        Upgrader.Result result = upgrade("1.0");
        assertThat(result.upToDate()).isTrue();
        assertThat(result.changes()).isEmpty();
        assertThat(archetypes.generated).isEmpty();
    }

    @Test
    void theBaselineIsGeneratedWithTheRecordedPropertiesAndTheUpgradeLetsTheNewVersionChooseDefaultedPins()
            throws Exception {
        generateAndCommit("1.0", project);
        upgrade("2.0");
        assertThat(archetypes.generated).hasSize(2);
        assertThat(archetypes.generated.get(0)).containsEntry("archetypeVersion", "1.0")
                .containsEntry("itsvcVersion", "1.0").containsEntry("artifactId", "team-wiki");
        assertThat(archetypes.generated.get(1)).containsEntry("archetypeVersion", "2.0")
                .doesNotContainKey("itsvcVersion").containsEntry("artifactId", "team-wiki");
        assertThat(read("itsvc.baseline")).contains("itsvcVersion=2.0");
    }

    @Test
    void aProjectInASubdirectoryOfTheRepositoryGetsItsConflictsAtItsPathsInTheIndex() throws Exception {
        Path top = dir.resolve("services");
        project = top.resolve("team-wiki");
        archetypes.generate(archetypes.archetype("1.0"), archetypes.properties("1.0"), top);
        Git git = init(top);
        edit("README.md", "Build it: mvn verify", "Build it: ./mvnw verify");
        commit(git, "ours");

        upgrade("2.0");

        Status status = git.status().call();
        assertThat(status.getConflicting()).containsExactly("team-wiki/README.md");
        assertThat(status.getAdded()).containsExactly("team-wiki/sites/beta.yaml");
    }

    @Test
    void aProjectOutsideGitIsMergedInItsFilesAndSaysSo() throws Exception {
        archetypes.generate(archetypes.archetype("1.0"), archetypes.properties("1.0"), dir);
        edit("README.md", "Build it: mvn verify", "Build it: ./mvnw verify");

        Upgrader.Result result = upgrade("2.0");

        assertThat(result.repository()).isFalse();
        assertThat(result.conflicts()).extracting(FileMerge.Change::path).containsExactly("README.md");
        assertThat(read("README.md")).contains("<<<<<<< project");
        assertThat(log).anyMatch(line -> line.contains("not in a git work tree"));
        assertThat(result.next()).doesNotContain("git");
    }

    @Test
    void aFileDeletedHereAndChangedByTheNewVersionConflictsWithTheNewVersionInTheTree() throws Exception {
        archetypes.version("3.0", Map.of("README.md", README_1, "index.html.ftl", TEMPLATE.replace("Welcome", "Hi"),
                "sites/dev.yaml", "a: 1\n"));
        Git git = generateAndCommit("1.0", project);
        git.rm().addFilepattern("index.html.ftl").call();
        commit(git, "no landing page");

        Upgrader.Result result = upgrade("3.0");

        assertThat(result.conflicts()).extracting(FileMerge.Change::path, FileMerge.Change::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("index.html.ftl", Outcome.DELETED_HERE));
        assertThat(read("index.html.ftl")).contains("Hi");
        assertThat(stages(git.getRepository().readDirCache(), "index.html.ftl")).containsExactly(1, 3);
        assertThat(git.status().call().getConflicting()).containsExactly("index.html.ftl");
    }

    // --- helpers

    private Git generateAndCommit(String version, Path where) throws Exception {
        archetypes.generate(archetypes.archetype(version), archetypes.properties(version), where.getParent());
        archetypes.generated.clear();
        return init(where);
    }

    private static Git init(Path where) throws Exception {
        Files.writeString(where.resolve(".gitignore"), "target/\n");
        Git git = Git.init().setDirectory(where.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setString("user", null, "name", "Service Author");
        config.setString("user", null, "email", "author@example.org");
        config.setBoolean("commit", null, "gpgsign", false);
        config.save();
        commit(git, "generated");
        return git;
    }

    private static void commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        git.commit().setMessage(message).setSign(false).call();
    }

    private void edit(String path, String from, String to) throws Exception {
        Path file = project.resolve(path);
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    private String read(String path) throws Exception {
        return Files.readString(project.resolve(path));
    }

    private static List<Integer> stages(DirCache index, String path) {
        List<Integer> stages = new ArrayList<>();
        for (int i = 0; i < index.getEntryCount(); i++) {
            if (index.getEntry(i).getPathString().equals(path)) {
                stages.add(index.getEntry(i).getStage());
            }
        }
        return stages;
    }

    private static String blob(Git git, DirCache index, String path, int stage) throws Exception {
        for (int i = 0; i < index.getEntryCount(); i++) {
            var entry = index.getEntry(i);
            if (entry.getPathString().equals(path) && entry.getStage() == stage) {
                return new String(git.getRepository().open(entry.getObjectId()).getBytes(), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no stage " + stage + " of " + path);
    }

    /**
     * Stands in for archetype:generate: per version a few files with {@code ${artifactId}} filled in, and the
     * itsvc.baseline the real archetype records (itsvcVersion defaults to the archetype's version).
     */
    static final class Archetypes implements ProjectGenerator {

        final Map<String, Map<String, String>> versions = new TreeMap<>();
        final List<Map<String, String>> generated = new ArrayList<>();

        void version(String version, Map<String, String> files) {
            versions.put(version, files);
        }

        Baseline.Archetype archetype(String version) {
            return new Baseline.Archetype("g", "archetype", version);
        }

        Map<String, String> properties(String version) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("template", "landing-page");
            properties.put("groupId", "com.example");
            properties.put("artifactId", "team-wiki");
            properties.put("itsvcVersion", version);
            return properties;
        }

        @Override
        public Path generate(Baseline.Archetype archetype, Map<String, String> given, Path outputDirectory)
                throws java.io.IOException {
            Map<String, String> seen = new LinkedHashMap<>(given);
            seen.put("archetypeVersion", archetype.version());
            generated.add(seen);
            Map<String, String> properties = new LinkedHashMap<>(given);
            String itsvcVersion = properties.computeIfAbsent("itsvcVersion", k -> archetype.version());
            Path project = outputDirectory.resolve(properties.get("artifactId"));
            for (var file : versions.get(archetype.version()).entrySet()) {
                Path target = project.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue().replace("${artifactId}", properties.get("artifactId")));
            }
            StringBuilder baseline = new StringBuilder("archetype=" + archetype + "\n");
            properties.forEach((k, v) -> baseline.append(k).append('=').append(v).append('\n'));
            baseline.append("defaults=").append(itsvcVersion.equals(archetype.version()) ? "itsvcVersion" : "")
                    .append('\n');
            Files.writeString(project.resolve(Baseline.FILE), baseline);
            return project;
        }
    }
}
