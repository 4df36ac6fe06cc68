package io.github.itsvc.check;

import io.github.itsvc.model.Check;
import io.github.itsvc.model.Check.Expect;
import io.github.itsvc.model.Check.Kind;
import io.github.itsvc.model.Location;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks, endpoints and time for the tests. */
final class Fixtures {

    static final Location HERE = new Location("src/main/itsvc/service.yaml", 12, 9);
    /** A {@code within} that allows one attempt: no retries in tests of a single answer. */
    static final Duration ONCE = Duration.ofNanos(1);
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private Fixtures() {}

    static Expect expect(Integer status, String contains, String matches, Map<String, String> headers) {
        return new Expect(status, contains, matches, headers);
    }

    static Expect status(int status) {
        return expect(status, null, null, Map.of());
    }

    static Expect contains(String text) {
        return expect(null, text, null, Map.of());
    }

    static Check http(String target, Expect expect, Duration within, Duration timeout) {
        return new Check(Kind.HTTP, target, target.startsWith("/") ? "http" : null, expect, within, timeout, HERE);
    }

    /** An http check on the path, tried once. */
    static Check http(String path, Expect expect) {
        return http(path, expect, ONCE, TIMEOUT);
    }

    static Check tcp(String port, Duration within, Duration timeout) {
        return new Check(Kind.TCP, null, port, Expect.none(), within, timeout, HERE);
    }

    static Check command(String command, Expect expect, Duration within, Duration timeout) {
        return new Check(Kind.COMMAND, command, null, expect, within, timeout, HERE);
    }

    static Check command(String command, Expect expect) {
        return command(command, expect, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static Endpoint web(int port) {
        return new Endpoint("web", "web-1", "127.0.0.1", Map.of("http", port));
    }

    /** A port nothing listens on: bound, then let go (nobody else takes it in the next moments). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether a process is gone: exited, or a zombie nobody reaped yet (a container's init may not reap). */
    static boolean gone(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (Files.exists(stat)) {
            String s;
            try {
                s = Files.readString(stat);
            } catch (IOException e) {
                return true; // vanished while reading
            }
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        }
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    /** Time that passes only when slept: retries run at once, their pauses recorded. */
    static class FakeTicker implements Ticker {
        long now = 1_000_000_000L;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now += duration.toNanos();
        }
    }
}
