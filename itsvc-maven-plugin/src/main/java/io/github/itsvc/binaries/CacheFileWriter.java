package io.github.itsvc.binaries;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a new file of the cache with direct I/O ({@code O_DIRECT}) where the file system allows it, and through the
 * page cache otherwise.
 *
 * <p>Why: a buffered write copies every byte into freshly allocated page-cache pages, and on virtual machines (the
 * usual build agent) touching fresh pages is expensive: on the 2-CPU benchmark machine that copy cost about 1.4 CPU
 * seconds per GB, more than hashing the same bytes, and it was the largest single cost of a cold download. Direct
 * I/O hands the (reused, cache-warm) buffers to the disk instead, at about 0.2 CPU s/GB; a binary that is only
 * downloaded, checked and moved into the cache does not need to sit in the page cache either.
 *
 * <p>Direct I/O takes only whole blocks, so every write but the last must be a multiple of the block size (the
 * {@link Hasher}'s 1 MiB chunks are); the first write that is not, and everything after it, goes through a second,
 * ordinary channel at the same position. File systems without direct I/O (tmpfs before Linux 6.6, some network and
 * FUSE file systems) refuse it when the file is opened, and then every write is an ordinary one.
 */
final class CacheFileWriter implements WritableByteChannel {

    private final Path file;
    private final int block;
    /** The direct channel, until the first write it cannot take. */
    private FileChannel direct;
    private FileChannel buffered;
    /**
     * Where heap bytes are staged for a direct write, aligned to the block. Ours, not the JDK's temporary buffers:
     * the JDK 17 frees its aligned ones with a cleaner they do not have (a NullPointerException).
     */
    private ByteBuffer staging;

    private CacheFileWriter(Path file, FileChannel direct, int block) {
        this.file = file;
        this.direct = direct;
        this.block = block;
    }

    /** Opens {@code file} for writing from its start, replacing its content. */
    static CacheFileWriter open(Path file) throws IOException {
        FileChannel direct = null;
        int block = 0;
        try {
            block = Math.toIntExact(Files.getFileStore(file).getBlockSize());
            direct = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
            // no direct I/O here: the ordinary channel below takes every write
        }
        CacheFileWriter writer = new CacheFileWriter(file, direct, block);
        if (direct == null) {
            writer.buffered = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        return writer;
    }

    /** Whether writes go around the page cache (until a partial block comes). */
    boolean direct() {
        return direct != null;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (direct != null) {
            if (src.remaining() % block == 0) {
                return src.isDirect() ? direct.write(src) : writeDirect(src);
            }
            // The tail: from here on, ordinary writes where the direct ones ended.
            buffered = FileChannel.open(file, StandardOpenOption.WRITE);
            buffered.position(direct.position());
            FileChannel done = direct;
            direct = null;
            done.close();
        }
        return buffered.write(src);
    }

    /** Writes whole blocks of a heap buffer through the staging buffer. */
    private int writeDirect(ByteBuffer src) throws IOException {
        if (staging == null) {
            int size = Math.max(block, Hasher.CHUNK / block * block);
            staging = ByteBuffer.allocateDirect(size + block).alignedSlice(block);
        }
        int written = 0;
        while (src.hasRemaining()) {
            staging.clear().limit(Math.min(src.remaining(), staging.capacity() / block * block));
            ByteBuffer piece = src.slice(src.position(), staging.limit());
            staging.put(piece).flip();
            while (staging.hasRemaining()) {
                written += direct.write(staging);
            }
            src.position(src.position() + staging.limit());
        }
        return written;
    }

    @Override
    public boolean isOpen() {
        return direct != null ? direct.isOpen() : buffered.isOpen();
    }

    @Override
    public void close() throws IOException {
        try (FileChannel a = direct; FileChannel b = buffered) {
            // both closed, even if one fails
        }
    }
}
