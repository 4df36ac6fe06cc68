package io.github.itsvc.binaries;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes a new file of the cache with direct I/O ({@code O_DIRECT}) where the file system allows it, and through the
 * page cache otherwise.
 *
 * <p>Why: a buffered write copies every byte into freshly allocated page-cache pages, and on virtual machines (the
 * usual build agent) touching fresh pages is expensive: on the 2-CPU benchmark machine that copy cost 1 to 3 CPU
 * seconds per GB, more than hashing the same bytes, and it was the largest single cost of a cold download. Direct
 * I/O hands the (reused, cache-warm) buffers to the disk instead, at about 0.2 CPU s/GB; a binary that is only
 * downloaded, checked and moved into the cache does not need to sit in the page cache either.
 *
 * <p>Direct I/O takes only whole blocks at block offsets: every chunk but the last is a multiple of the block size
 * (the {@link Hasher}'s 1 MiB chunks are); a chunk that is not goes through a second, ordinary channel. File systems
 * without direct I/O (tmpfs before Linux 6.6, some network and FUSE file systems) refuse it when the file is opened,
 * and then every write is an ordinary one. Writes may come from several threads at once, each at its own offset.
 */
final class CacheFileWriter implements Hasher.Sink, Closeable {

    private final Path file;
    private final int block;
    private final FileChannel direct;
    private volatile FileChannel buffered;
    /**
     * Where heap bytes are staged for a direct write, aligned to the block, one per write in flight. Ours, not the
     * JDK's temporary buffers: JDK 17 frees its aligned ones with a cleaner they do not have (a NullPointerException).
     */
    private final BlockingQueue<ByteBuffer> staging = new ArrayBlockingQueue<>(Hasher.WRITERS);

    private CacheFileWriter(Path file, FileChannel direct, int block) {
        this.file = file;
        this.direct = direct;
        this.block = block;
    }

    /** Opens {@code file} for writing, replacing its content. */
    static CacheFileWriter open(Path file) throws IOException {
        FileChannel direct = null;
        int block = 0;
        try {
            Path existing = Files.exists(file) ? file : file.toAbsolutePath().getParent();
            block = Math.toIntExact(Files.getFileStore(existing).getBlockSize());
            direct = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
            // no direct I/O here: the ordinary channel takes every write
        }
        CacheFileWriter writer = new CacheFileWriter(file, direct, block);
        if (direct == null) {
            writer.buffered = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            for (int i = 0; i < Hasher.WRITERS; i++) {
                int size = Math.max(block, Hasher.CHUNK / block * block);
                writer.staging.add(ByteBuffer.allocateDirect(size + block).alignedSlice(block));
            }
        }
        return writer;
    }

    /** Whether whole blocks go around the page cache. */
    boolean direct() {
        return direct != null;
    }

    @Override
    public void write(ByteBuffer chunk, long offset) throws IOException {
        if (direct != null && chunk.remaining() % block == 0 && offset % block == 0) {
            writeDirect(chunk, offset);
        } else {
            Hasher.Sink.of(buffered()).write(chunk, offset); // the tail
        }
    }

    private void writeDirect(ByteBuffer chunk, long offset) throws IOException {
        ByteBuffer stage;
        try {
            stage = staging.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + file);
        }
        try {
            long at = offset;
            while (chunk.hasRemaining()) {
                int n = Math.min(chunk.remaining(), stage.capacity() / block * block);
                stage.clear().put(chunk.slice(chunk.position(), n)).flip();
                chunk.position(chunk.position() + n);
                while (stage.hasRemaining()) {
                    at += direct.write(stage, at);
                }
            }
        } finally {
            staging.add(stage);
        }
    }

    private FileChannel buffered() throws IOException {
        FileChannel channel = buffered;
        if (channel == null) {
            synchronized (this) {
                if (buffered == null) {
                    buffered = FileChannel.open(file, StandardOpenOption.WRITE);
                }
                channel = buffered;
            }
        }
        return channel;
    }

    @Override
    public void close() throws IOException {
        try (FileChannel a = direct; FileChannel b = buffered) {
            // both closed, even if one fails
        }
    }
}
