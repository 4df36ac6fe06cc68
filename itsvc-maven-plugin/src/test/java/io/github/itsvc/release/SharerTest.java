package io.github.itsvc.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** share against a real upstream served by git daemon on loopback: the push, and the summary a reviewer reads. */
class SharerTest {

    @RegisterExtension
    static final GitUpstreams upstreams = new GitUpstreams();

    @TempDir
    Path dir;

    final List<String> log = new ArrayList<>();

    private static final String SERVICE = """
            name: team-wiki
            binaries:
              tomcat: { maven: "org.apache.tomcat:tomcat:tar.gz:11.0.23" }
            roles:
              web:
                count: 1
                ports: { http: 8080 }
            """;

    private static final String LOCK = """
            binaries:
              tomcat:
                source: maven:org.apache.tomcat:tomcat:tar.gz:11.0.23
                sha256: 1111111111111111111111111111111111111111111111111111111111111111
            """;

    /** A project on main, pushed to a new upstream: the base every test branches from. */
    private Project project() throws Exception {
        String name = upstreams.newBare();
        Project project = Project.create(dir.resolve("work"), upstreams.url(name));
        write(project, "src/main/itsvc/service.yaml", SERVICE);
        write(project, "itsvc.lock", LOCK);
        write(project, "src/main/itsvc/sites/dev.yaml", "target: local\n");
        write(project, "src/main/itsvc/templates/index.html.ftl", "<h1>${values.title}</h1>\n");
        project.commit("team-wiki as upstream has it");
        project.git.push().setRemote("origin").add("main").call();
        project.git.checkout().setCreateBranch(true).setName("tomcat-11.0.24").call();
        return project;
    }

    private static void write(Project project, String path, String content) throws Exception {
        Path file = project.dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Sharer.Request request(Project project) {
        return new Sharer.Request(project.dir, "origin", null, "main", project.dir.resolve("src/main/itsvc"),
                project.dir.resolve("itsvc.lock"), Upstream.Access.NONE);
    }

    @Test
    void pushesTheBranchAndSummarizesBinariesTemplatesRolesAndSites() throws Exception {
        try (Project project = project()) {
            write(project, "src/main/itsvc/service.yaml", SERVICE.replace("11.0.23", "11.0.24")
                    .replace("count: 1", "count: 2"));
            write(project, "itsvc.lock", LOCK.replace("11.0.23", "11.0.24").replace("1111", "2222"));
            project.commit("Tomcat 11.0.24");
            write(project, "src/main/itsvc/templates/index.html.ftl", "<h1>${values.title}!</h1>\n");
            write(project, "src/main/itsvc/sites/live.yaml", "target: local\n");
            project.commit("A live site, and a louder title");

            Sharer.Result result = new Sharer(log::add).share(request(project));

            // Pushed: the upstream has the branch at this commit.
            String url = project.git.getRepository().getConfig().getString("remote", "origin", "url");
            String name = url.substring(url.lastIndexOf('/') + 1);
            try (Repository upstream = upstreams.open(name)) {
                ObjectId pushed = upstream.resolve("refs/heads/tomcat-11.0.24");
                assertThat(pushed).isNotNull();
                assertThat(pushed.name()).isEqualTo(result.head());
            }
            assertThat(log).anyMatch(l -> l.startsWith("Pushed branch tomcat-11.0.24"));
            String summary = String.join("\n", result.summary());
            assertThat(result.base()).isEqualTo(project.git.getRepository().resolve("main").name());
            assertThat(summary)
                    .contains("The following changes since commit " + result.base())
                    .contains("are available in the Git repository at:\n\n  " + url + " tomcat-11.0.24")
                    .contains("for you to fetch changes up to " + result.head())
                    .contains("Release Manager (2):\n      Tomcat 11.0.24\n      A live site, and a louder title")
                    .contains("Binaries:\n  changed  tomcat maven:org.apache.tomcat:tomcat:tar.gz:11.0.23 ->"
                            + " maven:org.apache.tomcat:tomcat:tar.gz:11.0.24 (sha256 111111111111 -> 222222222222)")
                    .contains("Templates:\n  modified src/main/itsvc/templates/index.html.ftl")
                    .contains("Roles:\n  changed  web (count)")
                    .contains("Sites:\n  added    src/main/itsvc/sites/live.yaml")
                    .contains("4 files changed");
            // The base fetched for the comparison is not left behind.
            assertThat(project.git.getRepository().exactRef("refs/itsvc/share/base")).isNull();
        }
    }

    @Test
    void unchangedPartsSayUnchanged() throws Exception {
        try (Project project = project()) {
            write(project, "README.md", "docs\n");
            project.commit("Docs");

            List<String> summary = new Sharer(log::add).share(request(project)).summary();

            assertThat(summary).contains("Binaries: unchanged", "Templates: unchanged", "Roles: unchanged",
                    "Sites: unchanged");
        }
    }

    @Test
    void refusesUncommittedChangesBeforePushingAnything() throws Exception {
        try (Project project = project()) {
            write(project, "src/main/itsvc/sites/live.yaml", "target: local\n");

            assertThatThrownBy(() -> new Sharer(log::add).share(request(project)))
                    .isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("not committed: src/main/itsvc/sites/live.yaml")
                    .hasMessageContaining("fix: commit them");
            assertThat(Git.lsRemoteRepository().setRemote(project.git.getRepository().getConfig()
                    .getString("remote", "origin", "url")).call()).noneMatch(r -> r.getName().endsWith("tomcat-11.0.24"));
        }
    }

    @Test
    void aRejectedPushIsReportedNeverForced() throws Exception {
        try (Project project = project()) {
            write(project, "README.md", "mine\n");
            project.commit("Mine");
            // Someone else pushed another commit to the same branch meanwhile.
            String url = project.git.getRepository().getConfig().getString("remote", "origin", "url");
            Path other = dir.resolve("other");
            try (Git clone = Git.cloneRepository().setURI(url).setBranch("main").setDirectory(other.toFile()).call()) {
                clone.checkout().setCreateBranch(true).setName("tomcat-11.0.24").call();
                Files.writeString(other.resolve("README.md"), "theirs\n");
                clone.add().addFilepattern(".").call();
                clone.commit().setMessage("Theirs").setSign(false).setAuthor("Other", "o@example.com")
                        .setCommitter("Other", "o@example.com").call();
                clone.push().setRemote("origin").add("tomcat-11.0.24").call();
            }

            assertThatThrownBy(() -> new Sharer(log::add).share(request(project)))
                    .isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("push of branch tomcat-11.0.24")
                    .hasMessageContaining("fix: if the branch there has commits you do not have, git pull them");
            assertThat(Git.lsRemoteRepository().setRemote(url).call().stream()
                    .filter(r -> r.getName().equals(Constants.R_HEADS + "tomcat-11.0.24")).findFirst().orElseThrow()
                    .getObjectId()).isNotEqualTo(project.git.getRepository().resolve(Constants.HEAD));
        }
    }

    @Test
    void aNewUpstreamWithoutTheBaseBranchComparesWithNothing() throws Exception {
        try (Project project = project()) {
            Sharer.Request toMain = new Sharer.Request(project.dir, "origin", null, "trunk",
                    project.dir.resolve("src/main/itsvc"), project.dir.resolve("itsvc.lock"), Upstream.Access.NONE);

            Sharer.Result result = new Sharer(log::add).share(toMain);

            assertThat(result.base()).isNull();
            assertThat(result.summary()).anyMatch(l -> l.contains("The branch trunk is not in"))
                    .contains("Roles:", "  added    web", "Sites:", "  added    src/main/itsvc/sites/dev.yaml");
        }
    }
}
