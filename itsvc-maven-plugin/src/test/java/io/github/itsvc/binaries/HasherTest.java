package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HasherTest {

    @TempDir
    Path dir;

    static Digests expected(byte[] data) throws Exception {
        HexFormat hex = HexFormat.of();
        return new Digests(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                hex.formatHex(MessageDigest.getInstance("SHA-512").digest(data)));
    }

    @Test
    void bothDigestsInOnePassAtEverySizeAroundTheChunks() throws Exception {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 4095, Hasher.CHUNK - 1, Hasher.CHUNK, Hasher.CHUNK + 1,
                3 * Hasher.CHUNK + Hasher.CHUNK / 2}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path in = dir.resolve("in-" + size);
            Path out = dir.resolve("out-" + size);
            Files.write(in, data);
            Files.createFile(out);
            try (FileChannel r = FileChannel.open(in); FileChannel w = FileChannel.open(out, StandardOpenOption.WRITE)) {
                assertThat(Hasher.copy(r, Hasher.Sink.of(w))).as("size " + size).isEqualTo(expected(data));
            }
            assertThat(Files.readAllBytes(out)).isEqualTo(data);
            assertThat(Hasher.hash(in)).isEqualTo(expected(data));

            // fed in odd slices, as HTTP bodies arrive
            Hasher hasher = new Hasher(null);
            for (int off = 0; off < size; off += 16_411) {
                hasher.update(ByteBuffer.wrap(data, off, Math.min(16_411, size - off)));
            }
            assertThat(hasher.size()).isEqualTo(size);
            assertThat(hasher.finish()).isEqualTo(expected(data));
        }
    }

    @Test
    void theSha256AloneWhenTheSha512IsNotWanted() throws Exception {
        Random random = new Random(8);
        for (int size : new int[] {0, 1, Hasher.CHUNK, Hasher.BUFFERS * Hasher.CHUNK + 3}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path in = dir.resolve("in-" + size);
            Path out = dir.resolve("out-" + size);
            Files.write(in, data);
            Files.createFile(out);
            Digests sha256Only = new Digests(expected(data).sha256(), null);
            try (FileChannel r = FileChannel.open(in); FileChannel w = FileChannel.open(out, StandardOpenOption.WRITE)) {
                assertThat(Hasher.copy(r, Hasher.Sink.of(w), false)).as("size " + size).isEqualTo(sha256Only);
            }
            assertThat(Files.readAllBytes(out)).isEqualTo(data);
            assertThat(Hasher.hash(in, false)).isEqualTo(sha256Only);
        }
    }

    @Test
    void readsFromAStreamNeverMoreThanAsked() throws Exception {
        byte[] data = new byte[3 * Hasher.CHUNK + 5];
        new Random(9).nextBytes(data);
        Hasher hasher = new Hasher(null, true);
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        assertThat(hasher.readFrom(in, 10)).isEqualTo(10);
        assertThat(hasher.readFrom(in, 0)).as("at least one byte").isEqualTo(1);
        while (hasher.readFrom(in, Long.MAX_VALUE) >= 0) {
            // to the end, across the ring of buffers
        }
        assertThat(hasher.size()).isEqualTo(data.length);
        assertThat(hasher.finish()).isEqualTo(expected(data));
    }

    @Test
    void aWriteThatFailsIsReportedAsItsIoException() throws Exception {
        // A disk that fills up after 2 MiB: the writing lane fails, and the producer learns it.
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        Hasher.Sink full = (chunk, offset) -> {
            if (written.get() >= 2L * Hasher.CHUNK) {
                throw new IOException("No space left on device");
            }
            written.addAndGet(chunk.remaining());
            chunk.position(chunk.limit());
        };
        byte[] data = new byte[(Hasher.BUFFERS + 4) * Hasher.CHUNK];
        Hasher hasher = new Hasher(full, false);
        IOException e = catchThrowableOfType(IOException.class, () -> {
            hasher.update(ByteBuffer.wrap(data));
            hasher.finish();
        });
        hasher.abandon();
        assertThat(e).hasMessage("No space left on device");
    }
}
