package io.github.itsvc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.JUnitReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckReportTest {

    @TempDir
    Path dir;

    @Test
    void readsBackWhatTestDeploymentWroteWithTimings() throws IOException {
        CheckResult skipped = new CheckResult("proxy", "proxy-1", "proxy-1 tcp :http", CheckResult.Outcome.SKIPPED, 0,
                ReportFixtures.T0, Duration.ZERO, "web failed its checks", null);
        Path file = JUnitReport.write(dir, "itsvc-dev", List.of(ReportFixtures.passed("store", "store-1", 250),
                ReportFixtures.failed("web", "web-1", 20_040, "expected the body to contain \"Welcome\""), skipped));

        Dashboard.Checks checks = CheckReport.read(file, "target/itsvc-reports/TEST-itsvc-dev.xml", false);

        assertThat(checks.total()).isEqualTo(3);
        assertThat(checks.passed()).isEqualTo(1);
        assertThat(checks.failed()).isEqualTo(1);
        assertThat(checks.skipped()).isEqualTo(1);
        assertThat(checks.time()).isEqualTo("20.29s");
        assertThat(checks.report()).isEqualTo("target/itsvc-reports/TEST-itsvc-dev.xml");
        assertThat(checks.when()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(checks.rows()).containsExactly(
                new Dashboard.CheckRow("passed", "store-1", "store", "tcp :http", "0.25s", ""),
                new Dashboard.CheckRow("failed", "web-1", "web", "http :http/ expects 200 contains \"Welcome\"",
                        "20.04s", "expected the body to contain \"Welcome\""),
                new Dashboard.CheckRow("skipped", "proxy-1", "proxy", "tcp :http", "0.00s", "web failed its checks"));
    }

    @Test
    void noReportIsNoResults() throws IOException {
        assertThat(CheckReport.read(dir.resolve("TEST-itsvc-dev.xml"), "x", false)).isNull();
    }

    @Test
    void somethingElseIsAnErrorThatNamesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("TEST-itsvc-dev.xml"), "<html/>");
        assertThatThrownBy(() -> CheckReport.read(file, "target/itsvc-reports/TEST-itsvc-dev.xml", false))
                .hasMessageContaining("target/itsvc-reports/TEST-itsvc-dev.xml is not a JUnit report");
        Files.writeString(file, "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><testsuite>&e;</testsuite>");
        assertThatThrownBy(() -> CheckReport.read(file, "r.xml", false)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read the test-deployment report r.xml");
    }
}
