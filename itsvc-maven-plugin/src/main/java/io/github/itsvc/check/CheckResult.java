package io.github.itsvc.check;

import io.github.itsvc.model.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How one check went on one instance.
 *
 * @param role the role the instance belongs to
 * @param instance the instance checked ({@code web-1})
 * @param name a stable, readable name that says what was checked, see {@link Checks#name}
 * @param outcome passed, failed or skipped
 * @param attempts how many attempts were made (0 when skipped)
 * @param started when the first attempt began
 * @param duration from the first attempt to the end of the last, waits between attempts included
 * @param detail on failure: the reason on the first line, then the last response (status, some headers, the start
 *     of the body) or the last output of a command; on success a short note; on skip why. Never request headers or
 *     environment variables.
 * @param location where the check is defined, or {@code null}
 */
public record CheckResult(String role, String instance, String name, Outcome outcome, int attempts, Instant started,
        Duration duration, String detail, Location location) {

    public enum Outcome { PASSED, FAILED, SKIPPED }

    public CheckResult {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * A check that was not run, e.g. because a role it depends on failed its own checks.
     *
     * @param why one line, shown in the summary and the report
     */
    public static CheckResult skipped(InstanceCheck check, String why, Instant when) {
        return new CheckResult(check.endpoint().role(), check.endpoint().instance(), check.name(), Outcome.SKIPPED, 0,
                when, Duration.ZERO, why, check.check().location());
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }

    /** The first line of {@link #detail}: why it failed, or the success note. */
    public String reason() {
        for (int i = 0; i < detail.length(); i++) {
            if (detail.charAt(i) == '\n' || detail.charAt(i) == '\r') {
                return detail.substring(0, i);
            }
        }
        return detail;
    }
}
