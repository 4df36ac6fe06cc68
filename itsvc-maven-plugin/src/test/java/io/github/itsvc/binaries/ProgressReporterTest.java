package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private long now;
    private final List<String> lines = new ArrayList<>();

    private ProgressReporter reporter(long total) {
        return new ProgressReporter("tomcat", total, lines::add, () -> now);
    }

    @Test
    void aLinePerTenPercent() {
        ProgressReporter r = reporter(12_800_000);
        for (long b = 0; b <= 12_800_000; b += 100_000) {
            r.update(b);
        }
        assertThat(lines).hasSize(10).first().isEqualTo("tomcat: 1.3 of 12.8 MB (10%)");
        assertThat(lines).contains("tomcat: 3.9 of 12.8 MB (30%)")
                .last().isEqualTo("tomcat: 12.8 of 12.8 MB (100%)");
    }

    @Test
    void orEveryFiveSecondsWhenSlow() {
        ProgressReporter r = reporter(100_000_000);
        r.update(1_000_000);
        now += 4_000_000_000L;
        r.update(2_000_000);
        assertThat(lines).isEmpty();
        now += 1_000_000_000L;
        r.update(4_200_000);
        assertThat(lines).containsExactly("tomcat: 4.2 of 100.0 MB (4%)");
        r.update(4_300_000);
        assertThat(lines).hasSize(1);
    }

    @Test
    void unknownSizeReportsEveryFiveSecondsOnceOverAMegabyte() {
        ProgressReporter r = reporter(-1);
        now += 6_000_000_000L;
        r.update(900_000);
        assertThat(lines).isEmpty();
        r.update(1_500_000);
        assertThat(lines).containsExactly("tomcat: 1.5 MB");
    }

    @Test
    void nothingForSmallFiles() {
        ProgressReporter r = reporter(999_999);
        now += 60_000_000_000L;
        r.update(500_000);
        r.update(999_999);
        assertThat(lines).isEmpty();
    }
}
