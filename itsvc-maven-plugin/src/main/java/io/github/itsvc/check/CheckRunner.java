package io.github.itsvc.check;

import io.github.itsvc.check.CheckResult.Outcome;
import io.github.itsvc.check.Probe.Attempt;
import io.github.itsvc.model.Check;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs one check against one instance, retrying until it passes or its {@code within} is over.
 *
 * <p>Retries: an attempt, then a pause of 100 ms doubling up to 250 ms, and so on. The last pause is cut short to end
 * at {@code within}, so the last attempt starts when {@code within} is over: a service that gets healthy just in time
 * passes. The whole check thus takes at most {@code within} plus one {@code timeout}. Each attempt is limited to the
 * check's {@code timeout} (a command is killed with the processes it started). Short pauses because a check is
 * mostly a readiness wait on a service that is starting (Tomcat: a few seconds): a passing attempt comes at most a
 * quarter second after the service is ready, where pauses growing to seconds wasted up to half its start. An attempt
 * against a service not yet listening costs a refused connection.
 *
 * <p>{@code http} checks send {@code GET} over HTTP/1.1 and do not follow redirects: a redirect is an answer like
 * any other, so {@code expect: { status: 302 }} can check it and a check of {@code 200} that gets one says where it
 * points. They connect directly, without a proxy.
 *
 * <p>{@code command} checks run {@code /bin/sh -c <command>} in the working directory, with the inherited
 * environment plus {@link Builder#environment} (usually {@link Endpoints#environment} of the whole deployment) plus
 * the checked instance's own {@code ITSVC_ROLE}, {@code ITSVC_INSTANCE}, {@code ITSVC_ADDRESS} and
 * {@code ITSVC_PORT_<PORT>} (the number). Standard input is empty; stdout and stderr are read together, the last
 * 64 KiB kept for {@code contains}/{@code matches}.
 *
 * <p>Build the runner early (before provisioning, say): it prepares its HTTP client in the background.
 *
 * <p>A failing check never throws; a check the definition could not have produced (an http check on a port the
 * instance does not have, a check with no target) is a programming error and throws
 * {@link IllegalArgumentException}. Thread-safe: one runner can run checks in parallel.
 */
public final class CheckRunner {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> environment;
    private final Function<Endpoint, Path> workingDirectory;
    private final Ticker ticker;
    private final Clock clock;
    private final Duration firstPause;
    private final Duration maxPause;
    private final CompletableFuture<HttpClient> http;

    private CheckRunner(Builder b) {
        this.environment = Map.copyOf(b.environment);
        this.workingDirectory = b.workingDirectory;
        this.ticker = b.ticker;
        this.clock = b.clock;
        this.firstPause = b.firstPause;
        this.maxPause = b.maxPause;
        // A new HttpClient costs half a second or more on a cold JVM (TLS set-up): start it now, so that a runner
        // built before provisioning has it ready when the first check runs.
        this.http = CompletableFuture.supplyAsync(HttpProbe::newClient);
    }

    public static Builder builder() {
        return new Builder();
    }

    public CheckResult run(InstanceCheck check) {
        return run(check.check(), check.endpoint());
    }

    public CheckResult run(Check check, Endpoint endpoint) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(endpoint, "endpoint");
        Probe probe = probe(check, endpoint);
        String name = Checks.name(check, endpoint);
        Duration within = check.within() == null ? Duration.ZERO : check.within();
        Duration timeout = check.timeout() == null ? DEFAULT_TIMEOUT : check.timeout();

        Instant started = clock.instant();
        long start = ticker.nanoTime();
        long deadline = start + within.toNanos();
        Duration pause = firstPause;
        int attempts = 0;
        Attempt last;
        while (true) {
            attempts++;
            try {
                last = probe.attempt(timeout);
                if (last.passed()) {
                    break;
                }
                long remaining = deadline - ticker.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                ticker.sleep(pause.toNanos() < remaining ? pause : Duration.ofNanos(remaining));
                pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
            } catch (InterruptedException e) {
                // The build is being stopped: end now, and let the caller see the interrupt.
                Thread.currentThread().interrupt();
                last = Attempt.fail("interrupted after " + attempts + " attempt(s)");
                break;
            }
        }
        Duration took = Duration.ofNanos(ticker.nanoTime() - start);
        return new CheckResult(endpoint.role(), endpoint.instance(), name,
                last.passed() ? Outcome.PASSED : Outcome.FAILED, attempts, started, took, last.detail(),
                check.location());
    }

    private Probe probe(Check check, Endpoint endpoint) {
        if (check.kind() == null) {
            throw new IllegalArgumentException("check without a kind at " + check.location());
        }
        Check.Expect expect = check.expect() == null ? Check.Expect.none() : check.expect();
        return switch (check.kind()) {
            case HTTP -> {
                String target = required(check.target(), check);
                // A path goes to the instance's named port; a URL is used as written (it may point elsewhere).
                String url = Checks.isPath(target) ? "http://" + endpoint.hostPort(required(check.port(), check))
                        + target : target;
                URI uri;
                try {
                    uri = new URI(url);
                } catch (java.net.URISyntaxException e) {
                    yield timeout -> Attempt.fail("not a valid URL: " + Text.quote(url) + " (" + e.getReason() + ")");
                }
                yield new HttpProbe(http.join(), uri, expect);
            }
            case TCP -> {
                String port = required(check.port(), check);
                yield new TcpProbe(endpoint.address(), endpoint.port(port));
            }
            case COMMAND -> new CommandProbe(required(check.target(), check), workingDirectory.apply(endpoint),
                    commandEnvironment(endpoint), expect);
        };
    }

    private Map<String, String> commandEnvironment(Endpoint endpoint) {
        Map<String, String> env = new TreeMap<>(environment);
        env.put("ITSVC_ROLE", endpoint.role());
        env.put("ITSVC_INSTANCE", endpoint.instance());
        env.put("ITSVC_ADDRESS", endpoint.address());
        endpoint.ports().forEach((name, number) -> env.put("ITSVC_PORT_" + Endpoints.envPart(name),
                String.valueOf(number)));
        return env;
    }

    private static String required(String value, Check check) {
        if (value == null) {
            throw new IllegalArgumentException(check.kind() + " check at " + check.location()
                    + " lacks what it checks (a definition that failed validation?)");
        }
        return value;
    }

    public static final class Builder {
        private Map<String, String> environment = Map.of();
        private Function<Endpoint, Path> workingDirectory = e -> null;
        private Ticker ticker = Ticker.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private Duration firstPause = Duration.ofMillis(100);
        private Duration maxPause = Duration.ofMillis(250);

        private Builder() {}

        /** Variables added to the environment of {@code command} checks, e.g. {@link Endpoints#environment}. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment);
            return this;
        }

        /** Where {@code command} checks run (the project's base directory, say). Default: Maven's own. */
        public Builder workingDirectory(Path directory) {
            Objects.requireNonNull(directory);
            this.workingDirectory = e -> directory;
            return this;
        }

        /** Where the {@code command} checks of each instance run, e.g. the instance's folder on a local target. */
        public Builder workingDirectory(Function<Endpoint, Path> directoryOfInstance) {
            this.workingDirectory = Objects.requireNonNull(directoryOfInstance);
            return this;
        }

        /** The pause after the first failed attempt, and the longest one as it doubles. */
        public Builder pauses(Duration first, Duration max) {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("pauses must be positive, first <= max: " + first + ", " + max);
            }
            this.firstPause = first;
            this.maxPause = max;
            return this;
        }

        /** Time for retries and durations; tests pass one that does not really wait. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker);
            return this;
        }

        /** Time for {@link CheckResult#started}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public CheckRunner build() {
            return new CheckRunner(this);
        }
    }
}
