package io.github.itsvc.upgrade;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Generates a project from an archetype, as {@code archetype:generate} does for a user: the upgrade calls it twice,
 * with the recorded archetype version (the baseline the project started from) and with the new one.
 */
public interface ProjectGenerator {

    /**
     * @param archetype the archetype to generate from
     * @param properties the generation properties ({@code groupId}, {@code artifactId}, {@code template}, ...)
     * @param outputDirectory an empty directory to generate into
     * @return the generated project's directory (inside {@code outputDirectory})
     */
    Path generate(Baseline.Archetype archetype, Map<String, String> properties, Path outputDirectory)
            throws UpgradeException, IOException;
}
