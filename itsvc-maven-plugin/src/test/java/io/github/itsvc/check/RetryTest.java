package io.github.itsvc.check;

import static io.github.itsvc.check.Fixtures.contains;
import static io.github.itsvc.check.Fixtures.http;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.check.Fixtures.FakeTicker;
import io.github.itsvc.model.Check.Expect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryTest {

    private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");

    private TestServer server;
    private final FakeTicker ticker = new FakeTicker();
    private final CheckRunner runner = CheckRunner.builder()
            .ticker(ticker)
            .clock(Clock.fixed(START, ZoneOffset.UTC))
            .build();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<Duration> millis(long... millis) {
        return LongStream.of(millis).mapToObj(Duration::ofMillis).toList();
    }

    @Test
    void aServiceThatGetsHealthyPassesAfterPausesThatDouble() {
        server.unhealthyFor = 3;
        CheckResult r = runner.run(http("/warming-up", contains("ready"), Duration.ofSeconds(60),
                Fixtures.TIMEOUT), server.endpoint());

        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.attempts()).isEqualTo(4);
        assertThat(server.warmingUpCalls).hasValue(4);
        assertThat(ticker.sleeps).isEqualTo(millis(100, 200, 250));
        assertThat(r.duration()).isEqualTo(Duration.ofMillis(550));
        assertThat(r.started()).isEqualTo(START);
        assertThat(r.detail()).startsWith("200 from GET ");
    }

    @Test
    void theLastAttemptIsWhenWithinIsOverAndItsAnswerIsTheDetail() {
        server.unhealthyFor = Integer.MAX_VALUE;
        CheckResult r = runner.run(http("/warming-up", Expect.none(), Duration.ofSeconds(2), Fixtures.TIMEOUT),
                server.endpoint());

        assertThat(r.passed()).isFalse();
        // 0 +100 +200 +6 x 250 = 1800 ms; the next pause would be 250 ms, cut to the 200 ms left: one more attempt.
        assertThat(ticker.sleeps).isEqualTo(millis(100, 200, 250, 250, 250, 250, 250, 250, 200));
        assertThat(r.attempts()).isEqualTo(10);
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.reason()).isEqualTo("expected status 200, got 503");
        assertThat(r.detail()).endsWith("\n\nstarting");
    }

    @Test
    void pausesStopGrowingAtAQuarterSecond() throws Exception {
        CheckResult r = runner.run(Fixtures.tcp("http", Duration.ofSeconds(30), Fixtures.TIMEOUT),
                Fixtures.web(Fixtures.closedPort()));

        assertThat(r.passed()).isFalse();
        // 100 + 200 + 118 x 250 = 29800 ms, then the 200 ms left.
        List<Duration> expected = new ArrayList<>(millis(100, 200));
        expected.addAll(Collections.nCopies(118, Duration.ofMillis(250)));
        expected.add(Duration.ofMillis(200));
        assertThat(ticker.sleeps).isEqualTo(expected);
        assertThat(r.attempts()).isEqualTo(122);
    }

    @Test
    void aCheckThatPassesAtOnceDoesNotWait() {
        CheckResult r = runner.run(http("/", Expect.none(), Duration.ofSeconds(60), Fixtures.TIMEOUT),
                server.endpoint());

        assertThat(r.attempts()).isEqualTo(1);
        assertThat(ticker.sleeps).isEmpty();
        assertThat(r.duration()).isZero();
    }

    @Test
    void anInterruptEndsTheCheckAndIsKept() throws Exception {
        Ticker interrupted = new Ticker() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                throw new InterruptedException();
            }
        };
        CheckResult r = CheckRunner.builder().ticker(interrupted).build().run(
                Fixtures.tcp("http", Duration.ofSeconds(60), Fixtures.TIMEOUT), Fixtures.web(Fixtures.closedPort()));
        try {
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(r.passed()).isFalse();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).isEqualTo("interrupted after 1 attempt(s)");
    }

    @Test
    void retriesWorkInRealTimeToo() {
        server.unhealthyFor = 2;
        CheckRunner real = CheckRunner.builder().pauses(Duration.ofMillis(20), Duration.ofMillis(50)).build();

        CheckResult r = real.run(http("/warming-up", Expect.none(), Duration.ofSeconds(5), Fixtures.TIMEOUT),
                server.endpoint());

        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(r.duration()).isBetween(Duration.ofMillis(60), Duration.ofSeconds(4));
    }

    @Test
    void eachInstanceIsCheckedInOrder() throws Exception {
        server.unhealthyFor = 0;
        Endpoint first = new Endpoint("web", "web-1", "127.0.0.1", Map.of("http", server.port()));
        Endpoint second = new Endpoint("web", "web-2", "127.0.0.1", Map.of("http", Fixtures.closedPort()));
        List<InstanceCheck> plan = List.of(
                new InstanceCheck(http("/", Expect.none()), first),
                new InstanceCheck(http("/", Expect.none()), second));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());

        List<CheckResult> results = Checks.runAll(runner, plan, r -> seen.add(r.instance()));

        assertThat(results).extracting(CheckResult::instance).containsExactly("web-1", "web-2");
        assertThat(results).extracting(CheckResult::passed).containsExactly(true, false);
        assertThat(seen).containsExactly("web-1", "web-2");
        assertThat(Checks.allPassed(results)).isFalse();
        assertThat(Checks.allPassed(results.subList(0, 1))).isTrue();
    }
}
