package io.github.itsvc.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the definition writes them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} and combinations in
 * that order ({@code 1m30s}). Always with a unit: a bare {@code 120} could mean seconds or milliseconds.
 */
public final class Durations {

    /** The accepted form, shared with the JSON Schema's pattern. */
    static final String REGEX = "([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?";

    private static final Pattern PATTERN = Pattern.compile("(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?");

    private Durations() {}

    /**
     * Parses a positive duration.
     *
     * @throws IllegalArgumentException with a one-line reason, when {@code text} is not one
     */
    public static Duration parse(String text) {
        Matcher m = PATTERN.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException(text.matches("[0-9]+")
                    ? "has no unit"
                    : "is not a duration like 500ms, 30s, 2m, 1h or 1m30s");
        }
        try {
            Duration d = Duration.ofHours(number(m.group(1)))
                    .plusMinutes(number(m.group(2)))
                    .plusSeconds(number(m.group(3)))
                    .plusMillis(number(m.group(4)));
            if (d.isZero()) {
                throw new IllegalArgumentException("is zero");
            }
            return d;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too long");
        }
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    /** The shortest form {@link #parse} reads back: {@code 1m30s}, {@code 500ms}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, d.toHours(), "h");
        append(sb, d.toMinutesPart(), "m");
        append(sb, d.toSecondsPart(), "s");
        append(sb, d.toMillisPart(), "ms");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long amount, String unit) {
        if (amount > 0) {
            sb.append(amount).append(unit);
        }
    }
}
