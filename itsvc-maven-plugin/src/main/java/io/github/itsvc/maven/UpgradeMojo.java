package io.github.itsvc.maven;

import io.github.itsvc.upgrade.FileMerge;
import io.github.itsvc.upgrade.UpgradeException;
import io.github.itsvc.upgrade.Upgrader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Upgrades the project to a newer version of the archetype it was generated from: generates the project again with
 * the archetype version and properties recorded in {@code itsvc.baseline} (the baseline) and with the new version,
 * and three-way merges the difference into the project with JGit. Files the new version did not change, and the
 * project's own, stay as they are. Conflicts are left as git leaves them (markers in the file, the file unmerged in
 * the index) for review; the build then fails, naming them and how to finish. A git work tree with uncommitted
 * changes is refused before anything is written.
 */
@Mojo(name = "upgrade", threadSafe = true)
public class UpgradeMojo extends AbstractItsvcMojo {

    /** The archetype version to upgrade to; default this plugin's version. */
    @Parameter(property = PropertyNames.UPGRADE_TO, defaultValue = "${plugin.version}", required = true)
    private String upgradeTo;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Override
    protected void run() throws IOException, MojoExecutionException, MojoFailureException {
        var generator = new InvokerProjectGenerator(session, archetypePluginVersion(), getLog()::debug);
        var request = new Upgrader.Request(basedir.toPath(), upgradeTo, outputDirectory.toPath().resolve("upgrade"));
        Upgrader.Result result;
        try {
            result = new Upgrader(generator, getLog()::info).upgrade(request);
        } catch (UpgradeException e) {
            throw new MojoFailureException(e.getMessage());
        }
        if (result.upToDate()) {
            getLog().info("Nothing to upgrade: the project was generated with " + result.from() + " (to upgrade to"
                    + " another version: -D" + PropertyNames.UPGRADE_TO + "=<version>)");
            return;
        }
        String target = result.to().artifactId() + " " + result.to().version();
        getLog().info("Upgrade from " + result.from().version() + " to " + result.to().version() + " of "
                + result.from().groupId() + ":" + result.from().artifactId() + " (both generations are in "
                + basedir.toPath().relativize(request.workDirectory()) + "):");
        list("merged cleanly", result.clean());
        list("conflicts", result.conflicts());
        if (result.changes().isEmpty()) {
            getLog().info("  no file changed: " + target + " generates the project as it is");
        }
        if (!result.conflicts().isEmpty()) {
            throw new MojoFailureException("The upgrade to " + target + " left " + result.conflicts().size()
                    + (result.conflicts().size() == 1 ? " conflict" : " conflicts") + " for you: "
                    + String.join(", ", result.conflicts().stream().map(FileMerge.Change::path).toList())
                    + "; every other file is merged" + System.lineSeparator() + "    fix: " + result.next());
        }
        getLog().info("Next: " + result.next());
    }

    private void list(String title, List<FileMerge.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        getLog().info("  " + title + " (" + changes.size() + "):");
        int width = changes.stream().mapToInt(c -> c.path().length()).max().orElse(0);
        changes.forEach(c -> getLog().info("    " + String.format("%-" + width + "s", c.path()) + "  "
                + c.outcome().description()));
    }

    /** The maven-archetype-plugin version of this plugin's build (filtered into upgrade.properties). */
    private static String archetypePluginVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = UpgradeMojo.class.getResourceAsStream("upgrade.properties")) {
            if (in == null) {
                throw new IOException("upgrade.properties is missing from the plugin");
            }
            properties.load(in);
        }
        return properties.getProperty("archetype-plugin.version");
    }
}
