package io.github.itsvc.target.local;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to start for one instance.
 *
 * @param command the role's {@code run}, run as {@code /bin/sh -c 'exec <command>'} in the instance root, so relative
 *     paths resolve against it and the shell is replaced by the service (one pid, signals reach it)
 * @param environment added to (or overriding) the starter's environment; never written to the state or logs
 * @param ports the allocated ports by name, recorded in the state so a restart can keep them
 * @param configDigest an opaque digest of the instance's configuration, recorded in the state
 */
public record ProcessSpec(
        String command, Map<String, String> environment, Map<String, Integer> ports, String configDigest) {

    public ProcessSpec {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(configDigest, "configDigest");
        if (command.isBlank()) {
            throw new IllegalArgumentException("empty command");
        }
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            // exec replaces the shell, so any line after the first would silently never run
            throw new IllegalArgumentException("the command must be one line: " + command);
        }
        environment = Collections.unmodifiableMap(new TreeMap<>(environment));
        ports = Collections.unmodifiableMap(new TreeMap<>(ports));
        ports.forEach((name, port) -> {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + name + " = " + port);
            }
        });
    }
}
