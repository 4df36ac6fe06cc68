package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's code path on 4 MiB, so it cannot rot: it completes and reports figures (their values vary). */
class BinariesBenchmarkTest {

    @TempDir
    Path work;

    @Test
    void runsEveryMeasurementOnASmallFileAndPrintsTheTable() throws Exception {
        BinariesBenchmark.Config config = BinariesBenchmark.Config.parse("--size", "4M", "--runs", "2", "--warmup",
                "1", "--warm-runs", "3", "--work", work.toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        BinariesBenchmark.Result result = BinariesBenchmark.run(config, new PrintStream(log, true,
                StandardCharsets.UTF_8));

        assertThat(result.bytes()).isEqualTo(4L << 20);
        assertThat(result.digests()).isEqualTo(Hasher.hash(work.resolve("binary.bin")));
        assertThat(result.rows()).containsKeys("jdk-sha256", "jdk-sha512", "hasher", "cold", "cold-both", "cold-jdk",
                "warm");
        for (BinariesBenchmark.Row row : result.rows().values()) {
            assertThat(row.nanos()).as(row.key()).hasSize(row.key().equals("warm") ? 2 * 3 : 2)
                    .allSatisfy(n -> assertThat(n).isPositive());
            assertThat(row.cpuNanos()).as(row.key() + " CPU").hasSameSizeAs(row.nanos());
        }
        assertThat(result.row("cold").mbps(result.row("cold").median())).isPositive();
        assertThat(result.loadStart()).isNotBlank();
        assertThat(result.machine()).contains("CPUs");

        String table = BinariesBenchmark.table(result);
        assertThat(table).contains("4,194,304 bytes (4.00 MiB)", "| measured", "median CPU", "itsvc cold verify",
                "itsvc warm verify", "warm: ", "target < 50 ms");
        if (result.rows().containsKey("openssl-sha256")) { // openssl is on the PATH
            assertThat(table).contains("`openssl dgst -sha256`", "cold / openssl -sha256: ");
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("load average at start: ", "round 2/2");

        // Nothing left behind but the file it made: the caches of every round are gone.
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("binary.bin",
                    "project", "project-both", "project-jdk");
        }
    }

    @Test
    void sizesReadLikeHeadDashC() {
        assertThat(BinariesBenchmark.parseSize("4096")).isEqualTo(4096);
        assertThat(BinariesBenchmark.parseSize("64K")).isEqualTo(64 << 10);
        assertThat(BinariesBenchmark.parseSize("256M")).isEqualTo(256L << 20);
        assertThat(BinariesBenchmark.parseSize("1G")).isEqualTo(1L << 30);
        assertThat(BinariesBenchmark.parseSize("1GiB")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> BinariesBenchmark.parseSize("lots")).hasMessageContaining("not a size: lots");
        assertThatThrownBy(() -> BinariesBenchmark.Config.parse("--runs", "3"))
                .hasMessageContaining("give --file or --size");
    }
}
