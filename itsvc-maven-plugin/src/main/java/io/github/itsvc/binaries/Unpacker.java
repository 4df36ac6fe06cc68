package io.github.itsvc.binaries;

import java.nio.file.Path;

/**
 * Unpacks a binary's archive ({@code .tar.gz}/{@code .tgz}, {@code .tar}, {@code .zip}) into a directory, dropping
 * {@code strip} leading path components of every entry, and refusing any entry that would land outside the
 * directory: {@code ../}, absolute paths, and links pointing out of it.
 */
public final class Unpacker {

    private Unpacker() {}

    /**
     * @param archive the archive; its format is detected from its content, not its name
     * @param root the directory to unpack into (created if missing)
     * @param strip how many leading path components to drop
     * @throws BinaryException an unsafe entry (named in the message), an unknown format, or a corrupt archive;
     *     nothing is left half-unpacked in {@code root}
     */
    public static void unpack(Path archive, Path root, int strip) throws BinaryException {
        throw new UnsupportedOperationException("TODO");
    }
}
