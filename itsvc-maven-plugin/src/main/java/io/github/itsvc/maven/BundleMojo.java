package io.github.itsvc.maven;

import io.github.itsvc.bundle.SiteBundle;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Zips the chosen site's rendered configuration ({@code target/itsvc/<site>/}) into the project's artifact,
 * {@code target/<finalName>.zip}, so {@code install} and {@code deploy} publish it. The zip is reproducible.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BundleMojo extends AbstractItsvcMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The bundle's file name, without {@code .zip}. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    private String finalName;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    /** The timestamp of every zip entry, for reproducible bundles. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    @Override
    protected void run() throws IOException, MojoFailureException {
        Path siteDir = outputDirectory.toPath().resolve(site);
        Path zip = buildDirectory.toPath().resolve(finalName + ".zip");
        SiteBundle.write(siteDir, zip, timestamp());
        project.getArtifact().setFile(zip.toFile());
        getLog().info("Bundled site " + site + " into " + basedir.toPath().relativize(zip));
    }

    private Instant timestamp() throws MojoFailureException {
        if (outputTimestamp == null || outputTimestamp.isBlank() || outputTimestamp.length() < 2) {
            return Instant.parse("1980-01-01T00:00:02Z"); // the earliest time a zip entry can hold
        }
        try {
            return outputTimestamp.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochSecond(Long.parseLong(outputTimestamp))
                    : Instant.parse(outputTimestamp);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new MojoFailureException("<project.build.outputTimestamp> '" + outputTimestamp
                    + "' is neither an ISO-8601 instant (2026-01-01T00:00:00Z) nor seconds since the epoch");
        }
    }
}
