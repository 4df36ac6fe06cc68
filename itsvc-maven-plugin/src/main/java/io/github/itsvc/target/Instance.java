package io.github.itsvc.target;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An instance as the target has it.
 *
 * @param role the role's name
 * @param index from 1
 * @param address where other instances and checks reach it
 * @param ports its ports by name
 * @param configDigest the digest of the configuration it runs, as recorded when it was started
 * @param state running, or stopped (it exists, but no process or server runs it); an instance of a role without
 *     {@code run} is running once its files are in place
 * @param since when it was started, or {@code null}
 * @param id the target's handle: a pid on {@code local}, a server id on clouds; {@code null} when stopped
 */
public record Instance(String role, int index, String address, Map<String, Integer> ports, String configDigest,
        State state, Instant since, String id) {

    public enum State { RUNNING, STOPPED }

    public Instance {
        ports = Collections.unmodifiableMap(new TreeMap<>(ports));
    }

    /** {@code <role>-<index>}. */
    public String name() {
        return role + "-" + index;
    }

    public boolean running() {
        return state == State.RUNNING;
    }
}
