package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void theFileHoldsEveryByteWhateverTheSizeAroundTheBlocks() throws Exception {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 4095, 4096, 4097, Hasher.CHUNK, Hasher.CHUNK + 1,
                3 * Hasher.CHUNK + Hasher.CHUNK / 2}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path out = dir.resolve("out-" + size);
            Files.write(out, new byte[] {1, 2, 3, 4, 5}); // replaced, not appended to
            try (FileChannel in = FileChannel.open(writeTo(dir.resolve("in-" + size), data));
                    CacheFileWriter writer = CacheFileWriter.open(out)) {
                assertThat(Hasher.copy(in, writer)).isEqualTo(HasherTest.expected(data));
            }
            assertThat(Files.readAllBytes(out)).as("size " + size).isEqualTo(data);
        }
    }

    @Test
    void chunksLandAtTheirOffsetsInAnyOrderTheTailIncluded() throws Exception {
        Path out = dir.resolve("out");
        byte[] data = new byte[3 * 4096 + 100];
        new Random(3).nextBytes(data);
        try (CacheFileWriter writer = CacheFileWriter.open(out)) {
            writer.write(ByteBuffer.wrap(data, 3 * 4096, 100), 3 * 4096); // the tail first
            writer.write(ByteBuffer.wrap(data, 4096, 2 * 4096), 4096);
            writer.write(ByteBuffer.wrap(data, 0, 4096), 0);
        }
        assertThat(Files.readAllBytes(out)).isEqualTo(data);
    }

    @Test
    void directIoWhereTheFileSystemHasIt() throws Exception {
        // The build machines' ext4 has it; where the temp folder's file system has not, the writer still writes.
        try (CacheFileWriter writer = CacheFileWriter.open(dir.resolve("out"))) {
            String fs = Files.getFileStore(dir).type();
            if (fs.equals("ext4") || fs.equals("xfs")) {
                assertThat(writer.direct()).as("direct I/O on " + fs).isTrue();
            }
        }
    }

    private static Path writeTo(Path file, byte[] data) throws Exception {
        return Files.write(file, data);
    }
}
