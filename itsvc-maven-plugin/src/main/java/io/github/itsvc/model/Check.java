package io.github.itsvc.model;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A declarative deployment check of a role.
 *
 * @param kind what kind of check
 * @param target for {@code http}: a path ({@code /}) or a URL; for {@code tcp}: unused ({@code null}); for
 *     {@code command}: the command line
 * @param port the role's port name the check talks to ({@code http} with a path, {@code tcp}); else {@code null}
 * @param expect what a healthy answer looks like
 * @param within how long to keep retrying until healthy
 * @param timeout how long one attempt may take
 * @param location where the check is defined
 */
public record Check(Kind kind, String target, String port, Expect expect, Duration within, Duration timeout,
        Location location) {

    public enum Kind { HTTP, TCP, COMMAND }

    /**
     * @param status expected HTTP status, or exit code for commands ({@code null}: 200 for http, 0 for command)
     * @param contains text the body (or output) must contain, or {@code null}
     * @param matches a regular expression the body (or output) must match, or {@code null}
     * @param headers response headers that must be present with these values
     */
    public record Expect(Integer status, String contains, String matches, Map<String, String> headers) {
        public Expect {
            headers = Collections.unmodifiableMap(new TreeMap<>(headers));
        }

        public static Expect none() {
            return new Expect(null, null, null, Map.of());
        }
    }
}
