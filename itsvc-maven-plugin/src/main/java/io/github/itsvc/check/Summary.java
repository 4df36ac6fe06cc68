package io.github.itsvc.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Check results for a Maven log: a line per check, the reason under each failure, a totals line. Plain ASCII
 * ({@code PASS}/{@code FAIL}/{@code SKIP}) so it reads the same in any console encoding and greps in CI logs.
 *
 * <pre>
 * PASS  web-1 http :http/ expects 200 contains "team-wiki"   1.20s  3 attempts
 * FAIL  db-1 tcp :db                                         60.05s 14 attempts
 *         connection refused: nothing listens on 127.0.0.1:5432
 * Checks: 1 passed, 1 failed, 0 skipped of 2 in 61.25s
 * </pre>
 */
public final class Summary {

    /** Names longer than this are not padded to, so one long name does not push every time off screen. */
    private static final int NAME_COLUMN_MAX = 72;

    private Summary() {}

    /** A duration as the summary writes it: {@code 0.25s}, {@code 12.30s}, {@code 2m05s}. */
    public static String seconds(Duration d) {
        return Text.seconds(d);
    }

    public static List<String> lines(List<CheckResult> results) {
        int width = 0;
        for (CheckResult r : results) {
            width = Math.max(width, Math.min(r.name().length(), NAME_COLUMN_MAX));
        }
        List<String> lines = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        Duration total = Duration.ZERO;
        for (CheckResult r : results) {
            total = total.plus(r.duration());
            String mark = switch (r.outcome()) {
                case PASSED -> "PASS";
                case FAILED -> "FAIL";
                case SKIPPED -> "SKIP";
            };
            switch (r.outcome()) {
                case PASSED -> passed++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
            StringBuilder line = new StringBuilder(mark).append("  ").append(r.name());
            line.append(" ".repeat(Math.max(0, width - r.name().length()))).append("  ");
            if (r.outcome() != CheckResult.Outcome.SKIPPED) {
                line.append(String.format("%6s", Text.seconds(r.duration())));
                line.append("  ").append(r.attempts()).append(r.attempts() == 1 ? " attempt" : " attempts");
            }
            lines.add(line.toString().stripTrailing());
            if (!r.passed()) {
                lines.add("        " + r.reason());
            }
        }
        lines.add("Checks: " + passed + " passed, " + failed + " failed, " + skipped + " skipped of "
                + results.size() + " in " + Text.seconds(total));
        return List.copyOf(lines);
    }
}
