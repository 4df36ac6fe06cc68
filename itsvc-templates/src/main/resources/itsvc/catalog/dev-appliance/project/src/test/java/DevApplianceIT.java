package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uses the appliance as a developer would: pushes a service repository to its git server and waits for the build
 * trigger to build the pushed commit; a repository whose build passes is listed SUCCESS, one whose pom.xml is broken
 * FAILURE (so the build really ran Maven). `mvn verify` runs it against the appliance it provisioned; the endpoints
 * are the system properties itsvc.endpoint.git.git and itsvc.endpoint.ci.http.
 */
class DevApplianceIT {

    static final String POM = """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.example</groupId>
              <artifactId>pushed</artifactId>
              <version>1.0</version>
              <packaging>pom</packaging>
            </project>
            """;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPushedRepositoryIsBuiltAndABrokenOneFails(@TempDir Path work) throws Exception {
        String git = System.getProperty("itsvc.endpoint.git.git");
        String ci = System.getProperty("itsvc.endpoint.ci.http");
        assertNotNull(git, "no endpoint: run the tests with mvn verify, which provisions the service first");
        assertNotNull(ci, "no endpoint: run the tests with mvn verify, which provisions the service first");
        String uri = "git://" + git + "/services.git";

        String good = push(work.resolve("good"), uri, POM);
        String broken = push(work.resolve("broken"), uri, POM.replace("</project>", "<build>"));

        assertEquals("SUCCESS", waitForBuild(ci, good), "the build of " + good + ", see http://" + ci + "/builds/"
                + good + ".log");
        assertEquals("FAILURE exit 1", waitForBuild(ci, broken), "the build of the broken " + broken);
    }

    /** Commits pom.xml to a new branch and pushes it; returns the commit. */
    private static String push(Path dir, String uri, String pom) throws Exception {
        String branch = "itsvc-check-" + UUID.randomUUID();
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            Files.writeString(dir.resolve("pom.xml"), pom);
            git.add().addFilepattern("pom.xml").call();
            RevCommit commit = git.commit().setMessage("A service to build").setAuthor("itsvc", "itsvc@example.org")
                    .setCommitter("itsvc", "itsvc@example.org").setSign(false).call();
            git.push().setRemote(uri).setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch)).call()
                    .forEach(result -> result.getRemoteUpdates().forEach(update ->
                            assertEquals("OK", update.getStatus().name(), update.toString())));
            return commit.getId().name();
        }
    }

    /** The result of the commit's build, once it has one: polls /builds for up to three minutes. */
    private String waitForBuild(String ci, String commit) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        String builds = "";
        while (Instant.now().isBefore(deadline)) {
            builds = http.send(HttpRequest.newBuilder(URI.create("http://" + ci + "/builds")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : builds.split("\n")) {
                String[] fields = line.split(" ", 4);
                if (fields.length == 4 && fields[2].equals(commit) && !fields[3].equals("RUNNING")) {
                    return fields[3];
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no finished build of " + commit + " within 3 minutes; builds:\n" + builds);
    }
}
