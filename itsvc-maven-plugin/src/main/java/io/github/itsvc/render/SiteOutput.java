package io.github.itsvc.render;

import io.github.itsvc.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.stream.Stream;

/**
 * Writes a site's rendered files atomically: into {@code <outputRoot>/.<site>.tmp-*}, then swapped in for
 * {@code <outputRoot>/<site>}. A failure leaves the previous rendering (or none) and no temp directory.
 */
final class SiteOutput {

    /** One file to write: its bytes and its octal mode ({@code null}: the file system's default). */
    record Content(byte[] bytes, String mode) {}

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SiteOutput() {}

    /**
     * @param files relative path ({@code /}-separated) → content; paths already checked to stay inside the site
     * @param dirs relative directories to create even when empty (instance roots)
     */
    static Rendering write(Path outputRoot, String site, SortedMap<String, Content> files, SortedSet<String> dirs)
            throws IOException {
        Files.createDirectories(outputRoot);
        deleteStale(outputRoot, site);
        Path siteDir = outputRoot.resolve(site);
        Path tmp = Files.createTempDirectory(outputRoot, "." + site + ".tmp-");
        try {
            if (POSIX) {
                // createTempDirectory makes it 0700; the site dir should look like any other build output.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            for (String dir : dirs) {
                Files.createDirectories(tmp.resolve(dir));
            }
            for (Map.Entry<String, Content> e : files.entrySet()) {
                Path file = tmp.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue().bytes());
                if (POSIX && e.getValue().mode() != null) {
                    Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
                }
            }
            swap(tmp, siteDir, outputRoot.resolve(tmp.getFileName().toString().replace(".tmp-", ".old-")));
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(tmp, e);
            throw e;
        }
        return new Rendering(siteDir, List.copyOf(files.keySet()), digest(files));
    }

    /** SHA-256 over every file's relative path and bytes, in path order; lengths make the framing unambiguous. */
    static String digest(SortedMap<String, Content> files) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        for (Map.Entry<String, Content> e : files.entrySet()) {
            byte[] path = e.getKey().getBytes(StandardCharsets.UTF_8);
            sha.update(longBytes(path.length));
            sha.update(path);
            sha.update(longBytes(e.getValue().bytes().length));
            sha.update(e.getValue().bytes());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Octal mode (e.g. {@code 0644}) to POSIX permissions; special bits are not supported. */
    static Set<PosixFilePermission> permissions(String mode) {
        int bits = Integer.parseInt(mode, 8);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    /** Moves the old site dir away, the new one in, then deletes the old one; puts the old one back on failure. */
    private static void swap(Path tmp, Path siteDir, Path old) throws IOException {
        boolean hadOld = Files.exists(siteDir, LinkOption.NOFOLLOW_LINKS);
        if (hadOld) {
            Files.move(siteDir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(tmp, siteDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (hadOld) {
                Files.move(old, siteDir, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        if (hadOld) {
            // The new rendering is in place: a leftover here is only litter, removed by the next run.
            try {
                FileTrees.delete(old);
            } catch (IOException ignored) {
                // deliberately ignored, see above
            }
        }
    }

    /** Temp and old directories of this site left by a killed run. */
    private static void deleteStale(Path outputRoot, String site) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(outputRoot)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith("." + site + ".tmp-") || name.startsWith("." + site + ".old-")) {
                    stale.add(p);
                }
            }
        }
        for (Path p : stale) {
            FileTrees.delete(p);
        }
    }

    private static void deleteQuietly(Path dir, Throwable failure) {
        try {
            FileTrees.delete(dir);
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}
