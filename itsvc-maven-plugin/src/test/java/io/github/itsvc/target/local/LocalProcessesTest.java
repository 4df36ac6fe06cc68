package io.github.itsvc.target.local;

import static io.github.itsvc.target.local.Testing.await;
import static io.github.itsvc.target.local.Testing.read;
import static io.github.itsvc.target.local.Testing.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.itsvc.target.local.InstanceStatus.Liveness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: started, found again from the state file alone, stopped, and never mistaken for another. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LocalProcessesTest {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path project;

    @RegisterExtension
    final Leftovers leftovers = new Leftovers();

    private final LocalProcesses processes = new LocalProcesses();

    private Path site() {
        return project.resolve(".itsvc/dev");
    }

    private Path instance(String name) throws IOException {
        Path dir = site().resolve(name);
        Files.createDirectories(InstanceLayout.root(dir));
        return leftovers.track(dir);
    }

    private static ProcessSpec spec(String command) {
        return new ProcessSpec(command, Map.of(), Map.of(), "digest-1");
    }

    private Started start(Path dir, ProcessSpec spec) throws IOException {
        return leftovers.track(processes.start(dir, spec));
    }

    @Test
    void runsInTheRootWithItsEnvironmentAndLogsItsOutput() throws Exception {
        Path dir = instance("web-1");
        script(dir, "svc.sh", """
                echo "out $GREETING"
                echo "err line" >&2
                echo "cwd $(pwd -P)"
                if read line; then echo "stdin: $line"; else echo "stdin: eof"; fi
                exec sleep 300""");
        ProcessSpec spec = new ProcessSpec("./svc.sh", Map.of("GREETING", "s3cret-hello"), Map.of("http", 18080),
                "sha256:abc");

        Started started = start(dir, spec);
        Path stdout = InstanceLayout.stdoutLog(dir);
        await("the script's output", WAIT, () -> read(stdout).contains("stdin:"));

        List<String> out = Files.readAllLines(stdout);
        assertThat(out.get(0)).startsWith("==== itsvc ").contains("start (" + processes.launcher() + "): ./svc.sh")
                .contains("{http=18080}");
        assertThat(out).contains("out s3cret-hello", "cwd " + InstanceLayout.root(dir).toRealPath(), "stdin: eof");
        assertThat(read(InstanceLayout.stderrLog(dir))).startsWith("==== itsvc ").contains("\nerr line\n");

        InstanceStatus status = processes.discover(dir);
        assertThat(status.liveness()).isEqualTo(Liveness.RUNNING);
        assertThat(status.process().pid()).isEqualTo(started.pid());
        InstanceState state = status.state();
        assertThat(state.command()).isEqualTo("./svc.sh");
        assertThat(state.ports()).containsExactly(Map.entry("http", 18080));
        assertThat(state.configDigest()).isEqualTo("sha256:abc");
        assertThat(state.launcher()).isEqualTo(processes.launcher());
        assertThat(state.since()).isNotNull();
        assertThat(state.marker()).isNotNull();
        // The environment may hold secrets: neither the state nor the log header records it.
        assertThat(read(InstanceLayout.stateFile(dir))).doesNotContain("s3cret");
        assertThat(out.get(0)).doesNotContain("s3cret");

        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        assertThat(started.process().isAlive()).isFalse();
        InstanceStatus after = processes.discover(dir);
        assertThat(after.liveness()).isEqualTo(Liveness.STOPPED);
        assertThat(after.state().hasPid()).isFalse();
        assertThat(after.state().ports()).containsExactly(Map.entry("http", 18080)); // for the restart
        assertThat(after.state().stopped()).isNotNull();
        assertThat(read(stdout)).contains("out s3cret-hello"); // logs are kept
    }

    @Test
    void isFoundAgainFromTheStateFileAlone() throws Exception {
        Path dir = instance("db-1");
        Started started = start(dir, spec("sleep 300"));

        // A new object, knowing nothing of the handle: all it has is the directory, like the next mvn run.
        InstanceStatus status = new LocalProcesses().discover(dir);
        assertThat(status.liveness()).isEqualTo(Liveness.RUNNING);
        assertThat(status.process().pid()).isEqualTo(started.pid());
        assertThat(LocalProcesses.instanceDirs(site())).containsExactly(dir);

        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(InstanceLayout.stateFile(dir))) {
            p.load(in);
        }
        assertThat(p.getProperty("format")).isEqualTo("1");
        assertThat(p.getProperty("pid")).isEqualTo(Long.toString(started.pid()));
        assertThat(p.getProperty("command")).isEqualTo("sleep 300");
        assertThat(Instant.parse(p.getProperty("start.instant")))
                .isEqualTo(started.process().info().startInstant().orElseThrow());
        if (Procs.hasProc()) {
            assertThat(p.getProperty("start.linux")).matches(".*/[0-9]+");
        }

        assertThat(new LocalProcesses().stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        assertThat(started.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aProcessWithAnotherStartMarkerIsNotOursAndIsNeverKilled() throws Exception {
        Path dir = instance("web-1");
        Started started = start(dir, spec("sleep 300"));
        try {
            InstanceState real = StateFile.read(InstanceLayout.stateFile(dir)).orElseThrow();
            StartMarker other = new StartMarker(real.marker().instant().minusSeconds(3600),
                    real.marker().linux() == null ? null : real.marker().linux() + "0");
            StateFile.write(InstanceLayout.stateFile(dir), real.running(real.pid(), other, real.since()));

            assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.CRASHED);
            assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.NOT_RUNNING);
            Thread.sleep(200);
            assertThat(Procs.alive(started.process().toHandle())).as("still alive").isTrue();
            assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.STOPPED);
        } finally {
            started.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void onLinuxTheExactMarkerDecidesEvenWhenTheInstantMatches() throws Exception {
        assumeTrue(Procs.hasProc(), "Linux /proc");
        Path dir = instance("web-1");
        Started started = start(dir, spec("sleep 300"));
        try {
            InstanceState real = StateFile.read(InstanceLayout.stateFile(dir)).orElseThrow();
            StartMarker other = new StartMarker(real.marker().instant(), "another-boot/1");
            StateFile.write(InstanceLayout.stateFile(dir), real.running(real.pid(), other, real.since()));

            assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.CRASHED);
            assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.NOT_RUNNING);
            assertThat(Procs.alive(started.process().toHandle())).isTrue();
        } finally {
            started.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void stopKillsTheWholeTreeAndWhatLeftItInTheGroup() throws Exception {
        assumeTrue(!Launcher.NOHUP.equals(processes.launcher()), "needs its own process group");
        Path dir = instance("web-1");
        // Two children, and a grandchild whose parent exits at once, so it is no longer a descendant.
        script(dir, "svc.sh", """
                sleep 301 &
                sleep 302 &
                sh -c 'sleep 303 & echo $! > escaped.pid'
                exec sleep 300""");
        Started started = start(dir, spec("./svc.sh"));
        Path escapedPid = InstanceLayout.root(dir).resolve("escaped.pid");
        await("the escaped pid", WAIT, () -> read(escapedPid).endsWith("\n"));
        ProcessHandle escaped = leftovers.track(
                ProcessHandle.of(Long.parseLong(read(escapedPid).strip())).orElseThrow());
        // Its parent shell writes the pid file, then exits: only then is it out of the tree.
        await("the grandchild to leave the tree", WAIT, () -> started.process().descendants().count() == 2
                && started.process().descendants().noneMatch(escaped::equals));
        List<ProcessHandle> children = started.process().descendants().toList();
        assertThat(Procs.alive(escaped)).isTrue();

        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);

        assertThat(Procs.alive(started.process().toHandle())).isFalse();
        assertThat(children).allSatisfy(c -> assertThat(Procs.alive(c)).as("child %d", c.pid()).isFalse());
        assertThat(Procs.alive(escaped)).as("escaped grandchild").isFalse();
    }

    @Test
    void withoutSetsidItIgnoresHangupsAndStopStillKillsItsDescendants() throws Exception {
        LocalProcesses nohup = new LocalProcesses(Launcher.nohup());
        Path dir = instance("web-1");
        script(dir, "svc.sh", """
                sleep 301 &
                exec sleep 300""");
        Started started = leftovers.track(nohup.start(dir, spec("./svc.sh")));
        await("the child", WAIT, () -> started.process().descendants().count() >= 1);
        List<ProcessHandle> children = started.process().descendants().toList();
        if (Procs.hasProc()) {
            // Same process group as this JVM: the terminal's signals would reach it, hence the trap.
            assertThat(Procs.stat(started.pid()).orElseThrow().pgrp())
                    .isEqualTo(Procs.stat(ProcessHandle.current().pid()).orElseThrow().pgrp());
        }
        new ProcessBuilder("kill", "-HUP", Long.toString(started.pid())).start().waitFor();
        new ProcessBuilder("kill", "-INT", Long.toString(started.pid())).start().waitFor();
        Thread.sleep(300);
        assertThat(Procs.alive(started.process().toHandle())).as("alive after HUP and INT").isTrue();
        assertThat(nohup.discover(dir).state().ownsProcessGroup()).isFalse();

        assertThat(nohup.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        assertThat(Procs.alive(started.process().toHandle())).isFalse();
        assertThat(children).allSatisfy(c -> assertThat(Procs.alive(c)).isFalse());
    }

    @Test
    void itLeadsItsOwnSessionAndProcessGroup() throws Exception {
        assumeTrue(Procs.hasProc(), "reads the session from /proc");
        assumeTrue(!Launcher.NOHUP.equals(processes.launcher()), "setsid or perl");
        Path dir = instance("web-1");
        Started started = start(dir, spec("sleep 300"));
        // No waiting: start returns only once the process is detached.
        Procs.Stat stat = Procs.stat(started.pid()).orElseThrow();
        assertThat(stat.session()).isEqualTo(started.pid());
        assertThat(stat.pgrp()).isEqualTo(started.pid());
        assertThat(read(InstanceLayout.pidFile(dir)).strip()).isEqualTo(Long.toString(started.pid()));
        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
    }

    @Test
    void perlStandsInForAMissingSetsid() throws Exception {
        var perl = Launcher.onPath("perl");
        assumeTrue(perl.isPresent(), "perl");
        LocalProcesses viaPerl = new LocalProcesses(Launcher.perl(perl.get()));
        Path dir = instance("web-1");
        Started started = leftovers.track(viaPerl.start(dir, spec("sleep 300")));
        await("perl to exec the service", WAIT, () -> started.process().info().command()
                .map(c -> c.endsWith("sleep")).orElse(false));
        if (Procs.hasProc()) {
            assertThat(Procs.stat(started.pid()).orElseThrow().session()).isEqualTo(started.pid());
        }
        assertThat(viaPerl.discover(dir).liveness()).isEqualTo(Liveness.RUNNING);
        assertThat(viaPerl.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        assertThat(started.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stopEscalatesToSigkillAfterTheGrace() throws Exception {
        Path dir = instance("web-1");
        script(dir, "stubborn.sh", """
                trap '' TERM
                echo ignoring TERM
                exec sleep 300""");
        Started started = start(dir, spec("./stubborn.sh"));
        await("the trap", WAIT, () -> read(InstanceLayout.stdoutLog(dir)).contains("ignoring TERM"));

        Duration grace = Duration.ofMillis(700);
        long t0 = System.nanoTime();
        assertThat(processes.stop(dir, grace)).isEqualTo(StopOutcome.KILLED);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(grace);
        assertThat(Procs.alive(started.process().toHandle())).isFalse();
        assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.STOPPED);
    }

    @Test
    void aServiceThatHandlesSigtermGetsToFinish() throws Exception {
        Path dir = instance("web-1");
        script(dir, "graceful.sh", """
                trap 'echo shutting down; exit 0' TERM
                sleep 300 &
                echo ready
                wait""");
        Started started = start(dir, spec("./graceful.sh"));
        await("ready", WAIT, () -> read(InstanceLayout.stdoutLog(dir)).contains("ready"));

        // A generous grace: on a loaded machine the trap may take seconds to run, and a KILL would fail the test for
        // the machine's sake, not the code's (the test is that TERM comes first and is waited for).
        assertThat(processes.stop(dir, WAIT)).isEqualTo(StopOutcome.TERMINATED);
        assertThat(started.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(read(InstanceLayout.stdoutLog(dir))).contains("shutting down");
    }

    @Test
    void theProcessOutlivesTheJvmThatStartedIt() throws Exception {
        Path dir = instance("web-1");
        Process starter = new ProcessBuilder("/bin/sh", "-c",
                "exec " + Testing.javaCommand(ForeignStarterMain.class) + " " + Testing.quote(dir.toString())
                        + " 'sleep 300'")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        leftovers.track(starter.toHandle());
        String line;
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(starter.getInputStream(), StandardCharsets.UTF_8))) {
            line = r.readLine();
        }
        assertThat(line).as("the starter's report").startsWith("started ");
        long pid = Long.parseLong(line.substring("started ".length()));

        // kill -9 of "Maven"
        starter.destroyForcibly();
        assertThat(starter.waitFor(10, TimeUnit.SECONDS)).isTrue();

        InstanceStatus status = processes.discover(dir);
        assertThat(status.liveness()).isEqualTo(Liveness.RUNNING);
        assertThat(status.process().pid()).isEqualTo(pid);
        Thread.sleep(200);
        assertThat(Procs.alive(status.process())).isTrue();
        assertThat(status.process().parent().map(ProcessHandle::pid)).isNotEqualTo(java.util.Optional.of(starter.pid()));

        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        assertThat(Procs.alive(status.process())).isFalse();
    }

    @Test
    void aStartWhoseStarterDiedBeforeRecordingThePidIsFoundByItsPidFile() throws Exception {
        Path dir = instance("web-1");
        Started started = start(dir, spec("sleep 300"));
        await("the pid file", WAIT, () -> read(InstanceLayout.pidFile(dir)).strip().equals(Long.toString(started.pid())));
        // What the state file holds when the starter is killed between starting the process and recording it.
        InstanceState s = started.state();
        StateFile.write(InstanceLayout.stateFile(dir), new InstanceState(s.command(), s.ports(), s.configDigest(),
                s.launcher(), 0, null, null, s.since(), null));

        InstanceStatus status = processes.discover(dir);
        assertThat(status.liveness()).isEqualTo(Liveness.RUNNING);
        assertThat(status.process().pid()).isEqualTo(started.pid());
        assertThatThrownBy(() -> processes.start(dir, spec("sleep 300"))).isInstanceOf(IllegalStateException.class);

        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        assertThat(started.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPidFileOfAProcessStartedBeforeTheStartIsNotTakenForOurs() throws Exception {
        Path dir = instance("web-1");
        Started started = start(dir, spec("sleep 300"));
        try {
            await("the pid file", WAIT, () -> !read(InstanceLayout.pidFile(dir)).isBlank());
            InstanceState s = started.state();
            StateFile.write(InstanceLayout.stateFile(dir), new InstanceState(s.command(), s.ports(), s.configDigest(),
                    s.launcher(), 0, null, null, s.since().plusSeconds(60), null));

            assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.CRASHED);
            assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.NOT_RUNNING);
            assertThat(Procs.alive(started.process().toHandle())).isTrue();
        } finally {
            started.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void stoppingWhatDoesNotRunIsANoOp() throws Exception {
        assertThat(processes.stop(site().resolve("never-1"), GRACE)).isEqualTo(StopOutcome.NOT_RUNNING);
        assertThat(processes.discover(site().resolve("never-1")).liveness()).isEqualTo(Liveness.ABSENT);

        Path dir = instance("web-1");
        Started started = start(dir, spec("sh -c 'echo dying >&2; exit 3'"));
        assertThat(started.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(started.process().exitValue()).isEqualTo(3);
        assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.CRASHED);
        assertThat(LocalProcesses.tail(dir, 5).stderr()).contains("dying");

        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.NOT_RUNNING);
        assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.STOPPED);
        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.NOT_RUNNING);
    }

    @Test
    void aCommandThatCannotRunShowsWhyInTheLogTail() throws Exception {
        Path dir = instance("web-1");
        Started started = start(dir, spec("./bin/missing-server --port 1"));
        assertThat(started.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(processes.discover(dir).liveness()).isEqualTo(Liveness.CRASHED);
        assertThat(String.join("\n", LocalProcesses.tail(dir, 10).stderr())).contains("missing-server");
    }

    @Test
    void aRunningInstanceIsNotStartedTwiceAndARestartAppendsToItsLogs() throws Exception {
        Path dir = instance("web-1");
        Started first = start(dir, spec("sleep 300"));
        assertThatThrownBy(() -> processes.start(dir, spec("sleep 300")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already runs as pid " + first.pid());
        assertThat(processes.discover(dir).state().pid()).isEqualTo(first.pid());

        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        Started second = start(dir, spec("sleep 300"));
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(Files.readAllLines(InstanceLayout.stdoutLog(dir))).filteredOn(l -> l.startsWith("==== itsvc "))
                .hasSize(2);
        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
    }

    @Test
    void startNeedsAPreparedRoot() throws IOException {
        Path dir = leftovers.track(site().resolve("web-1"));
        assertThatThrownBy(() -> processes.start(dir, spec("sleep 300")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining("root");
        assertThat(Files.exists(InstanceLayout.stateFile(dir))).isFalse();
    }

    @Test
    void servesOnAnAllocatedPortUntilStopped() throws Exception {
        Path dir = instance("web-1");
        int port = new PortAllocator().allocate(List.of("http"), Map.of()).get("http");
        Started started = start(dir, new ProcessSpec(Testing.javaCommand(EchoServerMain.class),
                Map.of("ITSVC_TEST_PORT", Integer.toString(port)), Map.of("http", port), "d"));

        assertThat(Ports.waitForPort(port, Duration.ofSeconds(30), started.process().toHandle()))
                .as("listening; logs:%n%s", LocalProcesses.tail(dir, 20).format()).isTrue();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 5000);
            assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()).isEqualTo(EchoServerMain.GREETING);
        }
        assertThat(Ports.isFree(port)).isFalse();
        assertThat(LocalProcesses.tail(dir, 10).stdout()).contains("listening on " + port);
        assertThat(LocalProcesses.tail(dir, 10).stderr()).contains("echo server ready");

        assertThat(processes.stop(dir, GRACE)).isEqualTo(StopOutcome.TERMINATED);
        await("the port to be free", WAIT, () -> Ports.isFree(port));
        assertThat(Ports.waitForPort(port, Duration.ofMillis(200))).isFalse();
    }

    @Test
    void waitingForAPortGivesUpWhenTheProcessDies() throws Exception {
        Path dir = instance("web-1");
        int port = new PortAllocator().allocate(List.of("http"), Map.of()).get("http");
        Started started = start(dir, spec("sh -c 'sleep 0.3; exit 1'"));
        long t0 = System.nanoTime();
        assertThat(Ports.waitForPort(port, Duration.ofSeconds(60), started.process().toHandle())).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }
}
