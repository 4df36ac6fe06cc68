package io.github.itsvc.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The itsvc catalog: the services ready to generate with the archetype ({@code -Dtemplate=<entry>}), as listed by
 * the index {@value #INDEX} of a template jar (itsvc-templates). The archetype carries the same index and lays the
 * chosen entry out; this class only reads and tells it.
 */
public final class Catalog {

    /** The catalog's index in a template jar: {@code entries} in order (the first is the default), and for each
     *  entry {@code <entry>.summary} and, unless it is the archetype's own files, {@code <entry>.project}. */
    public static final String INDEX = "itsvc/catalog/catalog.properties";

    /**
     * One entry.
     *
     * @param name what {@code -Dtemplate} takes
     * @param summary one line: what the service is
     * @param project where its project files are in the template jar, or {@code null} for the archetype's own files
     */
    public record Entry(String name, String summary, String project) {}

    private final List<Entry> entries;
    private final URL index;

    Catalog(List<Entry> entries, URL index) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a catalog without entries");
        }
        this.entries = List.copyOf(entries);
        this.index = index;
    }

    /**
     * Reads the index from {@code loader}.
     *
     * @throws IOException no index there (no template jar on the class path), or an entry without a summary
     */
    public static Catalog load(ClassLoader loader) throws IOException {
        URL index = loader.getResource(INDEX);
        if (index == null) {
            throw new IOException("no " + INDEX + " on the class path: itsvc-templates is missing from the plugin's"
                    + " dependencies");
        }
        Properties properties = new Properties();
        try (InputStream in = index.openStream(); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return parse(properties, index);
    }

    static Catalog parse(Properties properties, URL index) throws IOException {
        String where = index.toString();
        String names = properties.getProperty("entries", "").trim();
        if (names.isEmpty()) {
            throw new IOException(where + ": no entries=");
        }
        List<Entry> entries = new ArrayList<>();
        for (String name : Arrays.stream(names.split(",")).map(String::trim).toList()) {
            String summary = properties.getProperty(name + ".summary", "").trim();
            if (summary.isEmpty()) {
                throw new IOException(where + ": entry " + name + " has no " + name + ".summary");
            }
            String project = properties.getProperty(name + ".project", "").trim();
            entries.add(new Entry(name, summary, project.isEmpty() ? null : project));
        }
        return new Catalog(entries, index);
    }

    /** Every entry, in the catalog's order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The archetype's default entry: the first. */
    public Entry defaultEntry() {
        return entries.get(0);
    }

    public Optional<Entry> entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * An entry's project files, as the archetype lays them out before putting in the generation's properties
     * ({@code ${serviceName}} and so on): path relative to the project (with '/') to content, sorted by path. None for
     * an entry of the archetype's own files.
     */
    public Map<String, byte[]> projectFiles(Entry entry) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (entry.project() == null) {
            return files;
        }
        URI uri;
        try {
            uri = index.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("cannot read the catalog at " + index + ": " + e.getMessage(), e);
        }
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                collect(jar.getPath("/" + entry.project()), files);
            }
        } else {
            Path indexFile = Path.of(uri);
            // the index is itsvc/catalog/catalog.properties: three levels below the class path root
            collect(indexFile.getParent().getParent().getParent().resolve(entry.project()), files);
        }
        if (files.isEmpty()) {
            throw new IOException("catalog entry " + entry.name() + " has no files in " + entry.project());
        }
        return files;
    }

    private static void collect(Path root, Map<String, byte[]> files) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/"),
                        Files.readAllBytes(file));
            }
        }
    }

    /** One line per entry: its name, padded, and its summary; the default says so. */
    public List<String> lines() {
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        return entries.stream().map(e -> String.format(Locale.ROOT, "%-" + width + "s  %s%s", e.name(), e.summary(),
                e == defaultEntry() ? " (default)" : "")).toList();
    }
}
