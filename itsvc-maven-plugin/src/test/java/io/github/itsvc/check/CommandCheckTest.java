package io.github.itsvc.check;

import static io.github.itsvc.check.Fixtures.command;
import static io.github.itsvc.check.Fixtures.contains;
import static io.github.itsvc.check.Fixtures.expect;
import static io.github.itsvc.check.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.itsvc.model.Check.Expect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandCheckTest {

    @TempDir
    Path dir;

    private static final Endpoint WEB = new Endpoint("web", "web-1", "127.0.0.1", Map.of("http", 8081));
    private static final Endpoint DB = new Endpoint("db", "db-1", "10.0.0.5", Map.of("pg", 5432));

    private CheckRunner runner() {
        return CheckRunner.builder()
                .workingDirectory(dir)
                .environment(Endpoints.environment(List.of(WEB, DB)))
                .build();
    }

    private CheckResult run(String command, Expect expect) {
        return runner().run(command(command, expect, Fixtures.ONCE, Fixtures.TIMEOUT), WEB);
    }

    @Test
    void aCommandThatExitsZeroPasses() {
        CheckResult r = run("echo all good", contains("good"));

        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.name()).isEqualTo("web-1 command \"echo all good\" expects exit 0 contains \"good\"");
        assertThat(r.detail()).isEqualTo("exit 0");
    }

    @Test
    void anotherExitCodeFailsWithTheOutputOfBothStreams() {
        CheckResult r = run("echo to stdout; echo to stderr >&2; exit 3", Expect.none());

        assertThat(r.passed()).isFalse();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).isEqualTo("""
                exit 3, expected 0
                /bin/sh -c "echo to stdout; echo to stderr >&2; exit 3" in %s
                output:
                to stdout
                to stderr
                """.formatted(dir));
    }

    @Test
    void anExpectedExitCodePasses() {
        assertThat(run("exit 3", status(3)).passed()).isTrue();
    }

    @Test
    void outputIsCheckedForTextAndPattern() {
        assertThat(run("echo version 1.2.3", expect(null, "1.2", "version [0-9.]+$", Map.of())).passed())
                .isTrue();

        CheckResult r = run("echo version 1.2.3", expect(null, "2.0", "^v[0-9]", Map.of()));
        assertThat(r.reason()).isEqualTo("expected the output to contain \"2.0\"; expected the output to match"
                + " \"^v[0-9]\"");
    }

    @Test
    void anUnknownCommandSaysSo() {
        CheckResult r = run("no-such-command-itsvc", Expect.none());

        assertThat(r.reason()).isEqualTo("exit 127, expected 0 (command not found?)");
        assertThat(r.detail()).contains("no-such-command-itsvc: not found");
    }

    @Test
    void noOutputIsSaid() {
        assertThat(run("exit 1", Expect.none()).detail()).endsWith("\n(no output)");
    }

    @Test
    void theEndpointsAndTheInstanceAreInTheEnvironmentAndItRunsInTheDirectory() throws Exception {
        CheckResult r = run("echo \"$ITSVC_ENDPOINT_WEB_HTTP $ITSVC_ENDPOINT_DB_1_PG $ITSVC_ROLE $ITSVC_INSTANCE"
                + " $ITSVC_ADDRESS $ITSVC_PORT_HTTP\" > seen; exit 1", Expect.none());

        assertThat(r.passed()).isFalse();
        assertThat(Files.readString(dir.resolve("seen")))
                .isEqualTo("127.0.0.1:8081 10.0.0.5:5432 web web-1 127.0.0.1 8081\n");
        // The environment stays out of the detail: it will carry secrets.
        assertThat(r.detail()).doesNotContain("10.0.0.5");
    }

    @Test
    void eachInstanceCanRunInItsOwnDirectory() throws Exception {
        Files.createDirectories(dir.resolve("web-1"));
        CheckRunner runner = CheckRunner.builder().workingDirectory(e -> dir.resolve(e.instance())).build();

        CheckResult r = runner.run(command("pwd", Expect.none()), WEB);

        assertThat(r.passed()).isTrue();
        assertThat(runner.run(command("pwd; exit 1", Expect.none(), Fixtures.ONCE, Fixtures.TIMEOUT), WEB).detail())
                .contains("output:\n" + dir.resolve("web-1").toRealPath() + "\n");
    }

    @Test
    void aMissingDirectoryFailsTheCheck() {
        CheckRunner runner = CheckRunner.builder().workingDirectory(dir.resolve("missing")).build();

        CheckResult r = runner.run(command("true", Expect.none(), Fixtures.ONCE, Fixtures.TIMEOUT), WEB);

        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).startsWith("cannot run /bin/sh in " + dir.resolve("missing") + ": ");
    }

    @Test
    void onlyTheEndOfLongOutputIsKeptAndShown() {
        // 200 000 bytes of x, then the line that matters.
        CheckResult r = run("head -c 200000 /dev/zero | tr '\\0' x; echo; echo DONE; exit 2", contains("DONE"));

        assertThat(r.reason()).isEqualTo("exit 2, expected 0");
        assertThat(r.detail()).hasSizeLessThan(3000).endsWith("x\nDONE\n")
                .contains("output:\n... (" + (64 * 1024 - 2048) + " earlier characters)\n");

        CheckResult start = run("echo START; head -c 200000 /dev/zero | tr '\\0' x", contains("START"));
        assertThat(start.reason()).isEqualTo("expected the output to contain \"START\" (in its last 64 KiB)");
    }

    @Test
    void aCommandThatHangsIsKilledWithWhatItStarted() throws Exception {
        // Long enough for a loaded machine's shell to start its child before the timeout (the test needs both).
        Duration timeout = Duration.ofSeconds(2);
        CheckResult r = runner().run(command("echo $$ > shell.pid; sleep 60 & echo $! > child.pid; echo waiting; wait",
                Expect.none(), timeout, timeout), WEB);

        assertThat(r.passed()).isFalse();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).startsWith("timed out after 2s, killed it and the 1 process(es) it started\n")
                .endsWith("\noutput:\nwaiting\n");
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(20));
        long shell = Long.parseLong(Files.readString(dir.resolve("shell.pid")).strip());
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        assertThat(Fixtures.gone(shell)).as("the shell is gone").isTrue();
        assertThat(Fixtures.gone(child)).as("the sleep it started is gone").isTrue();
    }

    @Test
    void aCommandThatFailsIsRetried() {
        CheckResult r = CheckRunner.builder().workingDirectory(dir).ticker(new Fixtures.FakeTicker()).build()
                .run(command("n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; [ $n -ge 2 ]", Expect.none(),
                        Duration.ofSeconds(10), Fixtures.TIMEOUT), WEB);

        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.attempts()).isEqualTo(3);
    }
}
