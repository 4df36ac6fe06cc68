package io.github.itsvc.binaries;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress lines for one large download, the Maven way: one per 10% or every 5 seconds, whichever comes first
 * ({@code tomcat: 4.2 of 12.8 MB (33%)}); nothing at all for files under 1 MB.
 */
final class ProgressReporter {

    static final long THRESHOLD = 1_000_000;
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final String label;
    private final long total;
    private final Progress progress;
    private final LongSupplier clock;
    private long lastLine;
    private int lastDecile;

    /**
     * @param total the announced size, or -1 when unknown
     * @param clock {@link System#nanoTime()}, or a test's
     */
    ProgressReporter(String label, long total, Progress progress, LongSupplier clock) {
        this.label = label;
        this.total = total;
        this.progress = progress;
        this.clock = clock;
        this.lastLine = clock.getAsLong();
    }

    /** @param bytes received so far */
    void update(long bytes) {
        if (total >= 0 ? total < THRESHOLD : bytes < THRESHOLD) {
            return;
        }
        long now = clock.getAsLong();
        int decile = total > 0 ? (int) Math.min(10, bytes * 10 / total) : 0;
        if (decile > lastDecile || now - lastLine >= INTERVAL_NANOS) {
            lastDecile = Math.max(lastDecile, decile);
            lastLine = now;
            progress.line(total > 0
                    ? String.format(Locale.ROOT, "%s: %s of %s MB (%d%%)", label, mb(bytes), mb(total),
                            bytes * 100 / total)
                    : String.format(Locale.ROOT, "%s: %s MB", label, mb(bytes)));
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
