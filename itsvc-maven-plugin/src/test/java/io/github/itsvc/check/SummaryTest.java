package io.github.itsvc.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void aLinePerCheckTheReasonUnderEachFailureAndTotals() {
        assertThat(Summary.lines(List.of(JUnitReportTest.PASSED, JUnitReportTest.FAILED, JUnitReportTest.SKIPPED)))
                .containsExactly(
                        "PASS  web-1 http :http/ expects 200                   1.25s  3 attempts",
                        "FAIL  db-1 http :admin/ expects 200 contains \"<ok>\"   1m00s  12 attempts",
                        "        expected status 200, got 500",
                        "SKIP  web-2 tcp :http",
                        "        db failed its checks",
                        "Checks: 1 passed, 1 failed, 1 skipped of 3 in 1m01s");
    }

    @Test
    void noChecks() {
        assertThat(Summary.lines(List.of())).containsExactly("Checks: 0 passed, 0 failed, 0 skipped of 0 in 0.00s");
    }
}
