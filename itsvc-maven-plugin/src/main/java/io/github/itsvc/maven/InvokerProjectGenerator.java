package io.github.itsvc.maven;

import io.github.itsvc.upgrade.Baseline;
import io.github.itsvc.upgrade.ProjectGenerator;
import io.github.itsvc.upgrade.UpgradeException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.shared.invoker.DefaultInvocationRequest;
import org.apache.maven.shared.invoker.DefaultInvoker;
import org.apache.maven.shared.invoker.InvocationRequest;
import org.apache.maven.shared.invoker.InvocationResult;
import org.apache.maven.shared.invoker.MavenInvocationException;

/**
 * Generates a project as a user does, {@code mvn archetype:generate -B}, in a Maven of its own (the one running this
 * build), with this build's settings, local repository and offline mode: the archetype's own Velocity files and
 * post-generation script run exactly as at generation time, and the archetype is resolved like any artifact.
 */
final class InvokerProjectGenerator implements ProjectGenerator {

    private static final int TIMEOUT_SECONDS = 600;

    private final MavenSession session;
    private final String archetypePluginVersion;
    private final Consumer<String> debug;

    InvokerProjectGenerator(MavenSession session, String archetypePluginVersion, Consumer<String> debug) {
        this.session = session;
        this.archetypePluginVersion = archetypePluginVersion;
        this.debug = debug;
    }

    @Override
    public Path generate(Baseline.Archetype archetype, Map<String, String> properties, Path outputDirectory)
            throws UpgradeException, IOException {
        String mavenHome = System.getProperty("maven.home");
        if (mavenHome == null) {
            throw new UpgradeException("cannot tell where Maven is installed (no maven.home) to run archetype:generate",
                    "run the upgrade with the mvn command (or ./mvnw) of a Maven 3.9 installation");
        }
        Properties generation = new Properties();
        generation.setProperty("archetypeGroupId", archetype.groupId());
        generation.setProperty("archetypeArtifactId", archetype.artifactId());
        generation.setProperty("archetypeVersion", archetype.version());
        // The coordinates are given: no catalog has to be fetched.
        generation.setProperty("archetypeCatalog", "internal");
        properties.forEach(generation::setProperty);

        InvocationRequest request = new DefaultInvocationRequest()
                .setBaseDirectory(outputDirectory.toFile())
                .setGoals(List.of("org.apache.maven.plugins:maven-archetype-plugin:" + archetypePluginVersion
                        + ":generate"))
                .setProperties(generation)
                .setBatchMode(true)
                .setNoTransferProgress(true)
                .setOffline(session.isOffline())
                .setLocalRepositoryDirectory(session.getRepositorySession().getLocalRepository().getBasedir())
                .setUserSettingsFile(existing(session.getRequest().getUserSettingsFile()))
                .setGlobalSettingsFile(existing(session.getRequest().getGlobalSettingsFile()))
                .setJavaHome(new File(System.getProperty("java.home")))
                .setMavenHome(new File(mavenHome))
                .setInputStream(InputStream.nullInputStream());
        request.setTimeoutInSeconds(TIMEOUT_SECONDS);
        List<String> output = new ArrayList<>();
        request.setOutputHandler(line -> {
            output.add(line);
            debug.accept("[archetype:generate] " + line);
        });
        request.setErrorHandler(request.getOutputHandler(null));

        InvocationResult result;
        try {
            result = new DefaultInvoker().execute(request);
        } catch (MavenInvocationException e) {
            throw new UpgradeException("could not run archetype:generate of " + archetype + ": " + e.getMessage(),
                    null, e);
        }
        if (result.getExitCode() != 0) {
            List<String> errors = output.stream().filter(l -> l.startsWith("[ERROR] "))
                    .map(l -> l.substring("[ERROR] ".length()).strip())
                    .filter(l -> !l.isEmpty() && !l.contains("[Help ") && !l.contains(" -e switch")
                            && !l.contains(" -X switch") && !l.startsWith("For more information")
                            && !l.startsWith("Re-run Maven"))
                    .toList();
            throw new UpgradeException("archetype:generate of " + archetype + " failed (exit code "
                    + result.getExitCode() + "): " + String.join(System.lineSeparator() + "    ", errors),
                    "check that " + archetype + " is in your Maven repositories (mvn dependency:get -Dartifact="
                            + archetype + "), and that -D" + PropertyNames.UPGRADE_TO + " names a released version");
        }
        try (Stream<Path> generated = Files.list(outputDirectory)) {
            return generated.filter(Files::isDirectory).findFirst().orElseThrow(() -> new IOException(
                    "archetype:generate of " + archetype + " generated nothing in " + outputDirectory));
        }
    }

    private static File existing(File file) {
        return file != null && file.isFile() ? file : null;
    }
}
