package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * SHA-256 and SHA-512 of a stream in one pass, optionally writing it to a channel on the way. The data is staged in
 * two 1 MiB buffers used in turn: while the caller fills one and hashes it with SHA-256, a helper thread hashes the
 * other with SHA-512, so the pass costs about as much as the slower of the two digests, not their sum.
 *
 * <p>Not thread-safe: one producer at a time.
 */
final class Hasher {

    static final int CHUNK = 1 << 20;

    private static final ExecutorService SHA512_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "itsvc-sha512");
        t.setDaemon(true);
        return t;
    });

    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest sha512 = digest("SHA-512");
    private final WritableByteChannel out;
    private final byte[][] buffers = {new byte[CHUNK], new byte[CHUNK]};
    /** The SHA-512 work queued on each buffer; a buffer is refilled only once its work is done. */
    private final CompletableFuture<?>[] pending = {CompletableFuture.completedFuture(null),
            CompletableFuture.completedFuture(null)};
    /** The last SHA-512 work queued: each new piece runs after it, so the digest sees the bytes in order. */
    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);
    private int current;
    private int filled;
    private long size;

    /** @param out where the bytes go after hashing, or {@code null} to only hash */
    Hasher(WritableByteChannel out) {
        this.out = out;
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

    /** Flushes what is staged and returns the digests; the hasher is spent afterwards. */
    Digests finish() throws IOException {
        flush();
        await(last);
        HexFormat hex = HexFormat.of();
        return new Digests(hex.formatHex(sha256.digest()), hex.formatHex(sha512.digest()));
    }

    private void flush() throws IOException {
        if (filled == 0) {
            return;
        }
        byte[] buffer = buffers[current];
        int length = filled;
        CompletableFuture<?> work = last.thenRunAsync(() -> sha512.update(buffer, 0, length), SHA512_THREADS);
        pending[current] = work;
        last = work;
        sha256.update(buffer, 0, length);
        if (out != null) {
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, length);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
        size += length;
        filled = 0;
        current = 1 - current;
        await(pending[current]);
    }

    private static void await(CompletableFuture<?> work) throws IOException {
        try {
            work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            throw new IllegalStateException("SHA-512 failed", e.getCause());
        }
    }

    /** Hashes a whole file. */
    static Digests hash(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return copy(in, null);
        }
    }

    /** Reads {@code in} to its end, hashing it and writing it to {@code out} (if not null). */
    static Digests copy(FileChannel in, WritableByteChannel out) throws IOException {
        Hasher hasher = new Hasher(out);
        while (hasher.readFrom(in) >= 0) {
            // reads straight into the staging buffers: no copy
        }
        return hasher.finish();
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("the JVM lacks " + algorithm, e));
        }
    }
}
