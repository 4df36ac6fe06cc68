package io.github.itsvc.target.local;

import java.nio.file.Path;

/**
 * A process {@link LocalProcesses#start} just started. {@code process} is only meaningful in the JVM that started
 * it (exit code, waiting); every other run finds the instance again with {@link LocalProcesses#discover}.
 *
 * @param instanceDir the instance directory
 * @param state the state as written
 * @param process the child process
 */
public record Started(Path instanceDir, InstanceState state, Process process) {

    public long pid() {
        return process.pid();
    }
}
