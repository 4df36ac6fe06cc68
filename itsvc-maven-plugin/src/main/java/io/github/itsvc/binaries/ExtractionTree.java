package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fresh directory being filled with an archive's entries, which never lets an entry land outside it: nothing is
 * written through a symbolic link, and once every entry is in, every link is resolved the way the OS will resolve it
 * (following the links it passes through) and refused if it leads out.
 *
 * <p>Paths are given as lists of plain components (no empty, {@code .} or {@code ..} component): the caller has
 * checked the names. Link targets are the archive's own strings, checked here.
 */
final class ExtractionTree {

    /** Linux gives up after 40 links in one resolution (ELOOP); so do we. */
    private static final int MAX_LINK_HOPS = 40;

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path dir;
    private final long maxBytes;
    private final boolean posix;
    private long written;
    /** Link path (relative) to the entry that made it, for messages. */
    private final Map<List<String>, String> links = new LinkedHashMap<>();
    /** Directory modes are set last: a read-only directory would refuse the entries that follow. */
    private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();

    ExtractionTree(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    /** Why an entry is refused; the caller adds the archive and entry name. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    void directory(List<String> path, int mode) throws IOException, Refused {
        Path target = mkdirs(path);
        directoryModes.put(target, mode);
    }

    void file(List<String> path, int mode, FileTime modified, InputStream content) throws IOException, Refused {
        Path target = prepare(path);
        byte[] buffer = new byte[1 << 16];
        // NOFOLLOW_LINKS: O_NOFOLLOW, in case a link appeared at this very name.
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                NOFOLLOW)) {
            int n;
            while ((n = content.read(buffer)) > 0) {
                written += n;
                if (written > maxBytes) {
                    throw new Refused("makes the archive unpack to more than " + maxBytes + " bytes, which looks like"
                            + " a decompression bomb");
                }
                out.write(buffer, 0, n);
            }
        }
        if (modified != null) {
            Files.setLastModifiedTime(target, modified);
        }
        chmod(target, mode);
    }

    void symlink(List<String> path, String linkTarget, String entry) throws IOException, Refused {
        checkLinkTarget(linkTarget);
        // A quick lexical look catches the plain cases at the entry itself; finish() follows links on the real tree.
        if (resolveLexically(path.subList(0, path.size() - 1), linkTarget) == null) {
            throw new Refused("is a symbolic link to " + quote(linkTarget) + ", outside the unpack directory");
        }
        Path target = prepare(path);
        Files.createSymbolicLink(target, Path.of(linkTarget));
        links.put(List.copyOf(path), entry);
    }

    void hardLink(List<String> path, List<String> existing, String existingName) throws IOException, Refused {
        if (existing.equals(path)) {
            throw new Refused("is a hard link to itself");
        }
        Path source = resolve(existing);
        for (int i = 1; i < existing.size(); i++) {
            if (Files.isSymbolicLink(resolve(existing.subList(0, i)))) {
                throw new Refused("is a hard link to " + quote(existingName) + " through a symbolic link");
            }
        }
        if (!Files.isRegularFile(source, NOFOLLOW)) {
            throw new Refused("is a hard link to " + quote(existingName) + ", which is not a file unpacked before it");
        }
        Path target = prepare(path);
        try {
            Files.createLink(target, source);
        } catch (UnsupportedOperationException | FileSystemException e) {
            // Some file systems have no hard links; a copy reads the same.
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
        }
    }

    /** Checks every link against the finished tree and sets the directories' modes. */
    void finish() throws IOException, Refused {
        for (Map.Entry<List<String>, String> link : links.entrySet()) {
            List<String> at = link.getKey();
            String target = Files.readSymbolicLink(resolve(at)).toString();
            String entry = "entry " + quote(link.getValue()) + " is a symbolic link to " + quote(target);
            List<String> resolved;
            try {
                resolved = resolveOnDisk(new ArrayList<>(at.subList(0, at.size() - 1)), target, new int[1]);
            } catch (Refused e) {
                throw new Refused(entry + ", which " + e.getMessage());
            }
            if (resolved == null) {
                throw new Refused(entry + ", which leads outside the unpack directory through other links");
            }
        }
        if (posix) {
            // Deepest first, so a directory's mode never stops the change to one below it.
            List<Path> dirs = new ArrayList<>(directoryModes.keySet());
            dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
            for (Path d : dirs) {
                // The owner keeps full access, so itsvc can replace or delete the tree later.
                Files.setPosixFilePermissions(d, permissions(directoryModes.get(d) | 0700));
            }
            Files.setPosixFilePermissions(dir, permissions(0755));
        }
    }

    /**
     * Checks the parent directories (creating them) and clears the path: a file unpacked before at the same path is
     * replaced (the later copy wins, as with tar); a link or directory is not.
     */
    private Path prepare(List<String> path) throws IOException, Refused {
        mkdirs(path.subList(0, path.size() - 1));
        Path target = resolve(path);
        if (Files.isSymbolicLink(target)) {
            throw new Refused("would replace the symbolic link unpacked before it at the same path");
        }
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new Refused("would replace the directory unpacked before it at the same path");
        }
        Files.deleteIfExists(target);
        return target;
    }

    /** Creates the directories one by one, refusing to pass through a link or a file. */
    private Path mkdirs(List<String> path) throws IOException, Refused {
        Path current = dir;
        for (String component : path) {
            current = current.resolve(component);
            if (Files.isSymbolicLink(current)) {
                throw new Refused("would be written through the symbolic link " + quote(relative(current)));
            }
            if (Files.exists(current, NOFOLLOW) && !Files.isDirectory(current, NOFOLLOW)) {
                throw new Refused("needs a directory where a file was unpacked: " + quote(relative(current)));
            }
            if (!Files.exists(current, NOFOLLOW)) {
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException e) {
                    throw new Refused("would be written through " + quote(relative(current)));
                }
            }
        }
        return current;
    }

    private Path resolve(List<String> path) {
        Path p = dir;
        for (String component : path) {
            p = p.resolve(component);
        }
        return p;
    }

    private String relative(Path p) {
        return dir.relativize(p).toString();
    }

    /** The components a link target names from {@code base}, following links on disk; null if it leaves the tree. */
    private List<String> resolveOnDisk(List<String> base, String target, int[] hops) throws IOException, Refused {
        if (target.startsWith("/")) {
            return null;
        }
        List<String> current = base;
        for (String component : target.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                if (current.isEmpty()) {
                    return null;
                }
                current.remove(current.size() - 1);
                continue;
            }
            current.add(component);
            Path p = resolve(current);
            if (Files.isSymbolicLink(p)) {
                if (++hops[0] > MAX_LINK_HOPS) {
                    throw new Refused("passes more than " + MAX_LINK_HOPS + " links (a loop?) at " + quote(relative(p)));
                }
                current.remove(current.size() - 1);
                current = resolveOnDisk(current, Files.readSymbolicLink(p).toString(), hops);
                if (current == null) {
                    return null;
                }
            }
            // A missing component ends the links to follow; what is left is resolved by name, as the OS would fail.
        }
        return current;
    }

    private static List<String> resolveLexically(List<String> base, String target) {
        List<String> current = new ArrayList<>(base);
        for (String component : target.split("/")) {
            if (component.equals("..")) {
                if (current.isEmpty()) {
                    return null;
                }
                current.remove(current.size() - 1);
            } else if (!component.isEmpty() && !component.equals(".")) {
                current.add(component);
            }
        }
        return current;
    }

    private static void checkLinkTarget(String target) throws Refused {
        if (target.isEmpty()) {
            throw new Refused("is a symbolic link to nothing");
        }
        if (target.indexOf('\0') >= 0) {
            throw new Refused("is a symbolic link whose target holds a NUL character");
        }
        if (target.startsWith("/")) {
            throw new Refused("is a symbolic link to the absolute path " + quote(target));
        }
        if (target.indexOf('\\') >= 0 || target.matches("^[A-Za-z]:.*")) {
            throw new Refused("is a symbolic link to the Windows path " + quote(target));
        }
    }

    private void chmod(Path target, int mode) throws IOException {
        if (posix) {
            Files.setPosixFilePermissions(target, permissions(mode));
        }
    }

    /**
     * The rwx bits, less group and other write (as a umask of 022 would: a downloaded archive should not make files
     * anyone can change) and less setuid, setgid and sticky bits.
     */
    static Set<PosixFilePermission> permissions(int mode) {
        int m = mode & 0755;
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((m & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append(s.length() > 200 ? "...\"" : "\"").toString();
    }
}
