package io.github.itsvc.target.local;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the state file of an instance records: what was started, and which process runs it. Never the environment
 * (it may carry secrets).
 *
 * @param command the {@code run} command line, as given to {@link LocalProcesses#start}
 * @param ports the ports it was given, by name (sorted)
 * @param configDigest the caller's config digest (opaque)
 * @param launcher how it was started: {@code setsid} or {@code perl} (its own session and process group, whose id
 *     is its pid) or {@code nohup} (the starter's group, hangup and interrupt ignored)
 * @param pid the process id, or 0 when none is recorded
 * @param marker the start marker of {@code pid}, or {@code null} when none is recorded
 * @param since when it was started, or {@code null} when not running
 * @param starting set when a start began but its pid was not recorded yet (the starter died in between); the
 *     started process writes its own pid file, so {@link LocalProcesses#discover} can still find it
 * @param stopped when it was last stopped, or {@code null}
 */
public record InstanceState(
        String command,
        Map<String, Integer> ports,
        String configDigest,
        String launcher,
        long pid,
        StartMarker marker,
        Instant since,
        Instant starting,
        Instant stopped) {

    public InstanceState {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(configDigest, "configDigest");
        Objects.requireNonNull(launcher, "launcher");
        ports = Collections.unmodifiableMap(new TreeMap<>(ports));
        if (pid < 0) {
            throw new IllegalArgumentException("pid " + pid);
        }
    }

    public boolean hasPid() {
        return pid > 0;
    }

    /** Whether the process leads its own process group (pgid = pid), so the whole group may be signalled. */
    public boolean ownsProcessGroup() {
        return Launcher.SETSID.equals(launcher) || Launcher.PERL.equals(launcher);
    }

    InstanceState running(long newPid, StartMarker newMarker, Instant newSince) {
        return new InstanceState(command, ports, configDigest, launcher, newPid, newMarker, newSince, null, stopped);
    }

    /** The same definition with no process: what stop leaves behind (ports stay, so a restart keeps its URLs). */
    InstanceState stoppedAt(Instant when) {
        return new InstanceState(command, ports, configDigest, launcher, 0, null, null, null, when);
    }
}
