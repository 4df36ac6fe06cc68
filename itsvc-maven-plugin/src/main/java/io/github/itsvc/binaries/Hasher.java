package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * SHA-256 (and SHA-512, if asked for) of a stream in one pass, optionally writing it to a file on the way. The
 * caller only fills staging buffers (1 MiB each, {@value #BUFFERS} in a ring); each full buffer is handed to lanes
 * that run on helper threads, one lane per job: SHA-256, SHA-512, and {@value #WRITERS} lanes that write every other
 * buffer each, at its offset (two writes in flight: a direct write waits for the disk, and the disk takes two at once
 * about 1.6 times as fast as one at a time). A lane takes its buffers in order, and a buffer is refilled once every
 * lane is done with it. So reading the source (a socket), hashing and writing run on as many cores as there are, and
 * the pass costs about as much as its slowest part, not the sum of them.
 *
 * <p>Not thread-safe: one producer at a time.
 */
final class Hasher {

    static final int CHUNK = 1 << 20;
    /**
     * Enough for the reader to run ahead of a lane that is briefly slower (the write, when the disk is busy; the
     * hashing, when the publisher's or another thread has the CPU): on 2 CPUs, 16 gave a cold verify about a fifth
     * more throughput than 4 (benchmarks page); 16 MiB per download in flight.
     */
    static final int BUFFERS = 16;
    static final int WRITERS = 2;

    /** Where the bytes go: each chunk at its offset; chunks come from several threads at once, in any order. */
    interface Sink {
        void write(ByteBuffer chunk, long offset) throws IOException;

        /** Positional writes to a channel. */
        static Sink of(FileChannel channel) {
            return (chunk, offset) -> {
                long at = offset;
                while (chunk.hasRemaining()) {
                    at += channel.write(chunk, at);
                }
            };
        }
    }

    private static final ExecutorService LANES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "itsvc-hash");
        t.setDaemon(true);
        return t;
    });

    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest sha512;
    private final Sink out;
    private final byte[][] buffers = new byte[BUFFERS][CHUNK];
    /** The work queued on each buffer; a buffer is refilled only once it is done. */
    private final CompletableFuture<?>[] pending = new CompletableFuture<?>[BUFFERS];
    /** Per lane, the last work queued: each new piece runs after it, so a digest sees the bytes in order. */
    private final List<CompletableFuture<?>> lanes = new ArrayList<>();
    private int current;
    private int filled;
    private long size;

    /** Computes both digests. @param out where the bytes go, or {@code null} to only hash */
    Hasher(Sink out) {
        this(out, true);
    }

    /**
     * @param out where the bytes go, or {@code null} to only hash
     * @param sha512 whether to compute SHA-512 too (SHA-256, the cache's key, is always computed)
     */
    Hasher(Sink out, boolean sha512) {
        this.out = out;
        this.sha512 = sha512 ? digest("SHA-512") : null;
        for (int i = 0; i < BUFFERS; i++) {
            pending[i] = CompletableFuture.completedFuture(null);
        }
        int n = 1 + (sha512 ? 1 : 0) + (out != null ? WRITERS : 0);
        for (int i = 0; i < n; i++) {
            lanes.add(CompletableFuture.completedFuture(null));
        }
    }

    /** Hashes (and writes) the remaining bytes of {@code src}, consuming them. */
    void update(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), CHUNK - filled);
            src.get(buffers[current], filled, n);
            filled += n;
            if (filled == CHUNK) {
                flush();
            }
        }
    }

    /** Reads from {@code in} straight into the staging buffer; returns the count read, or -1 at its end. */
    int readFrom(ReadableByteChannel in) throws IOException {
        int n = in.read(ByteBuffer.wrap(buffers[current], filled, CHUNK - filled));
        return added(n);
    }

    /**
     * Reads at most {@code max} bytes (at least 1) from {@code in} straight into the staging buffer, with one call
     * of {@code read}; returns the count read, or -1 at its end.
     */
    int readFrom(InputStream in, long max) throws IOException {
        int n = in.read(buffers[current], filled, (int) Math.min(CHUNK - filled, Math.max(1, max)));
        return added(n);
    }

    private int added(int n) throws IOException {
        if (n > 0) {
            filled += n;
            if (filled == CHUNK) {
                flush();
            }
        }
        return n;
    }

    /** Bytes seen so far. */
    long size() {
        return size + filled;
    }

    /**
     * Flushes what is staged and returns the digests (the SHA-512 {@code null} unless asked for); the hasher is spent
     * afterwards.
     */
    Digests finish() throws IOException {
        flush();
        for (CompletableFuture<?> lane : lanes) {
            await(lane);
        }
        HexFormat hex = HexFormat.of();
        return new Digests(hex.formatHex(sha256.digest()), sha512 == null ? null : hex.formatHex(sha512.digest()));
    }

    /**
     * Waits until no lane works any more, ignoring their failures: after a failure of the source, before the
     * caller closes the channel and deletes the file, so no write comes late.
     */
    void abandon() {
        boolean interrupted = false;
        for (CompletableFuture<?> lane : lanes) {
            while (true) {
                try {
                    lane.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the lanes finish their buffer soon: wait for them still
                } catch (ExecutionException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void flush() throws IOException {
        if (filled == 0) {
            return;
        }
        byte[] buffer = buffers[current];
        int length = filled;
        queue(0, () -> sha256.update(buffer, 0, length));
        if (sha512 != null) {
            queue(1, () -> sha512.update(buffer, 0, length));
        }
        if (out != null) {
            long offset = size;
            queue(lanes.size() - WRITERS + (int) (size / CHUNK % WRITERS), () -> write(buffer, length, offset));
        }
        pending[current] = CompletableFuture.allOf(lanes.toArray(CompletableFuture<?>[]::new));
        size += length;
        filled = 0;
        current = (current + 1) % BUFFERS;
        await(pending[current]);
    }

    private void queue(int lane, Runnable work) {
        lanes.set(lane, lanes.get(lane).thenRunAsync(work, LANES));
    }

    private void write(byte[] buffer, int length, long offset) {
        try {
            out.write(ByteBuffer.wrap(buffer, 0, length), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CompletableFuture<?> work) throws IOException {
        try {
            work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause(); // the write failed: the disk is full, or the like
            }
            throw new IllegalStateException("hashing failed", cause);
        }
    }

    /** Hashes a whole file, both digests. */
    static Digests hash(Path file) throws IOException {
        return hash(file, true);
    }

    /** Hashes a whole file: SHA-256, and SHA-512 if {@code sha512}. */
    static Digests hash(Path file, boolean sha512) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return copy(in, null, sha512);
        }
    }

    /** Reads {@code in} to its end, hashing it (both digests) and writing it to {@code out} (if not null). */
    static Digests copy(FileChannel in, Sink out) throws IOException {
        return copy(in, out, true);
    }

    /** Reads {@code in} to its end, hashing it and writing it to {@code out} (if not null). */
    static Digests copy(FileChannel in, Sink out, boolean sha512) throws IOException {
        Hasher hasher = new Hasher(out, sha512);
        try {
            while (hasher.readFrom(in) >= 0) {
                // reads straight into the staging buffers: no copy
            }
            return hasher.finish();
        } finally {
            hasher.abandon();
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("the JVM lacks " + algorithm, e));
        }
    }
}
