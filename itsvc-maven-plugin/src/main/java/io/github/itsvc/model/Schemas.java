package io.github.itsvc.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Schemas (draft 2020-12) of {@code service.yaml} and {@code sites/<site>.yaml}, shipped in the plugin jar.
 * Written next to the build output so that the {@code # yaml-language-server: $schema=...} line of generated files
 * lets IDEs complete and check them. The binder stays the authority: it also checks references, cycles and the like.
 */
public final class Schemas {

    /** The schema of {@code service.yaml}. */
    public static final String SERVICE = "service.schema.json";
    /** The schema of a site file. */
    public static final String SITE = "site.schema.json";
    /** Every schema, in the order {@link #copyTo} writes them. */
    public static final List<String> NAMES = List.of(SERVICE, SITE);

    private Schemas() {}

    /**
     * Writes every schema into {@code dir} (created if needed), replacing older copies.
     *
     * @return the files written
     */
    public static List<Path> copyTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (String name : NAMES) {
            Path target = dir.resolve(name);
            try (InputStream in = open(name)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            written.add(target);
        }
        return written;
    }

    /** Opens one of {@link #NAMES} from the plugin jar. */
    public static InputStream open(String name) throws IOException {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no schema " + name + "; schemas: " + NAMES);
        }
        InputStream in = Schemas.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("the plugin jar lacks " + name + " next to " + Schemas.class.getName());
        }
        return in;
    }
}
