package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;

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
                assertThat(Hasher.copy(r, w)).as("size " + size).isEqualTo(expected(data));
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
}
