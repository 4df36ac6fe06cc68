package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uses the git server as a developer would: commits a file, pushes it to the server's first repository, clones the
 * repository afresh and finds the commit and the file. `mvn verify` runs it against the server it provisioned; the
 * endpoint is the system property itsvc.endpoint.git.git.
 */
class GitServerIT {

    @Test
    void aPushedCommitIsClonedBack(@TempDir Path work) throws Exception {
        String server = System.getProperty("itsvc.endpoint.git.git");
        assertNotNull(server, "no endpoint: run the tests with mvn verify, which provisions the service first");
        String uri = "git://" + server + "/services.git";
        String branch = "itsvc-check-" + UUID.randomUUID();
        String content = "pushed by GitServerIT " + UUID.randomUUID() + "\n";

        ObjectId pushed;
        try (Git git = Git.init().setDirectory(work.resolve("local").toFile()).call()) {
            Files.writeString(work.resolve("local/README.md"), content);
            git.add().addFilepattern("README.md").call();
            RevCommit commit = git.commit().setMessage("A commit to push").setAuthor("itsvc", "itsvc@example.org")
                    .setCommitter("itsvc", "itsvc@example.org").setSign(false).call();
            pushed = commit.getId();
            git.push().setRemote(uri).setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch)).call()
                    .forEach(result -> result.getRemoteUpdates().forEach(update ->
                            assertEquals("OK", update.getStatus().name(), update.toString())));
        }

        Path clone = work.resolve("clone");
        try (Git git = Git.cloneRepository().setURI(uri).setBranch(branch).setDirectory(clone.toFile()).call()) {
            assertEquals(pushed, git.getRepository().resolve("HEAD"));
            assertEquals(content, Files.readString(clone.resolve("README.md")));
        }
    }
}
