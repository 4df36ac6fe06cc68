package io.github.itsvc.check;

import static io.github.itsvc.check.Fixtures.contains;
import static io.github.itsvc.check.Fixtures.expect;
import static io.github.itsvc.check.Fixtures.http;
import static io.github.itsvc.check.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.check.CheckResult.Outcome;
import io.github.itsvc.model.Check;
import io.github.itsvc.model.Check.Expect;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpCheckTest {

    private static TestServer server;
    private static CheckRunner runner;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
        runner = CheckRunner.builder().build();
        // The first request of a JVM loads the HTTP client's classes (half a second): not what timeouts here test.
        assertThat(runner.run(http("/", Expect.none()), server.endpoint()).passed()).isTrue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private CheckResult run(Check check) {
        return runner.run(check, server.endpoint());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void aPathOnTheNamedPortPassesWithTheDefaultStatus() {
        CheckResult r = run(http("/", contains("team-wiki")));

        assertThat(r.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(r.role()).isEqualTo("web");
        assertThat(r.instance()).isEqualTo("web-1");
        assertThat(r.name()).isEqualTo("web-1 http :http/ expects 200 contains \"team-wiki\"");
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).isEqualTo("200 from GET " + url("/") + " (25 bytes)");
        assertThat(r.location()).isEqualTo(Fixtures.HERE);
    }

    @Test
    void aFullUrlIsUsedAsWritten() throws Exception {
        CheckResult r = runner.run(http(url("/headers"), Expect.none()),
                Fixtures.web(Fixtures.closedPort()));

        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.name()).isEqualTo("web-1 http " + url("/headers") + " expects 200");
    }

    @Test
    void aWrongStatusFailsWithTheResponse() {
        CheckResult r = run(http("/error", Expect.none()));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).isEqualTo("""
                expected status 200, got 500
                GET %s -> 500
                content-length: 26

                boom: NullPointerException""".formatted(url("/error")));
    }

    @Test
    void anExpectedOtherStatusPasses() {
        assertThat(run(http("/error", status(500))).passed()).isTrue();
    }

    @Test
    void redirectsAreNotFollowedButCanBeChecked() {
        CheckResult r = run(http("/redirect", Expect.none()));
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("expected status 200, got 302 (a redirect to /login, not followed: check that"
                + " URL, or expect 302)");
        assertThat(r.detail()).contains("\nlocation: /login\n");

        assertThat(run(http("/redirect", status(302))).passed()).isTrue();
    }

    @Test
    void aMissingTextFailsAndShowsTheBody() {
        CheckResult r = run(http("/", contains("Team Wiki")));

        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("expected the body to contain \"Team Wiki\"");
        assertThat(r.detail()).endsWith("\n\n<h1>team-wiki</h1> on dev");
    }

    @Test
    void matchesFindsARegularExpressionAnywhere() {
        assertThat(run(http("/", expect(null, null, "team-w[a-z]+", Map.of()))).passed()).isTrue();

        CheckResult r = run(http("/", expect(null, null, "^on dev", Map.of())));
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("expected the body to match \"^on dev\"");
    }

    @Test
    void everyUnmetExpectationIsListed() {
        CheckResult r = run(http("/error", expect(201, "ok", "fine", Map.of("X-Version", "2"))));

        assertThat(r.reason()).isEqualTo("expected status 201, got 500; expected header X-Version: \"2\", got none;"
                + " expected the body to contain \"ok\"; expected the body to match \"fine\"");
    }

    @Test
    void headerNamesAreCaseInsensitiveAndValuesExact() {
        assertThat(run(http("/headers", expect(null, null, null,
                Map.of("CONTENT-TYPE", "text/plain; charset=utf-8", "x-version", "1.2")))).passed())
                .isTrue();

        CheckResult r = run(http("/headers", expect(null, null, null, Map.of("X-Version", "2.0"))));
        assertThat(r.reason()).isEqualTo("expected header X-Version: \"2.0\", got \"1.2\"");
        assertThat(r.detail()).contains("\ncontent-type: text/plain; charset=utf-8\n", "\nx-version: 1.2\n");
    }

    @Test
    void cookiesAreNeverShown() {
        CheckResult wrongStatus = run(http("/headers", status(204)));
        CheckResult wrongCookie = run(http("/headers", expect(null, null, null, Map.of("Set-Cookie", "x"))));

        assertThat(wrongStatus.detail()).doesNotContain("s3cr3t");
        assertThat(wrongCookie.reason()).isEqualTo("expected header Set-Cookie: \"x\", got another value");
        assertThat(wrongCookie.detail()).doesNotContain("s3cr3t").contains("\nset-cookie: (hidden)\n");
    }

    @Test
    void theBodyIsDecodedInItsCharset() {
        assertThat(run(http("/latin1", contains("Caf\u00e9"))).passed()).isTrue();
    }

    @Test
    void onlyTheStartOfABigBodyIsReadAndShown() {
        CheckResult r = run(http("/big", contains("MARKER")));

        assertThat(r.reason()).isEqualTo("expected the body to contain \"MARKER\" (in its first 1024 KiB)");
        assertThat(r.detail()).hasSizeLessThan(3000)
                .contains("\n" + "x".repeat(2048) + "\n... (" + (1024 * 1024 - 2048) + " more characters)")
                .endsWith("\n... (the body goes on after 1024 KiB)");
        assertThat(run(http("/big", contains("xxx"))).detail()).isEqualTo("200 from GET " + url("/big")
                + " (more than 1048576 bytes)");
    }

    @Test
    void aServerThatDoesNotAnswerInTimeFails() {
        Duration timeout = Duration.ofMillis(300);
        CheckResult r = run(http("/slow", Expect.none(), timeout, timeout));

        assertThat(r.passed()).isFalse();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).isEqualTo("timed out after 300ms waiting for an answer\nGET " + url("/slow"));
        assertThat(r.duration()).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aBodyThatTricklesTimesOutToo() {
        Duration timeout = Duration.ofMillis(800);
        CheckResult r = run(http("/trickle", Expect.none(), timeout, timeout));

        assertThat(r.detail()).isEqualTo("timed out after 800ms reading the body of a 200 answer\nGET "
                + url("/trickle") + " -> 200");
        assertThat(r.duration()).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int port = Fixtures.closedPort();
        CheckResult r = runner.run(http("/", Expect.none()), Fixtures.web(port));

        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).isEqualTo("connection refused: nothing listens on 127.0.0.1:" + port
                + "\nGET http://127.0.0.1:" + port + "/");
    }

    @Test
    void aPathThatIsNoUrlFailsTheCheck() {
        CheckResult r = run(http("/a b", Expect.none()));

        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).startsWith("not a valid URL: \"" + url("/a b") + "\" (Illegal character in path)");
    }

    @Test
    void aPortTheInstanceLacksIsAProgrammingError() {
        Check onAdmin = new Check(Check.Kind.HTTP, "/", "admin", Expect.none(), Fixtures.ONCE, Fixtures.TIMEOUT,
                Fixtures.HERE);

        assertThatThrownBy(() -> run(onAdmin)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instance web-1 has no port 'admin', only [http]");
    }
}
