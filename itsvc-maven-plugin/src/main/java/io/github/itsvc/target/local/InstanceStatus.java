package io.github.itsvc.target.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link LocalProcesses#discover} found for one instance directory.
 *
 * @param instanceDir the instance directory
 * @param liveness running or not, and why not
 * @param state the recorded state ({@code null} when {@link Liveness#ABSENT}); when running, its pid and marker
 *     are those of the live process
 * @param process the live process when {@link Liveness#RUNNING}, else {@code null}
 */
public record InstanceStatus(Path instanceDir, Liveness liveness, InstanceState state, ProcessHandle process) {

    public enum Liveness {
        /** The recorded process is alive and its start marker matches. */
        RUNNING,
        /** A process was recorded but is gone, or its pid now belongs to another process. */
        CRASHED,
        /** State present, no process recorded: stopped by us (or never started). */
        STOPPED,
        /** No state file. */
        ABSENT
    }

    public boolean running() {
        return liveness == Liveness.RUNNING;
    }

    public Optional<InstanceState> recorded() {
        return Optional.ofNullable(state);
    }

    public Optional<ProcessHandle> live() {
        return Optional.ofNullable(process);
    }
}
