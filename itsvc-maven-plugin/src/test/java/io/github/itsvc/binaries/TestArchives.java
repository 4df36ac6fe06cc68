package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Archives built in the test, entry by entry, including the malicious ones no well-behaved tool would write. */
final class TestArchives {

    private TestArchives() {}

    static Tar tar() {
        return new Tar();
    }

    static Zip zip() {
        return new Zip();
    }

    static final class Tar {
        private record Item(TarArchiveEntry entry, byte[] content) {}

        private final List<Item> items = new ArrayList<>();

        Tar dir(String name, int mode) {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
            e.setMode(mode);
            return add(e, new byte[0]);
        }

        Tar file(String name, int mode, String content) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
            e.setMode(mode);
            return add(e, content.getBytes(StandardCharsets.UTF_8));
        }

        Tar file(String name, String content) {
            return file(name, 0644, content);
        }

        Tar symlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            e.setMode(0777);
            return add(e, new byte[0]);
        }

        Tar hardLink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            e.setLinkName(target);
            return add(e, new byte[0]);
        }

        Tar special(String name, byte type) {
            return add(new TarArchiveEntry(name, type, true), new byte[0]);
        }

        private Tar add(TarArchiveEntry entry, byte[] content) {
            entry.setSize(content.length);
            items.add(new Item(entry, content));
            return this;
        }

        /** Keeps names as given: leading slashes too (preserveAbsolutePath above). */
        byte[] bytes() {
            try (var buffer = new java.io.ByteArrayOutputStream();
                    TarArchiveOutputStream out = new TarArchiveOutputStream(buffer, "UTF-8")) {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Item item : items) {
                    out.putArchiveEntry(item.entry);
                    out.write(item.content);
                    out.closeArchiveEntry();
                }
                out.finish();
                return buffer.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path writeTar(Path file) {
            return write(file, bytes());
        }

        Path writeTarGz(Path file) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }

    static final class Zip {
        private record Item(ZipArchiveEntry entry, byte[] content) {}

        private final List<Item> items = new ArrayList<>();

        Zip dir(String name, int mode) {
            ZipArchiveEntry e = new ZipArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setUnixMode(0040000 | mode);
            return add(e, new byte[0]);
        }

        Zip file(String name, int mode, String content) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(0100000 | mode);
            return add(e, content.getBytes(StandardCharsets.UTF_8));
        }

        /** An entry made on Windows: no Unix mode at all. */
        Zip plainFile(String name, String content) {
            return add(new ZipArchiveEntry(name), content.getBytes(StandardCharsets.UTF_8));
        }

        Zip symlink(String name, String target) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(0120777);
            return add(e, target.getBytes(StandardCharsets.UTF_8));
        }

        Zip special(String name, int typeBits) {
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(typeBits | 0644);
            return add(e, new byte[0]);
        }

        private Zip add(ZipArchiveEntry entry, byte[] content) {
            items.add(new Item(entry, content));
            return this;
        }

        Path write(Path file) {
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(file))) {
                for (Item item : items) {
                    out.putArchiveEntry(item.entry);
                    out.write(item.content);
                    out.closeArchiveEntry();
                }
                out.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
