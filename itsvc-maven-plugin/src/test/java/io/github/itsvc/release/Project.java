package io.github.itsvc.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;

/** A service project in a real git work tree, whose origin is an upstream served by {@link GitDaemon}. */
final class Project implements AutoCloseable {

    static final String SERVICE = "team-wiki";
    static final List<Path> INPUTS = List.of(Path.of("pom.xml"), Path.of("itsvc.lock"), Path.of("src/main/itsvc"));

    final Path dir;
    final Git git;

    private Project(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    static Project create(Path dir, String origin) throws Exception {
        Files.createDirectories(dir.resolve("src/main/itsvc"));
        Files.writeString(dir.resolve(".gitignore"), "target/\n");
        Files.writeString(dir.resolve("pom.xml"), "<project><artifactId>team-wiki</artifactId></project>\n");
        Files.writeString(dir.resolve("itsvc.lock"), "# itsvc.lock\n");
        Files.writeString(dir.resolve("src/main/itsvc/service.yaml"), "name: team-wiki\n# version 1\n");
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setString("remote", "origin", "url", origin);
        config.setString("user", null, "name", "Release Manager");
        config.setString("user", null, "email", "rm@publisher.example");
        config.setBoolean("commit", null, "gpgsign", false);
        config.save();
        Project project = new Project(dir, git);
        project.commit("service team-wiki");
        return project;
    }

    void change(String content) throws Exception {
        Files.writeString(dir.resolve("src/main/itsvc/service.yaml"), "name: team-wiki\n# " + content + "\n");
        commit(content);
    }

    void commit(String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setSign(false).call();
    }

    /** What a passing test-deployment of the work tree as it is would have recorded. */
    Evidence passingEvidence() throws Exception {
        return new Evidence("dev", ConfigDigest.of(dir, INPUTS), 2, 2, 0, 0, Instant.now().toString());
    }

    Releaser.Request request(String version, ReleaseSigner signer) throws Exception {
        return request(version, signer, passingEvidence());
    }

    Releaser.Request request(String version, ReleaseSigner signer, Evidence evidence) throws Exception {
        var binaries = new TreeMap<String, Map<String, String>>(Map.of("tomcat", Map.of("source",
                "maven:org.apache.tomcat:tomcat:tar.gz:11.0.24", "sha512", "ab".repeat(64))));
        var templates = new TreeMap<String, String>(Map.of("io.github.itsvc:itsvc-templates", "0.1.0"));
        return new Releaser.Request(dir, SERVICE, version, "dev", evidence, ConfigDigest.of(dir, INPUTS), binaries,
                templates, "origin", Upstream.Access.NONE, signer, "dev", Duration.ofDays(30));
    }

    @Override
    public void close() {
        git.getRepository().close();
        git.close();
    }
}
