package io.github.itsvc.target.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where things are in a local instance directory ({@code <project>/.itsvc/<site>/<role>-<n>/}, outside
 * {@code target/} so that {@code mvn clean} cannot orphan a running process):
 *
 * <pre>
 * root/                 the instance root, prepared by the caller; the process's working directory
 * logs/stdout.log       appended to, with a header line per start
 * logs/stderr.log
 * state.properties      see {@link InstanceState}
 * pid                   written by the started shell itself, before it execs the service
 * .lock                 serialises start and stop across JVMs
 * </pre>
 */
public final class InstanceLayout {

    private static final Pattern INSTANCE_NAME = Pattern.compile("([a-z][a-z0-9-]*)-([0-9]{1,9})");

    private InstanceLayout() {}

    /** {@code siteDir/<role>-<index>}. */
    public static Path instanceDir(Path siteDir, String role, int index) {
        if (!INSTANCE_NAME.matcher(role + "-" + index).matches()) {
            throw new IllegalArgumentException("not a role and instance number: " + role + ", " + index);
        }
        return siteDir.resolve(role + "-" + index);
    }

    public static Path root(Path instanceDir) {
        return instanceDir.resolve("root");
    }

    public static Path logs(Path instanceDir) {
        return instanceDir.resolve("logs");
    }

    public static Path stdoutLog(Path instanceDir) {
        return logs(instanceDir).resolve("stdout.log");
    }

    public static Path stderrLog(Path instanceDir) {
        return logs(instanceDir).resolve("stderr.log");
    }

    public static Path stateFile(Path instanceDir) {
        return instanceDir.resolve("state.properties");
    }

    static Path pidFile(Path instanceDir) {
        return instanceDir.resolve("pid");
    }

    static Path lockFile(Path instanceDir) {
        return instanceDir.resolve(".lock");
    }

    /**
     * The instance directories under a site directory ({@code <role>-<n>}, with or without state), by role then by
     * number ({@code web-2} before {@code web-10}); none if the site directory does not exist.
     */
    public static List<Path> instanceDirs(Path siteDir) throws IOException {
        try (Stream<Path> children = Files.list(siteDir)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> INSTANCE_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(InstanceLayout::role).thenComparingInt(InstanceLayout::index))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** The role of {@code web-2}: {@code web}. */
    public static String role(Path instanceDir) {
        return name(instanceDir).group(1);
    }

    /** The number of {@code web-2}: 2. */
    public static int index(Path instanceDir) {
        return Integer.parseInt(name(instanceDir).group(2));
    }

    private static Matcher name(Path instanceDir) {
        Matcher m = INSTANCE_NAME.matcher(instanceDir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an instance directory (<role>-<n>): " + instanceDir);
        }
        return m;
    }
}
