package io.github.itsvc.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A YAML fixture under {@code src/test/resources/model/}. Bad fixtures start with a header saying what must be
 * reported, so the expectation sits next to the input:
 *
 * <pre>
 * # schema: invalid            (what the JSON Schema says: valid, invalid, or n/a when it cannot tell)
 * # expect: 7:5 message        (one per problem, in the order reported)
 * # fix: text                  (optional: text the fix of the problem above contains)
 * </pre>
 */
record Fixture(Path file, String schema, List<Expected> expected) {

    record Expected(String position, String message, List<String> fixParts) {}

    /** The fixtures of a folder, e.g. {@code service/bad}, sorted by name. */
    static List<Fixture> all(String folder) {
        try (Stream<Path> files = Files.list(resource(folder))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(Fixture::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Fixture of(String path) {
        return read(resource(path));
    }

    static Path resource(String path) {
        try {
            return Path.of(Fixture.class.getResource("/model/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Fixture read(Path file) {
        String schema = null;
        List<Expected> expected = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("# schema: ")) {
                    schema = line.substring("# schema: ".length());
                } else if (line.startsWith("# expect: ")) {
                    String rest = line.substring("# expect: ".length());
                    int space = rest.indexOf(' ');
                    expected.add(new Expected(rest.substring(0, space), rest.substring(space + 1), new ArrayList<>()));
                } else if (line.startsWith("# fix: ")) {
                    expected.get(expected.size() - 1).fixParts().add(line.substring("# fix: ".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Fixture(file, schema, List.copyOf(expected));
    }

    String name() {
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.length() - ".yaml".length());
    }

    String text() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the fixture into a project as {@code src/main/itsvc/<relative>}; returns the definition directory. */
    Path installAs(Path project, String relative) {
        Path definition = project.resolve("src/main/itsvc");
        try {
            Path target = definition.resolve(relative);
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return definition;
    }

    @Override
    public String toString() {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }
}
