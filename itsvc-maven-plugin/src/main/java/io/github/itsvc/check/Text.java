package io.github.itsvc.check;

import io.github.itsvc.model.Durations;
import java.time.Duration;
import java.util.Locale;

/** Small text helpers shared by names, details, the summary and the report. */
final class Text {

    private Text() {}

    /** A string in double quotes, escaped like Java, cut after {@code max} characters so names stay one line. */
    static String quote(String s, int max) {
        StringBuilder sb = new StringBuilder("\"");
        int end = Math.min(s.length(), max);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (end < s.length()) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }

    static String quote(String s) {
        return quote(s, 200);
    }

    /** {@code 0.25s}, {@code 12.30s}, {@code 2m05s}: readable and of fixed precision for logs. */
    static String seconds(Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%d.%02ds", millis / 1000, millis % 1000 / 10);
        }
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** {@code 2s}, {@code 500ms}, {@code 1m30s}: how the definition writes durations. */
    static String duration(Duration d) {
        return Durations.format(d);
    }

    /** The first {@code max} characters, with a note of how much was left out. */
    static String head(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "\n... (" + (s.length() - max) + " more characters)";
    }

    /** The last {@code max} characters, with a note of how much was left out. */
    static String tail(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return "... (" + (s.length() - max) + " earlier characters)\n" + s.substring(s.length() - max);
    }
}
