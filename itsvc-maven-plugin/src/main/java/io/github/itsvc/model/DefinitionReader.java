package io.github.itsvc.model;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads and validates a service project's definition: {@code service.yaml} and {@code sites/<site>.yaml} under the
 * definition directory (by default {@code src/main/itsvc}). Every problem carries file:line:column relative to the
 * project directory, and a fix.
 */
public final class DefinitionReader {

    private final Path projectDir;
    private final Path definitionDir;

    /**
     * @param projectDir the project's base directory; file names in messages are relative to it
     * @param definitionDir the definition directory, usually {@code projectDir/src/main/itsvc}
     */
    public DefinitionReader(Path projectDir, Path definitionDir) {
        this.projectDir = projectDir;
        this.definitionDir = definitionDir;
    }

    /** Reads and validates {@code service.yaml}. */
    public Service readService() throws InvalidInputException {
        throw new UnsupportedOperationException("TODO: model helper");
    }

    /** Reads and validates {@code sites/<name>.yaml}; a missing site names the sites that exist. */
    public Site readSite(String name) throws InvalidInputException {
        throw new UnsupportedOperationException("TODO: model helper");
    }

    /** The names of the sites defined, sorted. */
    public List<String> siteNames() {
        throw new UnsupportedOperationException("TODO: model helper");
    }
}
