package io.github.itsvc.target.local;

/** What {@link LocalProcesses#stop} did. */
public enum StopOutcome {
    /** Nothing of ours was running (absent, stopped, crashed, or its pid reused by another process). */
    NOT_RUNNING,
    /** Everything exited on SIGTERM within the grace period. */
    TERMINATED,
    /** Something outlived the grace period and was killed with SIGKILL. */
    KILLED
}
