package io.github.itsvc.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where one running instance answers: what a target reports after provisioning, and what checks talk to.
 *
 * @param role the role's name ({@code web})
 * @param instance the instance's name ({@code web-1})
 * @param address a host name or IP literal ({@code 127.0.0.1}, {@code 10.0.0.5}, {@code ::1})
 * @param ports the role's port names to the numbers this instance listens on, in the role's order
 */
public record Endpoint(String role, String instance, String address, Map<String, Integer> ports) {

    public Endpoint {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(address, "address");
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    }

    /**
     * The number of a named port.
     *
     * @throws IllegalArgumentException if the instance has no such port: the target and the definition disagree
     */
    public int port(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("instance " + instance + " has no port '" + name + "', only "
                    + ports.keySet());
        }
        return port;
    }

    /** {@code address:port} of a named port, with an IPv6 literal in brackets so it can go into a URL. */
    public String hostPort(String portName) {
        return host() + ":" + port(portName);
    }

    /** The address as the host part of a URL: an IPv6 literal in brackets. */
    public String host() {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }
}
