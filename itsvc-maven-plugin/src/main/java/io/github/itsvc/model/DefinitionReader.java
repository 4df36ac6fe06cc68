package io.github.itsvc.model;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;

/**
 * Reads and validates a service project's definition: {@code service.yaml} and {@code sites/<site>.yaml} under the
 * definition directory (by default {@code src/main/itsvc}). Every problem carries file:line:column relative to the
 * project directory, and a fix.
 */
public final class DefinitionReader {

    /** The service definition's file name in the definition directory. */
    public static final String SERVICE_FILE = "service.yaml";
    /** The folder of site files in the definition directory. */
    public static final String SITES_DIR = "sites";

    private final Path projectDir;
    private final Path definitionDir;

    /**
     * @param projectDir the project's base directory; file names in messages are relative to it
     * @param definitionDir the definition directory, usually {@code projectDir/src/main/itsvc}
     */
    public DefinitionReader(Path projectDir, Path definitionDir) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.definitionDir = definitionDir.toAbsolutePath().normalize();
    }

    /** Reads and validates {@code service.yaml}. */
    public Service readService() throws InvalidInputException {
        Path file = definitionDir.resolve(SERVICE_FILE);
        Problems problems = new Problems(display(file));
        if (!Files.isRegularFile(file)) {
            boolean yml = Files.isRegularFile(definitionDir.resolve("service.yml"));
            problems.add(Location.fileOnly(display(file)), "the service definition is missing",
                    yml ? "rename service.yml to " + SERVICE_FILE
                            : "create " + display(file) + " with a 'name:' and at least one role under 'roles:'");
            problems.throwIfAny();
        }
        MappingNode root = Yaml.readMapping(file, problems,
                "write the service definition: a 'name:' and at least one role under 'roles:'");
        Service service = root == null ? null : new ServiceBinder(problems).bind(root);
        problems.throwIfAny();
        return service;
    }

    /** Reads and validates {@code sites/<name>.yaml}; a missing site names the sites that exist. */
    public Site readSite(String name) throws InvalidInputException {
        Path sitesDir = definitionDir.resolve(SITES_DIR);
        Location dirLocation = Location.fileOnly(display(sitesDir));
        List<String> existing = siteNames();
        String choose = existing.isEmpty() ? "" : ", or use one of the sites: " + Suggestions.list(existing);
        if (!ServiceBinder.NAME.matcher(name).matches() || name.length() > ServiceBinder.MAX_NAME) {
            throw new InvalidInputException(new Problem(dirLocation, "the site name " + Yaml.quote(name)
                    + " is not valid: it must start with a lower-case letter and hold only lower-case letters,"
                    + " digits and '-' (at most " + ServiceBinder.MAX_NAME + ")",
                    "name the site like 'dev'" + choose));
        }
        Path file = sitesDir.resolve(name + ".yaml");
        if (!Files.isRegularFile(file)) {
            String fix = Files.isRegularFile(sitesDir.resolve(name + ".yml"))
                    ? "rename " + display(sitesDir.resolve(name + ".yml")) + " to " + name + ".yaml"
                    : Suggestions.didYouMean(name, existing) + "create " + display(file) + " with 'target: local'"
                            + choose;
            throw new InvalidInputException(new Problem(dirLocation, "there is no site '" + name + "' ("
                    + (existing.isEmpty() ? "no site is defined yet" : "sites: " + Suggestions.list(existing)) + ")",
                    fix));
        }
        Problems problems = new Problems(display(file));
        MappingNode root = Yaml.readMapping(file, problems, "write the site: at least 'target: local'");
        Site site = root == null ? null : new SiteBinder(problems).bind(name, root);
        problems.throwIfAny();
        return site;
    }

    /** The names of the sites defined, sorted. */
    public List<String> siteNames() {
        Path sitesDir = definitionDir.resolve(SITES_DIR);
        if (!Files.isDirectory(sitesDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(sitesDir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && n.length() > ".yaml".length())
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + sitesDir, e);
        }
    }

    /** A path as messages show it: relative to the project when inside it, always with '/'. */
    private String display(Path path) {
        Path shown = path.startsWith(projectDir) ? projectDir.relativize(path) : path;
        return shown.toString().replace(File.separatorChar, '/');
    }
}
