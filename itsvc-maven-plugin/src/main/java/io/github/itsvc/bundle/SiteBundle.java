package io.github.itsvc.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The service project's artifact: a zip of one site's rendered configuration, entries under {@code <site>/}.
 * Reproducible: entries sorted, one fixed timestamp, so the same rendering gives the same bytes.
 */
public final class SiteBundle {

    private SiteBundle() {}

    /**
     * Zips {@code siteDir} into {@code zipFile} (written to a temp file first, then moved into place).
     *
     * @param siteDir a rendered site, {@code target/itsvc/<site>}
     * @param zipFile the bundle to write
     * @param timestamp the time stamped on every entry
     */
    public static void write(Path siteDir, Path zipFile, Instant timestamp) throws IOException {
        if (!Files.isDirectory(siteDir)) {
            throw new IOException("nothing rendered at " + siteDir + ": run render-config first");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(siteDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Files.createDirectories(zipFile.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(zipFile.toAbsolutePath().getParent(), zipFile.getFileName().toString(), ".tmp");
        try {
            FileTime time = FileTime.from(timestamp);
            String prefix = siteDir.getFileName().toString() + "/";
            try (OutputStream out = Files.newOutputStream(tmp);
                    ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Path file : files) {
                    String name = prefix + siteDir.relativize(file).toString().replace('\\', '/');
                    ZipEntry entry = new ZipEntry(name);
                    entry.setLastModifiedTime(time);
                    zip.putNextEntry(entry);
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            Files.move(tmp, zipFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
