package io.github.itsvc.binaries;

import io.github.itsvc.io.FileTrees;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a binary's archive ({@code .tar.gz}/{@code .tgz}, {@code .tar}, {@code .zip}) into a directory, dropping
 * {@code strip} leading path components of every entry, and refusing any entry that would land outside the
 * directory: {@code ../}, absolute paths, and links pointing out of it.
 *
 * <p>Refused too: Windows paths (backslashes, drive letters), hard links to anything but a file unpacked before them,
 * devices, FIFOs and sparse files. File modes are kept on POSIX file systems, less group/other write and the
 * setuid/setgid/sticky bits. Against decompression bombs, an archive may unpack to at most
 * {@value #MAX_RATIO} times its own size (and at least {@value #MIN_LIMIT_BYTES} bytes), in at most
 * {@value #MAX_ENTRIES} entries.
 */
public final class Unpacker {

    /** Release archives compress 2-10 times; bombs compress a thousand times and more. */
    static final long MAX_RATIO = 100;

    static final long MIN_LIMIT_BYTES = 1L << 30;

    static final int MAX_ENTRIES = 1_000_000;

    private enum Format {
        TAR_GZ("tar.gz"),
        TAR("tar"),
        ZIP("zip");

        final String label;

        Format(String label) {
            this.label = label;
        }
    }

    private Unpacker() {}

    /**
     * Unpacks into a temporary directory beside {@code root}, then moves it into place: a {@code root} that exists is
     * replaced whole (moved aside, the new tree moved in, the old one deleted). Two unpacks into the same root at once
     * are the caller's to prevent.
     *
     * @param archive the archive; its format is detected from its content, not its name
     * @param root the directory to unpack into (created if missing)
     * @param strip how many leading path components to drop
     * @throws BinaryException an unsafe entry (named in the message), an unknown format, or a corrupt archive;
     *     nothing is left half-unpacked in {@code root}
     */
    public static void unpack(Path archive, Path root, int strip) throws BinaryException {
        unpack(archive, root, strip, -1);
    }

    /** As above, with at most {@code maxBytes} unpacked ({@code -1}: the default limit). */
    static void unpack(Path archive, Path root, int strip, long maxBytes) throws BinaryException {
        if (strip < 0) {
            throw new IllegalArgumentException("strip must not be negative: " + strip);
        }
        Path target = root.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("cannot unpack into " + target);
        }
        String what = "cannot unpack " + archive + " into " + root;
        Format format = detect(archive, what);
        long limit;
        Path temp;
        try {
            limit = maxBytes >= 0 ? maxBytes
                    : Math.max(MIN_LIMIT_BYTES, Math.multiplyExact(Files.size(archive), MAX_RATIO));
            Files.createDirectories(parent);
            temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".unpack-");
        } catch (IOException e) {
            throw new BinaryException(what + ": " + e, e);
        }
        try {
            ExtractionTree tree = new ExtractionTree(temp, limit);
            Reader reader = new Reader(archive, tree, strip, what);
            if (format == Format.ZIP) {
                reader.zip();
            } else {
                reader.tar(format);
            }
            try {
                tree.finish();
            } catch (ExtractionTree.Refused e) {
                throw new BinaryException(what + ": " + e.getMessage());
            }
            replace(temp, target);
        } catch (BinaryException e) {
            deleteQuietly(temp);
            throw e;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new BinaryException(what + ": " + e, e);
        }
    }

    private static Format detect(Path archive, String what) throws BinaryException {
        byte[] head;
        try (InputStream in = Files.newInputStream(archive)) {
            head = in.readNBytes(TarConstants.DEFAULT_RCDSIZE);
        } catch (NoSuchFileException e) {
            throw new BinaryException(what + ": the archive does not exist", e);
        } catch (IOException e) {
            throw new BinaryException(what + ": " + e, e);
        }
        if (startsWith(head, 0x1f, 0x8b)) {
            return Format.TAR_GZ;
        }
        if (startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6)) {
            return Format.ZIP;
        }
        if (TarArchiveInputStream.matches(head, head.length)) {
            return Format.TAR;
        }
        String other = startsWith(head, 'B', 'Z', 'h') ? " (it is bzip2-compressed)"
                : startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0) ? " (it is xz-compressed)"
                : startsWith(head, 0x28, 0xb5, 0x2f, 0xfd) ? " (it is zstd-compressed)"
                : "";
        throw new BinaryException(what + ": it is not a tar.gz, tar or zip archive" + other);
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads the entries of one archive into the tree, checking and stripping their names. */
    private static final class Reader {
        private final Path archive;
        private final ExtractionTree tree;
        private final int strip;
        private final String what;
        private int entries;

        Reader(Path archive, ExtractionTree tree, int strip, String what) {
            this.archive = archive;
            this.tree = tree;
            this.strip = strip;
            this.what = what;
        }

        void tar(Format format) throws IOException, BinaryException {
            InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
            try (InputStream in = format == Format.TAR_GZ ? gunzip(raw) : raw) {
                TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
                String name = null;
                while (true) {
                    TarArchiveEntry entry;
                    try {
                        entry = tar.getNextEntry();
                    } catch (IOException e) {
                        throw corrupt(format, name, e);
                    }
                    if (entry == null) {
                        return;
                    }
                    name = entry.getName();
                    count(name);
                    try {
                        tarEntry(entry, new Source(tar));
                    } catch (Source.Failure e) {
                        throw corrupt(format, name, e.cause());
                    }
                }
            }
        }

        private InputStream gunzip(InputStream raw) throws IOException, BinaryException {
            InputStream gz;
            byte[] head;
            try {
                gz = new BufferedInputStream(GzipCompressorInputStream.builder()
                        .setInputStream(raw).setDecompressConcatenated(true).get());
                gz.mark(TarConstants.DEFAULT_RCDSIZE);
                head = gz.readNBytes(TarConstants.DEFAULT_RCDSIZE);
                gz.reset();
            } catch (IOException e) {
                raw.close();
                throw corrupt(Format.TAR_GZ, null, e);
            }
            if (!TarArchiveInputStream.matches(head, head.length)) {
                gz.close();
                throw new BinaryException(what + ": it is gzip-compressed but holds no tar archive");
            }
            return gz;
        }

        private void tarEntry(TarArchiveEntry entry, InputStream content) throws IOException, BinaryException {
            String name = entry.getName();
            byte type = entry.getLinkFlag();
            if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                throw refused(name, "is a device or FIFO");
            }
            if (entry.isSparse()) {
                throw refused(name, "is a sparse file, which itsvc does not unpack");
            }
            List<String> path = path(name);
            try {
                if (entry.isDirectory()) {
                    if (path != null) {
                        tree.directory(path, entry.getMode());
                    }
                } else if (entry.isSymbolicLink()) {
                    if (path != null) {
                        tree.symlink(path, entry.getLinkName(), name);
                    }
                } else if (entry.isLink()) {
                    if (path != null) {
                        String unsafe = unsafe(entry.getLinkName());
                        if (unsafe != null) {
                            throw refused(name, "is a hard link to " + ExtractionTree.quote(entry.getLinkName())
                                    + ", which " + unsafe);
                        }
                        List<String> existing = path(entry.getLinkName());
                        if (existing == null) {
                            throw refused(name, "is a hard link to " + ExtractionTree.quote(entry.getLinkName())
                                    + ", which is not unpacked (strip " + strip + ")");
                        }
                        tree.hardLink(path, existing, entry.getLinkName());
                    }
                } else if (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                        || type == TarConstants.LF_CONTIG) {
                    if (path != null) {
                        tree.file(path, entry.getMode(), entry.getLastModifiedTime(), content);
                    }
                } else {
                    throw refused(name, "has the unsupported tar entry type '" + (char) type + "'");
                }
            } catch (ExtractionTree.Refused e) {
                throw refused(name, e.getMessage());
            }
        }

        void zip() throws IOException, BinaryException {
            ZipFile zip;
            try {
                zip = ZipFile.builder().setPath(archive).get();
            } catch (IOException e) {
                throw corrupt(Format.ZIP, null, e);
            }
            try (zip) {
                for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                    String name = entry.getName();
                    count(name);
                    try {
                        zipEntry(zip, entry);
                    } catch (Source.Failure e) {
                        throw corrupt(Format.ZIP, name, e.cause());
                    }
                }
            }
        }

        private void zipEntry(ZipFile zip, ZipArchiveEntry entry) throws IOException, BinaryException {
            String name = entry.getName();
            boolean unix = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && entry.getUnixMode() != 0;
            int mode = entry.getUnixMode();
            int kind = unix ? mode & 0170000 : 0;
            if (kind != 0 && kind != 0100000 && kind != 0040000 && kind != 0120000) {
                throw refused(name, "is a device, FIFO or socket");
            }
            List<String> path = path(name);
            if (path == null) {
                return;
            }
            try {
                if (entry.isDirectory()) {
                    tree.directory(path, unix ? mode : 0755);
                } else if (entry.isUnixSymlink()) {
                    if (entry.getSize() > 4096) {
                        throw refused(name, "is a symbolic link with an overlong target");
                    }
                    String target;
                    try {
                        target = zip.getUnixSymlink(entry);
                    } catch (IOException e) {
                        throw new Source.Failure(e);
                    }
                    tree.symlink(path, target, name);
                } else {
                    if (!zip.canReadEntryData(entry)) {
                        throw refused(name, "is encrypted or uses a compression method itsvc cannot read");
                    }
                    InputStream content;
                    try {
                        content = zip.getInputStream(entry);
                    } catch (IOException e) {
                        throw new Source.Failure(e);
                    }
                    try (content) {
                        tree.file(path, unix ? mode : 0644, entry.getLastModifiedTime(), new Source(content));
                    }
                }
            } catch (ExtractionTree.Refused e) {
                throw refused(name, e.getMessage());
            }
        }

        /**
         * The entry's path below the root after {@code strip}, or null if nothing is left of it (skipped, as GNU tar's
         * {@code --strip-components} skips it). {@code .} counts as a component when stripping, as in GNU tar.
         */
        private List<String> path(String name) throws BinaryException {
            String unsafe = unsafe(name);
            if (unsafe != null) {
                throw refused(name, unsafe);
            }
            List<String> components = new ArrayList<>();
            for (String component : name.split("/")) {
                if (!component.isEmpty()) {
                    components.add(component);
                }
            }
            if (components.size() <= strip) {
                return null;
            }
            List<String> kept = new ArrayList<>(components.subList(strip, components.size()));
            kept.removeIf(c -> c.equals("."));
            return kept.isEmpty() ? null : kept;
        }

        /** Why a name could land outside the root, or null. Any {@code ..} is refused, even one strip would drop. */
        private static String unsafe(String name) {
            if (name.indexOf('\0') >= 0) {
                return "holds a NUL character";
            }
            if (name.indexOf('\\') >= 0) {
                return "holds a backslash (a Windows path?)";
            }
            if (name.startsWith("/")) {
                return "is an absolute path";
            }
            if (name.matches("^[A-Za-z]:.*")) {
                return "starts with a Windows drive letter";
            }
            for (String component : name.split("/")) {
                if (component.equals("..")) {
                    return "goes up with .. (outside the unpack directory)";
                }
            }
            return null;
        }

        private void count(String name) throws BinaryException {
            if (++entries > MAX_ENTRIES) {
                throw refused(name, "is one more than the " + MAX_ENTRIES + " entries an archive may hold");
            }
        }

        private BinaryException refused(String entry, String reason) {
            return new BinaryException(what + ": entry " + ExtractionTree.quote(entry) + " " + reason);
        }

        private BinaryException corrupt(Format format, String entry, IOException e) {
            return new BinaryException(what + ": the " + format.label + " archive is corrupt or truncated"
                    + (entry == null ? "" : " (at entry " + ExtractionTree.quote(entry) + ")") + ": "
                    + (e instanceof EOFException || e.getMessage() == null ? "unexpected end of data" : e.getMessage()),
                    e);
        }
    }

    /** An entry's content, whose read failures are the archive's fault, not the disk's. */
    private static final class Source extends FilterInputStream {

        static final class Failure extends IOException {
            Failure(IOException cause) {
                super(cause);
            }

            IOException cause() {
                return (IOException) getCause();
            }
        }

        Source(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        @Override
        public void close() {
            // The archive stream outlives its entries; whoever opened it closes it.
        }
    }

    /** Moves the new tree into place; an existing root is moved aside first and put back if the move fails. */
    private static void replace(Path temp, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path aside = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
        Path old = aside.resolve(target.getFileName());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            deleteQuietly(aside);
            throw e;
        }
        // The new tree is in place: failing to delete the old one must not report the unpack as failed.
        deleteQuietly(aside);
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            // Best effort: what is left is a hidden ".<name>.unpack-*" or ".old-*" directory beside the root.
        }
    }
}
