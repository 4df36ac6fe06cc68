package io.github.itsvc.target.local;

import io.github.itsvc.target.local.InstanceStatus.Liveness;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Starts, finds and stops the process of a local instance (see {@link InstanceLayout} for its directory). Holds no
 * state of its own: everything is in the instance directory, so another JVM (the next {@code mvn} run) carries on
 * where this one stopped, or crashed.
 */
public final class LocalProcesses {

    /** After SIGKILL, how long to wait for the kernel to finish the processes before giving up. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);
    /**
     * Slack when matching a pid file's process to a start whose pid was never recorded: the JDK's start instant on
     * Linux is derived from the wall-clock boot time, which may be off by about a second.
     */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);
    /** How long start waits for the new process to detach (see {@link #awaitDetached}). */
    private static final Duration DETACH_TIMEOUT = Duration.ofSeconds(10);

    private final Launcher launcher;

    public LocalProcesses() {
        this(Launcher.detect());
    }

    LocalProcesses(Launcher launcher) {
        this.launcher = launcher;
    }

    /** How processes get detached here: {@code setsid}, {@code perl} or {@code nohup} (see {@link InstanceState}). */
    public String launcher() {
        return launcher.name();
    }

    /**
     * Starts the instance's process in the background, detached from this JVM and its terminal: {@code /bin/sh -c
     * 'exec <command>'} in {@code root/}, stdin from /dev/null, stdout and stderr appended to the logs (after a
     * header line), the environment of this JVM plus {@code spec.environment()}. Returns once the process has
     * detached (its own session, or the terminal's signals ignored).
     *
     * @throws IllegalStateException the instance already runs (stop it first)
     * @throws NoSuchFileException {@code root/} does not exist
     * @throws IOException the process could not be started, or its state not written (the process is then killed)
     */
    public Started start(Path instanceDir, ProcessSpec spec) throws IOException {
        Path root = InstanceLayout.root(instanceDir);
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the instance root must be prepared before start");
        }
        Files.createDirectories(InstanceLayout.logs(instanceDir));
        try (InstanceLock lock = InstanceLock.acquire(instanceDir)) {
            InstanceStatus now = discover(instanceDir);
            if (now.running()) {
                throw new IllegalStateException(instanceDir + " already runs as pid " + now.state().pid());
            }
            Path stateFile = InstanceLayout.stateFile(instanceDir);
            Path pidFile = InstanceLayout.pidFile(instanceDir);
            Instant since = Instant.now();
            InstanceState pending = new InstanceState(spec.command(), spec.ports(), spec.configDigest(),
                    launcher.name(), 0, null, null, since,
                    now.recorded().map(InstanceState::stopped).orElse(null));
            // Recorded before the process exists: if we die before writing its pid, discover finds it by pid file.
            Files.deleteIfExists(pidFile);
            StateFile.write(stateFile, pending);

            String header = "==== itsvc " + since + " start (" + launcher.name() + "): " + spec.command()
                    + (spec.ports().isEmpty() ? "" : " ports " + spec.ports()) + " ====\n";
            appendLine(InstanceLayout.stdoutLog(instanceDir), header);
            appendLine(InstanceLayout.stderrLog(instanceDir), header);

            ProcessBuilder pb = new ProcessBuilder(launcher.command(spec.command(), pidFile.toAbsolutePath()))
                    .directory(root.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(InstanceLayout.stdoutLog(instanceDir).toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(InstanceLayout.stderrLog(instanceDir).toFile()));
            pb.environment().putAll(spec.environment());
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                StateFile.write(stateFile, pending.stoppedAt(Instant.now()));
                throw e;
            }
            awaitDetached(process, pidFile);
            // No marker if it already exited (e.g. command not found): discover then reports it CRASHED.
            StartMarker marker = StartMarker.of(process.toHandle()).orElse(null);
            InstanceState running = pending.running(process.pid(), marker, since);
            try {
                StateFile.write(stateFile, running);
            } catch (IOException | RuntimeException e) {
                // Unrecorded, it would run on unmanaged; better not to run at all.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw e;
            }
            return new Started(instanceDir, running, process);
        }
    }

    /**
     * Waits until the shell has written its pid file, which it does after setsid() and after setting the ignored
     * signals: from then on a Ctrl-C or hangup of Maven's terminal cannot reach the process. A few milliseconds;
     * gives up quietly on a process that exits first or a slow machine (the process is started either way).
     */
    private static void awaitDetached(Process process, Path pidFile) throws IOException {
        String pid = Long.toString(process.pid());
        long deadline = System.nanoTime() + DETACH_TIMEOUT.toNanos();
        while (process.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                if (Files.readString(pidFile, StandardCharsets.US_ASCII).strip().equals(pid)) {
                    return;
                }
            } catch (NoSuchFileException e) {
                // not yet
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while starting " + pid);
            }
        }
    }

    /**
     * What runs for {@code instanceDir}, from its state file alone (any JVM): running only if the recorded pid is
     * alive and its start marker matches, so a reused pid is never taken for ours.
     */
    public InstanceStatus discover(Path instanceDir) throws IOException {
        Optional<InstanceState> read = StateFile.read(InstanceLayout.stateFile(instanceDir));
        if (read.isEmpty()) {
            return new InstanceStatus(instanceDir, Liveness.ABSENT, null, null);
        }
        InstanceState state = read.get();
        if (state.hasPid()) {
            Optional<ProcessHandle> h = ProcessHandle.of(state.pid());
            if (h.isPresent() && state.marker() != null && state.marker().matches(h.get())) {
                return new InstanceStatus(instanceDir, Liveness.RUNNING, state, h.get());
            }
            return new InstanceStatus(instanceDir, Liveness.CRASHED, state, null);
        }
        if (state.starting() != null) {
            return fromPidFile(instanceDir, state);
        }
        return new InstanceStatus(instanceDir, Liveness.STOPPED, state, null);
    }

    /**
     * A start whose starter died before recording the pid. The shell wrote its pid just after it started, so the
     * process is ours if it started between the start's beginning and the pid file's last write (a process that
     * reused the pid would have started after that write).
     */
    private static InstanceStatus fromPidFile(Path instanceDir, InstanceState state) throws IOException {
        InstanceStatus crashed = new InstanceStatus(instanceDir, Liveness.CRASHED, state, null);
        Path pidFile = InstanceLayout.pidFile(instanceDir);
        long pid;
        Instant written;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
            written = Files.getLastModifiedTime(pidFile).toInstant();
        } catch (NoSuchFileException | NumberFormatException e) {
            return crashed; // never started, or the shell is still writing it
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(Procs::alive);
        Optional<Instant> started = h.flatMap(p -> p.info().startInstant());
        if (started.isEmpty()
                || started.get().isBefore(state.starting().minus(CLOCK_SLACK))
                || started.get().isAfter(written.plus(CLOCK_SLACK))) {
            return crashed;
        }
        Optional<StartMarker> marker = StartMarker.of(h.get());
        if (marker.isEmpty()) {
            return crashed;
        }
        return new InstanceStatus(instanceDir, Liveness.RUNNING,
                state.running(pid, marker.get(), state.starting()), h.get());
    }

    /**
     * Stops the instance: SIGTERM to its process, all its descendants and (if it has its own) its process group;
     * after {@code grace}, SIGKILL to whatever is left. The state keeps command, ports and digest, loses the pid;
     * logs stay. A process whose start marker does not match is someone else's and is never signalled; an instance
     * that is not running is a no-op.
     *
     * @throws IOException something survived SIGKILL (the state then keeps the pid)
     */
    public StopOutcome stop(Path instanceDir, Duration grace) throws IOException {
        if (!Files.isDirectory(instanceDir)) {
            return StopOutcome.NOT_RUNNING;
        }
        try (InstanceLock lock = InstanceLock.acquire(instanceDir)) {
            InstanceStatus status = discover(instanceDir);
            StopOutcome outcome = StopOutcome.NOT_RUNNING;
            switch (status.liveness()) {
                case ABSENT, STOPPED -> {
                    return StopOutcome.NOT_RUNNING;
                }
                case CRASHED -> outcome = StopOutcome.NOT_RUNNING;
                case RUNNING -> outcome = terminate(status.process(), status.state().ownsProcessGroup(), grace);
            }
            StateFile.write(InstanceLayout.stateFile(instanceDir), status.state().stoppedAt(Instant.now()));
            Files.deleteIfExists(InstanceLayout.pidFile(instanceDir));
            return outcome;
        }
    }

    private static StopOutcome terminate(ProcessHandle leader, boolean ownGroup, Duration grace) throws IOException {
        long pgid = leader.pid();
        // Snapshot before signalling: once the leader dies its children are re-parented and no longer descendants.
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(leader);
        leader.descendants().forEach(tree::add);
        // The leader was just matched by its marker, so the group named by its pid is the one setsid made for it.
        if (ownGroup && Procs.alive(leader)) {
            Procs.signalGroup(pgid, "TERM");
        }
        tree.forEach(ProcessHandle::destroy); // also reaches descendants that left the group
        if (awaitGone(tree, ownGroup ? pgid : -1, grace)) {
            return StopOutcome.TERMINATED;
        }

        Set<ProcessHandle> survivors = new LinkedHashSet<>();
        for (ProcessHandle h : tree) {
            if (Procs.alive(h)) {
                survivors.add(h);
                h.descendants().forEach(survivors::add); // forked during the grace period
            }
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        // While the group has a live member its id cannot be reused, so it is still ours.
        if (ownGroup && Procs.groupAlive(pgid)) {
            Procs.signalGroup(pgid, "KILL");
        }
        if (awaitGone(survivors, ownGroup ? pgid : -1, AFTER_KILL)) {
            return StopOutcome.KILLED;
        }
        String left = survivors.stream().filter(Procs::alive).map(h -> Long.toString(h.pid()))
                .collect(Collectors.joining(", "));
        throw new IOException("still running after SIGKILL: "
                + (left.isEmpty() ? "members of process group " + pgid : "pid " + left));
    }

    /** Waits until none of {@code processes} (nor, if {@code pgid > 0}, any live member of that group) is left. */
    private static boolean awaitGone(Set<ProcessHandle> processes, long pgid, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 5;
        while (true) {
            if (processes.stream().noneMatch(Procs::alive) && (pgid <= 0 || !Procs.groupAlive(pgid))) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while stopping");
            }
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
    }

    /** The last {@code lines} lines of the instance's stdout and stderr logs (bounded, see {@link LogTail}). */
    public static LogTail tail(Path instanceDir, int lines) throws IOException {
        return LogTail.read(instanceDir, lines);
    }

    /** The instance directories under {@code .itsvc/<site>/} (see {@link InstanceLayout#instanceDirs}). */
    public static List<Path> instanceDirs(Path siteDir) throws IOException {
        return InstanceLayout.instanceDirs(siteDir);
    }

    private static void appendLine(Path log, String line) throws IOException {
        Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
